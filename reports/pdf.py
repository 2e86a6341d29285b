"""The Renja list as a PDF, built by the background worker (downloads.builders)."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from downloads.builders import DownloadError
from planning.models import PlanningYear

from .access import agencies_for_user
from .renja import renja_rows


def build_renja_pdf(download, progress):
    params = download.params
    # Asked for earlier: the officer must still be allowed to read it now.
    agency = agencies_for_user(download.user).filter(pk=params["agency"]).select_related("region").first()
    year = PlanningYear.objects.filter(year=params["year"]).first()
    if agency is None or year is None:
        raise DownloadError(_("This list is no longer yours to read."))
    rows = renja_rows(agency, year)
    progress(0, len(rows))
    with translation.override("id"):  # an official list, in the official language
        html = render_to_string(
            "reports/renja_pdf.html",
            {
                "agency": agency,
                "year": year,
                "rows": rows,
                "total": sum(row.cost for row in rows),
                "estimated": sum(row.proposal.estimated_cost for row in rows),
            },
        )
    content = HTML(string=html).write_pdf()
    progress(len(rows), len(rows))
    return f"renja-{agency.code}-{year.year}.pdf", "application/pdf", content
