"""The proposal list as a table; the same columns feed its CSV and XLSX exports.

Screen cells are formatted (Rp1.250.000, translated status); export cells carry raw values
(`value_*`), so a spreadsheet can sum them.
"""

import html
from decimal import Decimal
from urllib.parse import quote_plus

import django_tables2 as tables
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

# The content type lives with the other spreadsheet pieces; the downloads import it from here too.
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE  # noqa: F401

from .models import Channel, Proposal, Status
from .templatetags.musrenbang import rupiah

# Columns a phone-sized screen leaves out (see app.css).
WIDE = {"th": {"class": "wide"}, "td": {"class": "wide"}}


# What every spreadsheet the app writes shares: its media type and how it shows Rupiah amounts
# (as numbers, so that a sheet can still sum them).
RUPIAH_NUMBER_FORMAT = '"Rp"#,##0'


def plain_volume(value: Decimal) -> int | float:
    """A volume as a spreadsheet number: 600.00 -> 600, 12.50 -> 12.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def cell_text(value) -> str:
    """A cell's value escaped as Django's escape() escapes it, minus the check for lazy text
    that escape() makes on every call: the list's 300 cells a page spent a millisecond in it."""
    return value if isinstance(value, SafeString) else html.escape(str(value))


def outside_mark(proposal) -> str:
    """The mark beside the title of a proposal filed outside the kabupaten's catalogue."""
    if not proposal.outside_catalogue_reason:
        return ""
    return format_html(' <span class="badge outside-catalogue">{}</span>', _("outside the catalogue"))


def pokir_mark(proposal) -> str:
    """The mark a DPRD member's item carries beside its title in every list."""
    if proposal.channel != Channel.POKIR:
        return ""
    return format_html(' <span class="badge pokir">{}</span>', Channel.POKIR.label)


def title_marks(proposal) -> str:
    """The marks beside a proposal's title in every list: Pokir, outside the catalogue."""
    marks = (pokir_mark(proposal), outside_mark(proposal))
    return format_html("{}{}", *marks) if any(marks) else ""  # most items have none: no format_html()


class ProposalTable(tables.Table):
    tracking_code = tables.Column(verbose_name=_("Code"), default="—", attrs={"td": {"class": "code"}})
    title = tables.Column(verbose_name=_("Title"))
    village = tables.Column(verbose_name=_("Village"), accessor="village__name", order_by="village__name")
    kecamatan = tables.Column(
        verbose_name=_("District"), accessor="kecamatan__name", order_by="kecamatan__name", attrs=WIDE
    )
    sector = tables.Column(verbose_name=_("Sector"), accessor="sector__name", order_by="sector__code", attrs=WIDE)
    target_agency = tables.Column(
        verbose_name=_("Target agency"), default="—", order_by="target_agency__code", attrs=WIDE
    )
    # Both orders end on the id, so that equal amounts or times never swap between two pages.
    estimated_cost = tables.Column(
        verbose_name=_("Estimated cost"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
        order_by=("estimated_cost", "id"),
    )
    # What the last approved forum agreed to, beside what the village estimated.
    agreed_cost = tables.Column(
        verbose_name=_("Agreed cost"), default="—", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateColumn(
        verbose_name=_("Entered"), format="SHORT_DATE_FORMAT", attrs=WIDE, order_by=("created_at", "id")
    )

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
            "agreed_cost",
            "status",
            "created_at",
            "...",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table"}
        # The rows written out in the template (see its comment); the header and paging are generic.
        template_name = "proposals/_table.html"
        empty_text = _("No proposals match these filters.")

    # The orders an index serves over a whole province or the country (proposals/models.py). Any
    # other order there sorts every row in scope for each page: 1 s for the nation's 2 M by title
    # or village. A wide table offers only these; a kabupaten's (20,000 at most) offers them all.
    WIDE_ORDERS = {"created_at", "estimated_cost", "tracking_code"}

    def __init__(self, *args, wide=False, **kwargs):
        super().__init__(*args, **kwargs)
        if wide:
            for name, column in self.columns.items():
                if name not in self.WIDE_ORDERS:
                    column.column.orderable = False

    # Each cell carries its column's name (data-label): on a phone the row is a card that names
    # each value (static/css/app.css); the labels are filled in once per page, the cells per row.
    ROW = (
        '<tr><td class="code" data-label="%s">{}</td><td data-label="%s"><a href="{}">{}</a>{}</td>'
        '<td data-label="%s">{}</td><td class="wide" data-label="%s">{}</td><td class="wide" data-label="%s">{}</td>'
        '<td class="wide" data-label="%s">{}</td><td class="num" data-label="%s">{}</td>'
        '<td class="num" data-label="%s">{}</td><td data-label="%s">{}</td>'
        '<td class="wide" data-label="%s">{}</td></tr>'
    )

    def body_html(self):
        """This page's rows, written in Python as the Django admin writes its list: through the
        template engine they took 2.8 ms of CPU, the largest part of the page (and django-tables2's
        own cell loop twice that). The columns, headers, sorting and exports stay declared above; a
        test compares these rows with django-tables2's, cell by cell. What is the same on every row
        (the labels, the statuses' names, the date format, the address around a proposal's id) is
        looked up once a page: per row, they were half of the rows' 1.2 ms."""
        labels = tuple(cell_text(column.header).replace("{", "{{").replace("}", "}}") for column in self.columns)
        row = self.ROW % labels
        statuses = {status.value: str(status.label) for status in Status}
        short_date = get_format("SHORT_DATE_FORMAT")
        # reverse() once: the address of proposal 0, split around that 0 to take each row's id.
        before, _, after = reverse("proposals:detail", args=[0]).rpartition("0")
        rows = [
            row.format(
                *map(
                    cell_text,
                    (
                        p.tracking_code or "—",
                        f"{before}{p.pk}{after}",
                        p.title,
                        title_marks(p),
                        p.village_name,
                        p.kecamatan_name,
                        p.sector_name,
                        p.agency_name or "—",
                        rupiah(p.estimated_cost),
                        "—" if p.agreed_cost is None else rupiah(p.agreed_cost),
                        statuses[p.status],
                        dateformat.format(localtime(p.created_at), short_date),
                    ),
                )
            )
            for p in (row.record for row in self.paginated_rows)
        ]
        if not rows:
            return format_html('<tr><td colspan="10">{}</td></tr>', self.empty_text)
        return mark_safe("".join(rows))  # every cell went through cell_text

    def header_html(self):
        """The header row, written out as the rows are: django-tables2's loop asks each column for
        all its attributes (header, cells and footer) and a query string of its own, 1 ms a page.
        Each header gets the classes django-tables2 gives it (its own, orderable, asc or desc:
        BoundColumn.get_th_class) and, when its column sorts, a link to this list in the column's
        next order, the rest of the query string kept and encoded once. A test compares it with
        django-tables2's."""
        field = self.prefixed_order_by_field
        query = self.request.GET.copy()
        query.pop(field, None)
        link = html.escape(f"?{query.urlencode()}&{field}=" if query else f"?{field}=")
        cells = []
        for column in self.columns:
            declared = column.column.attrs.get("th", {}).get("class")
            classes = set(declared.split()) if declared else set()
            header = cell_text(column.header)
            if column.orderable:
                classes.add("orderable")
                header = f'<a href="{link}{quote_plus(column.order_by_alias.next)}">{header}</a>'
            if column.is_ordered:
                classes.add("desc" if column.order_by_alias.is_descending else "asc")
            shown = f' class="{" ".join(sorted(classes))}"' if classes else ""  # class names: no escaping
            cells.append(f"<th{shown}>{header}</th>")
        return mark_safe(f"<thead><tr>{''.join(cells)}</tr></thead>")  # headers and links escaped above

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>{}', record.get_absolute_url(), value, title_marks(record))

    def render_estimated_cost(self, value):
        return format_rupiah(value)

    def render_agreed_cost(self, value):
        return format_rupiah(value)


class ProposalExportTable(ProposalTable):
    """The list's columns and those only a spreadsheet gets (hidden on screen, present in CSV and
    XLSX). The page's table leaves them out: django-tables2 deep-copies every column of a table
    for each page, and these fourteen were half of that copy."""

    channel = tables.Column(verbose_name=_("Channel"), visible=False)
    planning_year = tables.Column(verbose_name=_("Planning year"), visible=False)
    village_code = tables.Column(verbose_name=_("Village code"), accessor="village__code", visible=False)
    problem = tables.Column(verbose_name=_("Problem"), visible=False)
    proposed_work = tables.Column(verbose_name=_("Proposed work"), visible=False)
    volume = tables.Column(verbose_name=_("Volume"), visible=False)
    unit = tables.Column(verbose_name=_("Unit"), visible=False)
    # The catalogue item and unit price the proposal was filed with, or why it is outside the catalogue.
    catalogue_name = tables.Column(verbose_name=_("Catalogue item"), visible=False, default="")
    catalogue_unit_price = tables.Column(verbose_name=_("Unit price"), visible=False, default="")
    outside_catalogue_reason = tables.Column(verbose_name=_("Outside the catalogue: why"), visible=False, default="")
    beneficiary_count = tables.Column(verbose_name=_("Beneficiaries"), visible=False)
    # Where the village placed the work (empty when it did not), as numbers a GIS reads.
    latitude = tables.Column(verbose_name=_("Latitude"), visible=False, default="")
    longitude = tables.Column(verbose_name=_("Longitude"), visible=False, default="")

    # Called with the number of rows written so far, when the background worker exports.
    progress = None

    def as_values(self, exclude_columns=None):
        # A title typed as "=HYPERLINK(...)" must reach the spreadsheet as text, not as a formula.
        for done, row in enumerate(super().as_values(exclude_columns)):
            if self.progress and done:  # the first row is the header
                self.progress(done)
            yield [spreadsheet_safe(value) for value in row]

    def value_title(self, value):
        return value

    def value_estimated_cost(self, value):
        return value

    def value_agreed_cost(self, value):
        return value

    def value_status(self, record):
        return record.get_status_display()

    def value_created_at(self, value):
        return localtime(value).date().isoformat()

    def value_channel(self, record):
        return record.get_channel_display()

    def value_volume(self, value):
        return float(value)

    def value_latitude(self, value):
        return float(value)

    def value_longitude(self, value):
        return float(value)
