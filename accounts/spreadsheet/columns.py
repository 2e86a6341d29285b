"""The one description of the account spreadsheet, shared by the template and the reader.

The headers are Indonesian whatever the page's language (the file is a shared format: a template
downloaded in English must import in Indonesian); the instructions and messages follow the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from musrenbang.spreadsheets import key

from .. import access
from ..models import Role

SHEET = "Akun"
GUIDE_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar"
# A kabupaten has a few hundred villages (Aceh Utara 852), each with an operator or two; a
# province imports kabupaten by kabupaten. More is almost surely a mistake, and a long request:
# a thousand rows took 2.4 s to check and save, and their sheet of links 1.7 s to draw (2 cores).
MAX_ROWS = 1000
# An .xlsx is a zip: a small upload may unpack to gigabytes. A thousand rows unpack to well under
# a megabyte, so this leaves room for formatting while refusing a zip bomb.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# The lists sheet names the area's regions and agencies for reference, up to this many each.
MAX_LISTED = 5000

TEXT, CHOICE = "text", "choice"


@dataclass(frozen=True)
class Column:
    field: str  # the AccountForm field the cell goes to
    header: str
    kind: str
    required: bool
    meaning: str
    example: str = ""
    width: int = 18
    # Added after the template was in use: a file made from an older template may lack it.
    optional: bool = False


COLUMNS: list[Column] = [
    Column("name", "Nama", TEXT, True, gettext_lazy("The officer's full name."), "Siti Aminah", 28),
    Column(
        "username",
        "Nama pengguna",
        TEXT,
        True,
        gettext_lazy("What the officer logs in with: letters, digits and . _ - @ + only; unique."),
        "desa.kalirejo",
        22,
    ),
    Column("role", "Peran", CHOICE, True, gettext_lazy("The officer's role."), "Operator desa", 26),
    Column(
        "region",
        "Kode wilayah",
        TEXT,
        False,
        gettext_lazy(
            "The Kemendagri code of the region the officer works for: a village for a village operator, "
            "a district for a district operator, the regency/city for Bappeda. For an agency officer, the "
            "agency's regency/city or province, or empty when the agency's name is unique in your area."
        ),
        "18.02.01.2003",
        16,
    ),
    Column(
        "agency",
        "Perangkat daerah",
        TEXT,
        False,
        gettext_lazy("Agency officers only: the agency's code or name (the sheet Daftar lists them)."),
        "",
        30,
    ),
    Column(
        "dapil",
        "Dapil",
        TEXT,
        False,
        gettext_lazy("DPRD members only: the member's electoral district."),
        "",
        20,
        optional=True,
    ),
    Column(
        "faction",
        "Fraksi",
        TEXT,
        False,
        gettext_lazy("DPRD members only: the member's faction."),
        "",
        18,
        optional=True,
    ),
    Column("phone", "Telepon", TEXT, False, gettext_lazy("A phone number to reach the officer."), "0812-3456-7890"),
    Column("email", "Email", TEXT, False, gettext_lazy("An e-mail address of the officer."), "siti@example.org", 26),
]
BY_FIELD = {column.field: column for column in COLUMNS}


@dataclass
class Choices:
    """A drop-down: the labels the template offers, and every spelling the reader accepts."""

    labels: list[str] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)

    def value_of(self, text: str) -> str | None:
        return self.accepted.get(key(text))


def role_choices(manager) -> Choices:
    """The roles this manager may grant, shown in Indonesian. Every role's Indonesian and English
    label and stored value are understood, so that a role above the manager's, typed in anyway,
    reaches the form as that role and is refused with the reason, not as an unknown word."""
    choices = Choices()
    for role in access.grantable_roles(manager):
        with translation.override("id"):
            choices.labels.append(str(role.label))
    for role in Role:
        choices.accepted[key(role.value)] = role.value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                choices.accepted[key(role.label)] = role.value
    return choices
