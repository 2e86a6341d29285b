"""The catalogue of proposals (kamus usulan) of one kabupaten/kota for one plan year.

Each item fixes what a village's proposal of that kind is: its operational definition, unit,
unit price (from the region's standard price lists: SSH, HSPK or ASB), the agency that carries
it out, the sector and whether the work is physical. A village picks an item and its proposal
takes the unit, agency and sector, and costs volume x unit price; the proposal keeps the item's
name and price as they were when it was filed (proposals.Proposal.catalogue_*), so a price
changed later never rewrites it. Items are deactivated, never deleted: proposals point at them.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SUB_ACTIVITY_CODE = r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$"  # e.g. 1.03.10.2.01.0017 (Kepmendagri 050-5889)
# Far above any unit price in an SSH (a kilometre of road is priced per metre), low enough to
# catch a mistyped figure.
MAX_UNIT_PRICE = 10_000_000_000


def folded(text: str) -> str:
    """Text as the catalogue compares it: without accents, case or repeated spaces
    ("Rabat Betón  jalan" -> "rabat beton jalan"). Stored beside the name (search_name), so that
    the same search works on SQLite and PostgreSQL without the unaccent extension. The index on
    (kabupaten, plan year, active, search_name) narrows a search to one catalogue, a few hundred
    items, whose folded names the typed words are then matched in; a trigram index would serve
    catalogues of many thousands, which no kabupaten keeps."""
    # A NUL names nothing, and PostgreSQL refuses it in a query (a 500): it goes with the accents.
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(ch) and ch != "\x00"
    )
    return re.sub(r"\s+", " ", plain).strip().casefold()


class PriceSource(models.TextChoices):
    SSH = "ssh", _("SSH (standard unit prices)")
    HSPK = "hspk", _("HSPK (unit prices of work)")
    ASB = "asb", _("ASB (standard cost analysis)")


class CatalogueItemQuerySet(models.QuerySet):
    def of(self, kabupaten, planning_year) -> CatalogueItemQuerySet:
        return self.filter(kabupaten=kabupaten, planning_year=planning_year)

    def active(self) -> CatalogueItemQuerySet:
        return self.filter(active=True)

    def matching(self, text: str) -> CatalogueItemQuerySet:
        """Items whose name holds every typed word, ignoring case and accents."""
        items = self
        for word in folded(text).split()[:8]:
            items = items.filter(search_name__contains=word)
        return items


class CatalogueItem(models.Model):
    kabupaten = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city")
    )
    planning_year = models.ForeignKey(
        "planning.PlanningYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan year")
    )
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False)
    definition = models.TextField(_("operational definition"))
    unit = models.CharField(_("unit"), max_length=30)
    unit_price = models.BigIntegerField(_("unit price (Rp)"))
    price_source = models.CharField(_("price source"), max_length=5, choices=PriceSource.choices)
    agency = models.ForeignKey(
        "regions.Agency", on_delete=models.PROTECT, related_name="catalogue_items", verbose_name=_("agency")
    )
    sector = models.ForeignKey(
        "planning.Sector", on_delete=models.PROTECT, related_name="catalogue_items", verbose_name=_("sector")
    )
    physical = models.BooleanField(_("physical work"), default=True)
    sub_activity_code = models.CharField(_("sub kegiatan code"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["name", "id"]
        constraints = [
            # One item of a name (as compared: case and accents aside) per kabupaten and year: the
            # name is what a village picks and what an import matches rows by.
            models.UniqueConstraint(fields=["kabupaten", "planning_year", "search_name"], name="catalogue_name_unique"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gt=0, unit_price__lte=MAX_UNIT_PRICE), name="catalogue_price_bounds"
            ),
        ]
        indexes = [
            models.Index(fields=["kabupaten", "planning_year", "active", "search_name"], name="catalogue_search"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:edit", args=[self.pk])

    def fold_name(self) -> None:
        self.name = re.sub(r"\s+", " ", self.name).strip()
        self.search_name = folded(self.name)
