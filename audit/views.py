from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django_tables2 import LazyPaginator

from proposals import paging
from regions.models import Level, level_of

from . import access, changes, exports, queries
from .filters import LogFilter
from .models import NATION
from .tables import LogTable

PER_PAGE = 50


@login_required
@require_safe
def log(request):
    """A Bappeda's (or the administrator's) audit log: filtered, paged, downloadable."""
    code = access.get_log_code_for_user(request.user)
    wanted = request.GET.get(exports.TRIGGER)
    if wanted in exports.FORMATS:
        answer = exports.respond(request, code, wanted)
        return redirect(answer) if isinstance(answer, str) else answer
    filterset = LogFilter(request.GET, queryset=queries.log_of(code), request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    # A province's or the nation's log is long: page forward without counting it.
    wide = code == NATION or level_of(code) == Level.PROVINSI
    pagination = {"per_page": PER_PAGE, "paginator_class": LazyPaginator if wide else Paginator}
    try:
        table = paging.configure_table(LogTable(data=rows), request, pagination)
    except paging.PastTheEnd as past:
        messages.info(request, past.message)
        return redirect(past.url)
    changes.describe(row.record for row in table.page.object_list)
    return render(request, "audit/log.html", {"filter": filterset, "table": table, "lazy_count": wide})
