"""The audit log's downloads: CSV and XLSX of the filtered rows, every page of them.

Up to settings.EXPORT_INLINE_ROWS rows the file is answered in the request; above, the background
worker builds it from the same query string (downloads), as for the proposal list.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from downloads.builders import DownloadError, request_download

from . import access, changes, queries
from .filters import LogFilter
from .tables import LogTable

TRIGGER = "_export"
FORMATS = ("csv", "xlsx")
KIND = "audit.log"
FILENAME = "jejak-audit"


def filtered_rows(request, code: str):
    """The rows of the reader's log that this query string selects; none when it is invalid."""
    filterset = LogFilter(request.GET, queryset=queries.log_of(code), request=request)
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def respond(request, code: str, wanted: str):
    """The download itself, or (for a big one) the address of its progress page."""
    rows = filtered_rows(request, code)
    count = rows.count()
    if count <= settings.EXPORT_INLINE_ROWS:
        return build(wanted, rows)
    query = request.GET.copy()
    query.pop("page", None)
    download = request_download(
        user=request.user,
        kind=KIND,
        label=_("Audit log, %(format)s, %(count)s rows")
        % {"format": wanted.upper(), "count": number_format(count, force_grouping=True)},
        params={"query": query.urlencode(), "format": wanted, "language": get_language()},
        total=count,
    )
    return reverse("downloads:detail", args=[download.pk])


def build(wanted: str, rows) -> HttpResponse:
    table = LogTable(data=changes.describe(rows))
    return TableExport(wanted, table).response(filename=f"{FILENAME}.{wanted}")


def build_in_worker(download, progress) -> tuple[str, str, bytes]:
    """downloads' builder: the same rows, as the officer asked for them, read again in the worker."""
    user = download.user
    code = access.log_code_of(user)
    if code is None:
        raise DownloadError(_("The account that asked for this file no longer reads the audit log."))
    request = HttpRequest()
    request.method = "GET"
    request.path = reverse("audit:log")
    request.user = user
    request.GET = QueryDict(download.params["query"])
    response = build(download.params["format"], filtered_rows(request, code))
    progress(download.total, download.total)
    disposition = re.search(r'filename="?([^";]+)', response.get("Content-Disposition", ""))
    filename = disposition.group(1) if disposition else f"{FILENAME}.{download.params['format']}"
    return filename, response["Content-Type"], response.content
