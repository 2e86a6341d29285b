"""Approving a forum, revising its minutes, and downloading its documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from musrenbang.files import served
from proposals.tables import XLSX_CONTENT_TYPE

from .. import access, exports, queries, workflow
from ..forms import RevisionForm
from .pages import forum_page, paged


@login_required
@require_http_methods(["GET", "POST"])
def approve(request, pk):
    """GET shows what blocks approval and what the minutes will hold; POST approves and issues them."""
    forum = access.get_forum_for_user(request.user, pk, write=True)
    if request.method != "POST":
        preview = queries.approval_preview(forum)
        return forum_page(
            request,
            "forums/approve.html",
            forum,
            **preview,
            agreed_page=paged(request, preview["agreed"]),
            not_agreed_page=paged(request, preview["not_agreed"], field="lainnya"),
        )
    try:
        document = workflow.approve_forum(actor=request.user, forum=forum)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("forums:approve", forum.pk)
    messages.success(
        request,
        _("The forum was approved. Berita acara %(number)s was issued; its PDF is being prepared.")
        % {"number": document.number},
    )
    return redirect(forum)


@login_required
@require_http_methods(["GET", "POST"])
def revise(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    if not forum.is_approved:
        messages.info(request, _("Only the minutes of an approved forum can be revised; change the details instead."))
        return redirect("forums:edit", forum.pk)
    form = RevisionForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            document = workflow.revise_minutes(actor=request.user, forum=forum, **form.revision())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Revision %(revision)d was issued as %(number)s; its PDF is being prepared.")
                % {"revision": document.revision, "number": document.number},
            )
            return redirect(forum)
    return forum_page(request, "forums/revise.html", forum, form=form, documents=forum.documents.all())


@login_required
@require_safe
def document_download(request, pk, doc_pk):
    """Issued minutes, served only to those who may see the forum."""
    forum = access.get_forum_for_user(request.user, pk)
    document = get_object_or_404(forum.documents.ready(), pk=doc_pk)
    return served(
        document.pdf,
        content_type="application/pdf",
        as_attachment="download" in request.GET,
        filename=document.download_name,
    )


@login_required
@require_safe
def td4_download(request, pk):
    """Tabel T-D.4 of a kecamatan Musrenbang, for everyone who may see the forum."""
    forum = access.get_forum_for_user(request.user, pk)
    if not exports.applies_to(forum):
        raise Http404
    response = HttpResponse(exports.workbook(forum), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(forum)}"'
    return response
