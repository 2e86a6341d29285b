"""The worker's side of downloads: build the file, report progress, store it."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone, translation

from .builders import DownloadError, builder_for
from .models import Download, State

# Progress is written at most this often (rows), so a 27,000-row export costs ~55 small updates.
PROGRESS_EVERY = 500


@task
def build_download(download_id: str) -> str:
    download = Download.objects.select_related("user").get(pk=download_id)
    if download.finished:
        return download.state  # run twice (a retried task): the first result stands
    Download.objects.filter(pk=download.pk).update(state=State.RUNNING)

    def progress(done: int, total: int | None) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            Download.objects.filter(pk=download.pk).update(done=done, total=total)

    try:
        with translation.override(download.params.get("language") or None):
            filename, content_type, content = builder_for(download.kind)(download, progress)
    except DownloadError as error:
        Download.objects.filter(pk=download.pk).update(state=State.FAILED, error=str(error), finished_at=timezone.now())
        return State.FAILED
    except Exception as error:
        Download.objects.filter(pk=download.pk).update(
            state=State.FAILED, error=f"{type(error).__name__}", finished_at=timezone.now()
        )
        raise
    download.file.save(filename, ContentFile(content), save=False)
    try:
        Download.objects.filter(pk=download.pk).update(
            state=State.DONE,
            file=download.file.name,
            filename=filename,
            content_type=content_type,
            finished_at=timezone.now(),
        )
    except BaseException:
        download.file.storage.delete(download.file.name)  # no row points at it
        raise
    return State.DONE
