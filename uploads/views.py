"""An upload's page: its progress while the worker reads it, then what came of it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .access import get_upload_for_user
from .readers import Refused, outcome_of


@login_required
@require_safe
@never_cache
def detail(request, pk):
    upload = get_upload_for_user(request.user, pk)
    outcome = outcome_of(upload)
    return render(
        request,
        "uploads/detail.html",
        {
            "upload": upload,
            "refused": outcome if isinstance(outcome, Refused) else None,
            "saved": outcome if outcome is not None and not isinstance(outcome, Refused) else None,
            "again": upload.params.get("again", ""),
        },
    )
