"""The one description of the proposal spreadsheet, shared by the template and the reader.

The sheet names and size limits, the Column each cell of a row is described by (its ProposalForm
field, its Indonesian header, its kind, what it means, an example), COLUMNS in the order the
template writes them, BY_FIELD to find a column by field name, and the drop-down lists (Choices,
choice_lists) whose labels the template offers and whose spellings the reader accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from musrenbang.spreadsheets import key as _key
from planning.models import Sector

from ..enums import VILLAGE_PROPOSERS
from ..forms import ProposalForm
from ..models import ProposerType, WorkKind

SHEET = "Usulan"
GUIDE_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar"
# A village's yearly intake is a few dozen items; a larger file is almost surely a mistake
# (a whole kecamatan pasted in) and would keep one request busy for long.
MAX_ROWS = 500
# An .xlsx is a zip: a small upload may unpack to gigabytes. A 500-row sheet unpacks to well
# under a megabyte, so this leaves room for formatting while refusing a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

TEXT, INTEGER, DECIMAL, RUPIAH, CHOICE, FLAG = "text", "integer", "decimal", "rupiah", "choice", "flag"

YES, NO = "Ya", "Tidak"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str
    meaning: str
    example: str = ""
    width: int = 16
    # Only where the kabupaten keeps a catalogue: the template leaves it out elsewhere, and a file
    # made before the catalogue existed is still read without it.
    optional: bool = False


COLUMNS: list[Column] = [
    Column(
        "title",
        "Judul usulan",
        TEXT,
        gettext_lazy("A short name for the proposed work."),
        "Rabat beton jalan Dusun Sukamaju",
        34,
    ),
    Column(
        "catalogue_item",
        "Kamus usulan",
        CHOICE,
        gettext_lazy(
            "The catalogue item (kamus usulan) the proposal is: it sets the unit, sector and agency, and the "
            "cost is the volume times its unit price."
        ),
        "",
        34,
        optional=True,
    ),
    Column(
        "outside_catalogue_reason",
        "Alasan di luar kamus",
        TEXT,
        gettext_lazy("Only for a proposal no catalogue item fits: why."),
        "",
        30,
        optional=True,
    ),
    Column(
        "problem",
        "Permasalahan",
        TEXT,
        gettext_lazy("The problem the work would solve, as residents describe it."),
        "Jalan tanah sepanjang 300 m licin dan berlubang saat hujan.",
        40,
    ),
    Column(
        "proposed_work",
        "Usulan kegiatan",
        TEXT,
        gettext_lazy("What should be done: the work or activity proposed."),
        "Rabat beton lebar 3 m, tebal 15 cm.",
        40,
    ),
    Column("proposer_type", "Jenis pengusul", CHOICE, gettext_lazy("Who proposes it."), "RT (rukun tetangga)", 26),
    Column(
        "proposer_name",
        "Nama pengusul",
        TEXT,
        gettext_lazy("The person, RT/RW or institution proposing it."),
        "Ketua RT 03 Sukamaju",
        24,
    ),
    Column(
        "proposer_contact",
        "Kontak pengusul",
        TEXT,
        gettext_lazy("A phone number or address to reach the proposer."),
        "0812-3456-7890",
        18,
    ),
    Column(
        "sector",
        "Bidang urusan",
        CHOICE,
        gettext_lazy("The government affairs field (bidang urusan) the work belongs to."),
        "1.03 Pekerjaan Umum dan Penataan Ruang",
        34,
    ),
    Column(
        "work_kind",
        "Jenis kegiatan",
        CHOICE,
        gettext_lazy("Physical work (construction) or non-physical work (training, services)."),
        "Fisik",
        14,
    ),
    Column(
        "target_agency",
        "Perangkat daerah tujuan",
        CHOICE,
        gettext_lazy("The regional agency (OPD) that would carry the work out; leave it empty if not known yet."),
        "",
        34,
    ),
    Column("rt", "RT", TEXT, gettext_lazy("The RT where the work is located."), "003", 7),
    Column("rw", "RW", TEXT, gettext_lazy("The RW where the work is located."), "001", 7),
    Column(
        "address",
        "Alamat/lokasi",
        TEXT,
        gettext_lazy("Where the work is: hamlet, street, a landmark."),
        "Dusun Sukamaju, dekat masjid",
        30,
    ),
    Column(
        "latitude",
        "Lintang",
        DECIMAL,
        gettext_lazy(
            "Latitude of the location in decimal degrees, negative south of the equator. "
            "Give both coordinates or neither."
        ),
        "-4.912345",
        12,
    ),
    Column(
        "longitude",
        "Bujur",
        DECIMAL,
        gettext_lazy("Longitude of the location in decimal degrees. Give both coordinates or neither."),
        "105.123456",
        12,
    ),
    Column("volume", "Volume", DECIMAL, gettext_lazy("How much of the unit: more than zero."), "300", 10),
    Column("unit", "Satuan", TEXT, gettext_lazy("The unit of the volume, e.g. meter, unit, paket."), "meter", 10),
    Column("estimated_cost", "Perkiraan biaya (Rp)", RUPIAH, gettext_lazy("The estimated cost."), "150000000", 18),
    Column("beneficiaries", "Penerima manfaat", TEXT, gettext_lazy("Who benefits."), "Warga Dusun Sukamaju", 26),
    Column(
        "beneficiary_count",
        "Jumlah penerima manfaat",
        INTEGER,
        gettext_lazy("How many people benefit."),
        "240",
        12,
    ),
    Column("land_status_clear", "Status lahan jelas", FLAG, gettext_lazy("Is the status of the land clear?"), YES, 12),
    Column("has_certificate", "Sertifikat lahan ada", FLAG, gettext_lazy("Is there a land certificate?"), NO, 12),
    Column(
        "has_technical_details",
        "Detail teknis ada",
        FLAG,
        gettext_lazy("Are technical details (drawings, specifications) available?"),
        NO,
        12,
    ),
    # Photos are added on the web page; the choice can be made here already.
    Column(
        "photos_public",
        "Foto boleh publik",
        FLAG,
        gettext_lazy("May the photos added later be shown on the public tracking page?"),
        NO,
        12,
    ),
]
BY_FIELD = {column.field: column for column in COLUMNS}


# ---------------------------------------------------------------------------------------------
# The drop-down lists
# ---------------------------------------------------------------------------------------------


@dataclass
class Choices:
    """One drop-down: the labels the template offers, and every spelling the reader accepts."""

    labels: list[str] = field(default_factory=list)
    accepted: dict[str, object] = field(default_factory=dict)

    def add(self, label: str, value, *aliases: str) -> None:
        self.labels.append(label)
        self._accept(label, value)
        for alias in aliases:
            self._accept(alias, value)

    def _accept(self, text: str, value) -> None:
        key = _key(text)
        if not key:
            return
        # A spelling shared by two choices (two agencies named alike) points at neither.
        if self.accepted.get(key, value) != value:
            self.accepted[key] = None
        else:
            self.accepted[key] = value

    def value_of(self, text: str):
        return self.accepted.get(_key(text))


def _text_choices(enum, values=None) -> Choices:
    choices = Choices()
    for value in values or enum.values:
        labels = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(enum(value).label))
        # The drop-down shows the Indonesian label: the file is Indonesian whatever the page says.
        with translation.override("id"):
            shown = str(enum(value).label)
        choices.add(shown, value, value, *labels)
    return choices


def choice_lists(village, plan_year=None) -> dict[str, Choices]:
    """field -> its drop-down, for one village: the agencies and catalogue items are those the
    web form offers it (no catalogue item where its kabupaten keeps none for the plan year)."""
    form = ProposalForm(village=village, plan_year=plan_year)
    village_proposers = [value for value, _label in VILLAGE_PROPOSERS]
    lists = {"proposer_type": _text_choices(ProposerType, village_proposers), "work_kind": _text_choices(WorkKind)}
    sectors = Choices()
    for sector in Sector.objects.all():
        sectors.add(f"{sector.code} {sector.name}", sector.pk, sector.code, sector.name)
    lists["sector"] = sectors
    agencies = list(form.fields["target_agency"].queryset)
    plain = [f"{agency.code} {agency.name}" for agency in agencies]
    choices = Choices()
    for agency, label in zip(agencies, plain, strict=True):
        if plain.count(label) > 1:  # a kabupaten's and its province's office with one code and name
            label = f"{label} ({agency.region.name})"
        choices.add(label, agency.pk, agency.code, agency.name, agency.short_name)
    lists["target_agency"] = choices
    lists["catalogue_item"] = Choices()
    if "catalogue_item" in form.fields:
        for item in form.fields["catalogue_item"].queryset:
            lists["catalogue_item"].add(item.name, item.pk, item.search_name)
    return lists
