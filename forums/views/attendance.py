"""Attendance at real size: the list with its counts, a table adding many people at once, the
spreadsheet import and its template, and the scans of the signed paper (attendance list,
stamped berita acara) kept with the forum and served only to those who may see it."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.once import sent_once
from musrenbang.files import STORAGE_REFUSED, StorageFailure, served
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from uploads.forms import ImportForm
from uploads.readers import send_to_worker

from .. import access, forms, workflow
from .. import attendance as attendance_rule
from .. import attendance_import as spreadsheet
from ..models import ScanKind
from .pages import forum_page

logger = logging.getLogger(__name__)


def _rows_asked(request) -> int:
    try:
        return int(request.GET.get("rows", forms.ROWS))
    except ValueError:
        return forms.ROWS


def _added(request, added: list) -> None:
    messages.success(
        request,
        ngettext("%(count)d attendee was added.", "%(count)d attendees were added.", len(added))
        % {"count": len(added)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def attendance(request, pk):
    """The list and its counts; for the forum's officers, a table of blank rows to fill in.

    "More rows" works without JavaScript: a link (?rows=N) on a fresh table, a button (name
    "more") on a table already typed in, which comes back with what was typed and saves nothing.
    """
    forum = access.get_forum_for_user(request.user, pk, write=request.method == "POST")
    more = request.method == "POST" and "more" in request.POST
    if more:
        rows = forms.more_rows(request.POST)
    elif request.method == "POST":
        rows = forms.attendee_rows(request.POST)
        if rows.is_valid():
            try:
                added = workflow.add_attendees(actor=request.user, forum=forum, rows=rows.filled())
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
            else:
                _added(request, added)
                return redirect(request.path)
    else:
        rows = forms.attendee_rows(rows=_rows_asked(request))
    counts = attendance_rule.counts(forum)
    return forum_page(
        request,
        "forums/attendance.html",
        forum,
        rows=rows,
        show_errors=rows.is_bound and not more,
        more_rows=min(rows.total_form_count() + forms.ROWS, forms.MAX_ROWS),
        max_rows=forms.MAX_ROWS,
        people=list(forum.attendees.all()),
        counts=counts,
        problems=attendance_rule.problems(forum, counts),
        scan=forum.scans.filter(kind=ScanKind.ATTENDANCE).select_related("uploaded_by").first(),
        scan_form=forms.ScanForm(),
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def attendance_import(request, pk):
    """The whole list from a filled-in template, read by the background worker under the same
    rules as the table, all or none; the officer follows the reading on the upload's page."""
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None, label=_("Attendance list (.xlsx)"))
    if request.method == "POST" and form.is_valid():
        label = _("Attendance of %(forum)s from %(name)s")
        params = {"forum": forum.pk}
        if sent := send_to_worker(
            request, form, kind=spreadsheet.KIND, label=label, label_args={"forum": forum}, params=params
        ):
            return sent
    return forum_page(request, "forums/attendance_import.html", forum, form=form, max_rows=spreadsheet.MAX_ROWS)


@login_required
@require_safe
def attendance_template(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    return HttpResponse(
        spreadsheet.template_workbook(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="daftar-hadir-{forum.pk}.xlsx"'},
    )


@login_required
@require_POST
def attendee_remove(request, pk, attendee_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    person = get_object_or_404(forum.attendees, pk=attendee_pk)
    try:
        workflow.remove_attendee(actor=request.user, attendee=person)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s was removed from the attendance list.") % {"name": person.name})
    return redirect("forums:attendance", forum.pk)


# --- scans of the signed paper ----------------------------------------------------------------

SCAN_PAGES = {ScanKind.ATTENDANCE: "forums:attendance", ScanKind.MINUTES: "forums:detail"}


def _back(forum, kind):
    return redirect(SCAN_PAGES[kind], forum.pk)


@login_required
@require_POST
def scan_upload(request, pk, kind):
    """Keep the scan of the signed attendance list (before approval) or of the stamped berita
    acara (after it); a file the form refuses is named in a message, and nothing is kept."""
    forum = access.get_forum_for_user(request.user, pk, write=True)
    if kind not in ScanKind.values:
        raise Http404
    documents = forum.documents.ready() if kind == ScanKind.MINUTES else None
    form = forms.ScanForm(request.POST, request.FILES, documents=documents)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        # The page it goes back to shows the file input empty: name the files to choose again.
        for field in form:
            if field.files_not_kept:
                messages.warning(request, field.files_not_kept)
        return _back(forum, kind)
    try:
        workflow.store_scan(
            actor=request.user,
            forum=forum,
            kind=kind,
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
            document=form.cleaned_data.get("document"),
        )
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    except StorageFailure:
        logger.exception("storing a forum's scan failed")
        messages.error(request, STORAGE_REFUSED)
    else:
        messages.success(request, _("The scan %(name)s was kept.") % {"name": form.cleaned_data["file"].name})
    return _back(forum, kind)


@login_required
@require_safe
def scan_download(request, pk, scan_pk):
    """A scan, served only to those who may see the forum (the public sees an approved forum's
    stamped berita acara through public.views; never the attendance list, which carries contacts)."""
    forum = access.get_forum_for_user(request.user, pk)
    scan = get_object_or_404(forum.scans, pk=scan_pk)
    return served(
        scan.file,
        content_type=scan.content_type,
        as_attachment="download" in request.GET,
        filename=scan.original_name,
    )


@login_required
@require_POST
def scan_remove(request, pk, scan_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    scan = get_object_or_404(forum.scans, pk=scan_pk)
    try:
        workflow.remove_scan(actor=request.user, scan=scan)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The scan %(name)s was removed.") % {"name": scan.original_name})
    return _back(forum, scan.kind)
