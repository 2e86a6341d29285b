"""Bad input never breaks a page: every URL pattern of the site, walked as an anonymous visitor, a
village operator, a kabupaten's Bappeda and the administrator, with hostile
values in the path, the query string and the form fields (NUL bytes, control and bidi characters,
over-long strings, negative and huge numbers, markup), answers below 500 and changes nothing.

The data: Desa Kalirejo's forum holding one submitted proposal, so that the numeric path segments
lead to real objects (and the hostile values reach the views, not only the URL resolver).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from forums.models import Attendee, Decision, Delegate, Forum, MinutesDocument, Score
from planning.models import RegionalPriority, StageWindow
from proposals import workflow
from proposals.models import Attachment, Proposal, ProposalEvent
from regions.models import Level, Office

from .factories import ProposalFactory, pokir_item

# Values typed, pasted or forged into a field or a path segment.
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31m\x07",
    "\u202eevil",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "' OR 1=1 --",
    "x" * 3000,
]
# The same without NUL (which the middleware refuses before any view): what reaches the views.
HARMLESS_LOOKING = [v for v in HOSTILE if "\x00" not in v]
QUERY_FIELDS = ["q", "wilayah", "page", "per_page", "sort", "year", "tahun", "tampil", "status", "tingkat", "level"]
FORM_FIELDS = [
    "reason",
    "name",
    "title",
    "position",
    "direction",
    "outcome",
    "address",
    "email",
    "code",
    "year",
    "held_on",
    "place",
    "gender",
    "amount",
    "drafts",
    "bulk-scope",
    "bulk-items",
    "bulk-outcome",
    "bulk-reason",
    "override_reason",
    "username",
    "password",
]
# POSTs that change something by design whatever is sent: the language.
CHANGES_BY_DESIGN = {"set_language"}
WATCHED = [
    Proposal,
    ProposalEvent,
    Decision,
    Forum,
    Attendee,
    Delegate,
    Score,
    MinutesDocument,
    Attachment,
    StageWindow,
    RegionalPriority,
    Office,
]


def patterns(resolver=None, prefix=""):
    """(route, name) of every URL pattern, the includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue  # Django's own admin: not ours to harden
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


@pytest.fixture
def world(intake, village_operator, pupr, dprd_member, dprd_secretariat):
    proposal = ProposalFactory(village=village_operator.region, created_by=village_operator, target_agency=pupr)
    workflow.submit_proposal(actor=village_operator, proposal=proposal)
    forum = Forum.objects.get(level=Level.DESA, region=village_operator.region)
    # A pokok-pikiran waiting for the Setwan, placed in the same village: the Pokir pages' <pk>.
    pokir = pokir_item(dprd_member, village_operator.region, agency=pupr)
    return {
        "proposal": proposal.pk,
        "forum": forum.pk,
        "decision": Decision.objects.get(forum=forum).pk,
        "pokir": pokir.pk,
    }


def concrete(route: str, world: dict, value: str | None) -> str:
    """The route with real ids for its numbers and `value` (quoted) for its strings."""

    def number(match):
        name = match.group(1)
        if name == "decision_pk":
            return str(world["decision"])
        if name == "pk" and route.startswith("pokir/"):
            return str(world["pokir"])
        if name == "pk":
            return str(world["proposal"] if route.startswith("usulan/") else world["forum"])
        return "1"

    path = re.sub(r"<int:(\w+)>", number, route)
    return "/" + re.sub(r"<(?:str|slug|path):\w+>|<\w+>", quote(value if value is not None else "x", safe=""), path)


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in WATCHED}


@pytest.fixture(params=[None, "village_operator", "bappeda_kabupaten", "admin_user", "dprd_member", "dprd_secretariat"])
def visitor(request, client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if request.param:
        client.force_login(request.getfixturevalue(request.param))
    client.raise_request_exception = False  # a 500 is an answer to count, not an exception here
    return client


def test_no_hostile_value_breaks_a_page_or_changes_anything(visitor, world):
    broken = []
    before = snapshot()
    for route, name in patterns():
        if route.startswith(("static/", "media/")) or name == "logout":
            continue  # logging out would walk the rest of the site as an anonymous visitor
        values = HOSTILE if re.search(r"<(?:str|slug|path):\w+>", route) else [None]
        for value in values:
            url = concrete(route, world, value)
            requests = [("get", url, None), ("get", f"{url}?wilayah=%00&q=a%00b", None)]
            # Every filter and paging field, each with a different value, in three rotations.
            for shift in (0, 5, 9):
                query = "&".join(
                    f"{f}={quote(HARMLESS_LOOKING[(i + shift) % len(HARMLESS_LOOKING)], safe='')}"
                    for i, f in enumerate(QUERY_FIELDS)
                )
                requests.append(("get", f"{url}?{query}", None))
            # Values that are merely odd may be valid (a priority may be named "<script>"): they must
            # not break the page. The same with a NUL in each is invalid in every field: nothing may change.
            for shift in (0, 7):
                odd = {f: HARMLESS_LOOKING[(i + shift) % len(HARMLESS_LOOKING)] for i, f in enumerate(FORM_FIELDS)}
                requests.append(("post", url, odd))
                requests.append(("post-invalid", url, {f: f"{v}\x00" for f, v in odd.items()}))
            for method, target, data in requests:
                response = getattr(visitor, method.removesuffix("-invalid"))(target, data)
                if response.status_code >= 500:
                    broken.append(f"{method.upper()} {target[:120]} -> {response.status_code}")
                after = snapshot()
                if method == "post-invalid" and name not in CHANGES_BY_DESIGN and after != before:
                    broken.append(f"POST {target[:120]} changed {set(after.items()) ^ set(before.items())}")
                before = after
    assert broken == []
