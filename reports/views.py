"""The Renja pages: the agencies an officer may read, and one agency's list (page, XLSX, PDF)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from downloads.builders import request_download
from planning.years import chosen_year
from proposals.paging import paged
from proposals.tables import XLSX_CONTENT_TYPE

from .access import agencies_for_user, get_agency_for_user, reads_renja
from .renja import counts, renja_rows, workbook

PDF_KIND = "reports.renja_pdf"


def _year(request):
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    return year, years


@login_required
@require_safe
def renja_index(request):
    if not reads_renja(request.user):
        raise Http404
    agencies = agencies_for_user(request.user).select_related("region").order_by("region__code", "code")
    year, years = _year(request)
    page = paged(request, agencies, 100)
    held = counts([a.pk for a in page], year)
    rows = [(agency, held.get(agency.pk, 0)) for agency in page]
    if len(rows) == 1 and page.paginator.count == 1:  # an agency officer: straight to the list
        return redirect(f"{reverse('reports:renja', args=[rows[0][0].pk])}?year={year.year}")
    return render(request, "reports/renja_index.html", {"rows": rows, "page": page, "year": year, "years": years})


@login_required
@require_safe
def renja_detail(request, pk):
    agency = get_agency_for_user(request.user, pk)
    year, years = _year(request)
    wanted = request.GET.get("format")
    if wanted == "pdf":
        download = request_download(
            user=request.user,
            kind=PDF_KIND,
            label=_("Renja list of %(agency)s, RKPD %(year)s (PDF)") % {"agency": agency, "year": year.year},
            params={"agency": agency.pk, "year": year.year, "language": get_language()},
        )
        return redirect("downloads:detail", download.pk)
    rows = renja_rows(agency, year)
    if wanted == "xlsx":
        return HttpResponse(
            workbook(agency, year, rows),
            content_type=XLSX_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="renja-{agency.code}-{year.year}.xlsx"'},
        )
    context = {
        "agency": agency,
        "year": year,
        "years": years,
        "rows": rows,
        "total": sum(row.cost for row in rows),
        "estimated": sum(row.proposal.estimated_cost for row in rows),
    }
    return render(request, "reports/renja.html", context)
