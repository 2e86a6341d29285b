"""The proposal list's downloads: CSV and XLSX of its columns, and the layouts apps above offer
through proposals.seams (the SIPD layout).

Every download holds the officer's filtered rows in the list's order (its ?sort=). Up to
settings.EXPORT_INLINE_ROWS rows it is answered in the request (a few seconds at most);
above, the background worker builds it (downloads) from the same query string, and the
officer watches a progress page: the largest kabupaten's 27,511 rows took 37.6 s as XLSX,
past any proxy's patience.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from downloads.builders import DownloadError, request_download

from . import paging
from .filters import ProposalFilter
from .models import Proposal
from .seams import list_exports
from .tables import ProposalExportTable

TRIGGER = "_export"  # ?_export=csv, as django-tables2 names it
FORMATS = ("csv", "xlsx")
KIND = "proposals.list"


def offered(wanted: str | None) -> bool:
    return wanted in FORMATS or wanted in list_exports()


def filtered_rows(request):
    """The rows the officer's list shows for this query string, every page of them."""
    filterset = ProposalFilter(
        request.GET, queryset=Proposal.objects.visible_to(request.user).for_export(), request=request
    )
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def respond(request, wanted: str):
    """The download itself, or (for a big one) a redirect to its progress page."""
    rows = filtered_rows(request)
    count = rows.count()
    if count <= settings.EXPORT_INLINE_ROWS:
        return build(request, wanted, rows)
    query = request.GET.copy()
    query.pop("page", None)
    download = request_download(
        user=request.user,
        kind=KIND,
        label=_("Proposal list, %(format)s, %(count)s rows")
        % {"format": wanted.upper(), "count": number_format(count, force_grouping=True)},
        params={"query": query.urlencode(), "format": wanted, "language": get_language()},
        total=count,
    )
    return redirect("downloads:detail", download.pk)


def build(request, wanted: str, rows, progress=None) -> HttpResponse:
    if wanted in list_exports():
        prepare, write = list_exports()[wanted]
        table = paging.configure_table(ProposalExportTable(data=prepare(rows)), request, paginate=False)
        records = (row.record for row in table.rows)
        return write(_counted(records, progress) if progress else records)
    table = paging.configure_table(ProposalExportTable(data=rows), request, paginate=False)
    table.progress = progress
    return TableExport(wanted, table).response(filename=f"usulan.{wanted}")


def _counted(records, progress):
    for done, record in enumerate(records, 1):
        progress(done)
        yield record


def build_in_worker(download, progress) -> tuple[str, str, bytes]:
    """downloads' builder: the same rows, as the officer asked for them, rebuilt in the worker."""
    user = download.user
    if not user.is_active:
        raise DownloadError(_("The account that asked for this file is no longer active."))
    request = HttpRequest()
    request.method = "GET"
    request.path = reverse("proposals:list")
    request.user = user
    request.GET = QueryDict(download.params["query"])
    response = build(
        request, download.params["format"], filtered_rows(request), lambda done: progress(done, download.total)
    )
    progress(download.total, download.total)
    disposition = re.search(r'filename="?([^";]+)', response.get("Content-Disposition", ""))
    filename = disposition.group(1) if disposition else f"usulan.{download.params['format']}"
    return filename, response["Content-Type"], response.content
