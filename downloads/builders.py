"""The door between downloads and the apps above it that build files.

An app registers a builder under a name from its AppConfig.ready(); `request_download` saves the
officer's request and queues it; the worker's task (downloads.tasks) finds the builder by name.
downloads imports none of those apps.

A builder is called as builder(download, progress) and returns (filename, content_type, bytes);
it calls progress(done, total) as rows are written, and raises DownloadError with a message for
the officer when the request no longer makes sense (the officer lost the role, say).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import Download

Progress = Callable[[int, int | None], None]
Builder = Callable[[Download, Progress], tuple[str, str, bytes]]
_builders: dict[str, Builder] = {}


class DownloadError(Exception):
    pass


def register(kind: str, builder: Builder) -> None:
    _builders[kind] = builder


def builder_for(kind: str) -> Builder:
    try:
        return _builders[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No download builder is registered as {kind!r}.") from None


def request_download(*, user, kind: str, label: str, params: dict, total: int | None = None) -> Download:
    """Save the request and queue its building, together: the worker sees both or neither."""
    from .tasks import build_download

    builder_for(kind)  # a typo fails here, in the request, not later in the worker
    with transaction.atomic():
        download = Download.objects.create(user=user, kind=kind, label=label, params=params, total=total)
        build_download.enqueue(str(download.pk))
    return download
