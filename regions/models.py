"""The administrative ladder and the agencies that carry out the work.

A region's Kemendagri code holds its whole ancestry ("18.02.01.2001" lies in kecamatan
"18.02.01", kabupaten "18.02" and provinsi "18"), so "everything under 18.02" is one indexed
prefix query on the code, with no recursion. The parent link is kept as well, for joins and
for the admin.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN = 2, _("Regency/city")
    KECAMATAN = 3, _("District")
    DESA = 4, _("Village")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def kind_of(code: str) -> str:
    """The kind follows from the code itself (Kepmendagri numbering rules).

    Kabupaten are numbered 01-69 and kota 71-99; in Papua (provinces 91 and up) a kecamatan
    is a distrik; a village number starting with 1 is a kelurahan, 2 a desa, 3 a desa adat.
    """
    parts = code.split(".")
    match len(parts):
        case 1:
            return Kind.PROVINSI
        case 2:
            return Kind.KOTA if int(parts[1]) >= 70 else Kind.KABUPATEN
        case 3:
            return Kind.DISTRIK if int(parts[0]) >= 91 else Kind.KECAMATAN
        case _:
            return {"1": Kind.KELURAHAN, "3": Kind.DESA_ADAT}.get(parts[3][0], Kind.DESA)


class RegionQuerySet(models.QuerySet):
    def subtree(self, region: "Region"):
        """The region and everything under it: one prefix query on the indexed code."""
        return self.filter(models.Q(pk=region.pk) | models.Q(code__startswith=region.code + "."))

    def below(self, region: "Region"):
        return self.filter(code__startswith=region.code + ".")

    def coded(self, code: str | None) -> "Region | None":
        """The region a code typed into an address names, or None. A code that cannot be one (a
        NUL in it would make PostgreSQL refuse the query: a 500) names nothing."""
        if not code or not CODE_RE.match(code):
            return None
        return self.filter(code=code).first()

    def attach(self, objects, *fields: str):
        """Give each of `objects` its regions named by `fields` (a proposal's "village",
        "kecamatan", ...) from one query by id, in place of a join per field. PostgreSQL spends
        longer planning a query that joins this 91,000-row table more than once than running
        it: a proposal with its four regions 3.8 ms against 0.7 (2 M proposals). One query for
        all the fields, where prefetch_related would make one per field."""
        objects = list(objects)
        ids = {getattr(obj, f"{field}_id") for obj in objects for field in fields} - {None}
        regions = self.in_bulk(ids) if ids else {}
        for obj in objects:
            for field in fields:
                region_id = getattr(obj, f"{field}_id")
                if region_id is not None:
                    setattr(obj, field, regions[region_id])
        return objects


class Region(models.Model):
    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
            ),
        ]
        # unique=True on code already gives PostgreSQL a varchar_pattern_ops index for LIKE 'x.%'.
        indexes = [
            models.Index(fields=["parent", "name"], name="region_parent_name"),
            # The regions of one level in code order: the provinces every region chooser starts
            # from, the season board's regions. (The forum board walked it until forums kept their
            # region's code: forums.Forum.region_code.)
            models.Index(fields=["level", "code"], name="region_level_code"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name as a letterhead writes it: 'Kecamatan Kalirejo', 'Desa Kalirejo'.

        Kabupaten and kota names already carry their kind in the official list.
        """
        if self.level in (Level.KECAMATAN, Level.DESA):
            # Kind(...).label, not get_kind_display() or a test against Kind.values, which build
            # every choice on each call (a list names dozens of regions: 37 µs a name). An unknown
            # kind shows as stored, as Django would.
            try:
                kind = Kind(self.kind).label
            except ValueError:
                kind = self.kind
            return f"{kind} {self.name}"
        return self.name

    def is_within(self, other: "Region") -> bool:
        return self.code == other.code or self.code.startswith(other.code + ".")

    def ancestor_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    @property
    def province_code(self) -> str:
        """The code of the province it lies in (its own, for a province)."""
        return self.code.split(".")[0]


class Agency(models.Model):
    """A perangkat daerah (OPD), e.g. Dinas Pekerjaan Umum dan Penataan Ruang, of one kabupaten/kota or province."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("region"),
        limit_choices_to={"level__in": [Level.PROVINSI, Level.KABUPATEN]},
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region__code", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="agency_code_unique_per_region")]

    def __str__(self):
        return self.short_name or self.name


def logo_path(office, filename: str) -> str:
    # The name is ours, not the uploader's: a unit's logo is replaced in place by a new name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    owner = f"wilayah-{office.region_id}" if office.region_id else f"opd-{office.agency_id}"
    return f"kop/{owner}.{extension}"


class Office(models.Model):
    """A government unit's office as its letterhead (kop surat) prints it: the address, telephone,
    e-mail and logo under "PEMERINTAH ..." on the berita acara of the forums it holds.

    One per unit: a region's government (desa/kelurahan, kecamatan, kabupaten/kota, province) or
    an agency. Kept by Bappeda (planning/offices.py); read by the minutes (forums/pdf.py).
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="office", verbose_name=_("region")
    )
    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="office", verbose_name=_("agency")
    )
    address = models.CharField(_("office address"), max_length=255)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=100, blank=True)
    logo = models.FileField(_("logo"), upload_to=logo_path, max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            # A region's government or an agency, never both and never neither.
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, agency__isnull=True)
                | models.Q(region__isnull=True, agency__isnull=False),
                name="office_of_one_unit",
            ),
        ]

    def __str__(self):
        return str(self.region or self.agency)

    @property
    def unit(self):
        return self.region or self.agency
