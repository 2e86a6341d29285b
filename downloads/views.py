"""A download's progress page and its file, for the officer who asked for it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from musrenbang.files import served

from .access import get_download_for_user
from .models import State


@login_required
@require_safe
@never_cache
def detail(request, pk):
    download = get_download_for_user(request.user, pk)
    return render(request, "downloads/detail.html", {"download": download})


@login_required
@require_safe
@never_cache
def file(request, pk):
    download = get_download_for_user(request.user, pk)
    if download.state != State.DONE:
        raise Http404
    return served(download.file, as_attachment=True, filename=download.filename, content_type=download.content_type)
