"""Who may see a download: the officer who asked for it, nobody else (a 404 for everyone else)."""

from django.shortcuts import get_object_or_404

from .models import Download


def get_download_for_user(user, pk) -> Download:
    return get_object_or_404(Download.objects.filter(user=user), pk=pk)
