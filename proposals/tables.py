"""The proposal list as a table; the same columns feed its CSV and XLSX exports.

Screen cells are formatted (Rp1.250.000, translated status); export cells carry raw values
(`value_*`), so a spreadsheet can sum them.
"""

from decimal import Decimal

import django_tables2 as tables
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

from .models import Proposal

# Columns a phone-sized screen leaves out (see app.css).
WIDE = {"th": {"class": "wide"}, "td": {"class": "wide"}}


# What every spreadsheet the app writes shares: its media type and how it shows Rupiah amounts
# (as numbers, so that a sheet can still sum them).
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUPIAH_NUMBER_FORMAT = '"Rp"#,##0'


def plain_volume(value: Decimal) -> int | float:
    """A volume as a spreadsheet number: 600.00 -> 600, 12.50 -> 12.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class ProposalTable(tables.Table):
    tracking_code = tables.Column(verbose_name=_("Code"), default="—", attrs={"td": {"class": "code"}})
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    village = tables.Column(verbose_name=_("Village"), accessor="village__name", order_by="village__name")
    kecamatan = tables.Column(
        verbose_name=_("District"), accessor="kecamatan__name", order_by="kecamatan__name", attrs=WIDE
    )
    sector = tables.Column(verbose_name=_("Sector"), accessor="sector__name", order_by="sector__code", attrs=WIDE)
    target_agency = tables.Column(
        verbose_name=_("Target agency"), default="—", order_by="target_agency__code", attrs=WIDE
    )
    estimated_cost = tables.Column(
        verbose_name=_("Estimated cost"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateColumn(verbose_name=_("Entered"), format="SHORT_DATE_FORMAT", attrs=WIDE)

    # Export-only columns: hidden on screen, present in CSV and XLSX.
    planning_year = tables.Column(verbose_name=_("Planning year"), visible=False)
    village_code = tables.Column(verbose_name=_("Village code"), accessor="village__code", visible=False)
    problem = tables.Column(verbose_name=_("Problem"), visible=False)
    proposed_work = tables.Column(verbose_name=_("Proposed work"), visible=False)
    volume = tables.Column(verbose_name=_("Volume"), visible=False)
    unit = tables.Column(verbose_name=_("Unit"), visible=False)
    beneficiary_count = tables.Column(verbose_name=_("Beneficiaries"), visible=False)

    class Meta:
        model = Proposal
        fields = ()
        sequence = (
            "tracking_code",
            "title",
            "village",
            "kecamatan",
            "sector",
            "target_agency",
            "estimated_cost",
            "status",
            "created_at",
            "...",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table"}
        # The rows written out in the template (see its comment); the header and paging are generic.
        template_name = "proposals/_table.html"
        empty_text = _("No proposals match these filters.")

    # Called with the number of rows written so far, when the background worker exports.
    progress = None

    def as_values(self, exclude_columns=None):
        # A title typed as "=HYPERLINK(...)" must reach the spreadsheet as text, not as a formula.
        for done, row in enumerate(super().as_values(exclude_columns)):
            if self.progress and done:  # the first row is the header
                self.progress(done)
            yield [spreadsheet_safe(value) for value in row]

    def render_estimated_cost(self, value):
        return format_rupiah(value)

    def value_estimated_cost(self, value):
        return value

    def value_status(self, record):
        return record.get_status_display()

    def value_created_at(self, value):
        return localtime(value).date().isoformat()

    def value_volume(self, value):
        return float(value)
