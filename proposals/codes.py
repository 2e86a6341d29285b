"""Codes that people read aloud or copy by hand: a proposal's tracking code, a document's
verification code. Unambiguous characters only (no 0/O, 1/I/L), so a code survives both."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    """XXXX-XXXX: printed on the proposer's receipt and typed into the public tracking page."""
    raw = random_code(8)
    return f"{raw[:4]}-{raw[4:]}"
