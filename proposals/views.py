"""Proposal pages. Each view fetches through proposals.access, calls one workflow verb, and
turns a WorkflowError into a message."""

import functools
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from accounts.once import sent_once
from musrenbang.files import StorageFailure, served
from uploads.forms import ImportForm
from uploads.readers import send_to_worker

from . import access, exports, geo, paging, search, spreadsheet, tally, workflow
from .enums import FINAL_STATUSES
from .filters import ProposalFilter
from .forms import ProposalForm
from .models import Proposal, Status
from .tables import XLSX_CONTENT_TYPE, ProposalTable

logger = logging.getLogger(__name__)

# Units village secretaries use most, offered as suggestions; any other unit may be typed.
COMMON_UNITS = ["meter", "m²", "m³", "unit", "paket", "titik", "buah", "orang", "kegiatan", "lokasi", "ha"]


@functools.cache
def _list_rows():
    """Proposal.objects.for_list(), built once a process: resolving its four annotations took
    0.35 ms of every list page. Each page adds its reader's scope and filters to a clone (a
    QuerySet is never changed in place, and this one is never evaluated)."""
    return Proposal.objects.for_list()


class ProposalListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Every role's proposal list: scoped, filtered, sortable, downloadable (proposals.exports)."""

    table_class = ProposalTable
    filterset_class = ProposalFilter
    template_name = "proposals/list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return _list_rows().visible_to(self.request.user)

    def get_table(self, **kwargs):
        # Not RequestConfig: ?page=, ?per_page= and ?sort= are read through proposals.paging, which
        # clamps what would be a 500 or a whole-table query.
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return paging.configure_table(table, self.request, self.get_table_pagination(table))

    def get_table_kwargs(self):
        return {"wide": self.filterset.is_wide()}

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        # Counting costs more than the page itself (performance notes), so these page forward
        # without a count: a whole province's or the nation's rows, and any search. Counting a
        # frequent word's matches in one kabupaten takes the nation's match set (43 ms for
        # "jembatan", 200 ms for "jalan" at 2 M proposals); its first page, read down the
        # kabupaten's newest-first index, takes 5-10 ms.
        if self.filterset.is_wide() or self.request.GET.get("q", "").strip():
            pagination["paginator_class"] = LazyPaginator
        else:
            # Summed from the villages' tally rows where they can say (2.5 ms less for 20,000 rows).
            pagination["count"] = tally.count_of(self.filterset, self.request.user)
        return pagination

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get(exports.TRIGGER)
        # A download needs only the filtered rows: skip building the page around them.
        if exports.offered(wanted):
            return exports.respond(request, wanted)
        try:
            return super().get(request, *args, **kwargs)
        except paging.PastTheEnd as past:
            messages.info(request, past.message)
            return redirect(past.url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = access.can_create(self.request.user)
        context["draft_count"] = access.drafts_of(self.request.user).count() if context["can_create"] else 0
        context["can_import_sipd"] = access.imports_sipd(self.request.user)
        context["lazy_count"] = isinstance(context["table"].paginator, LazyPaginator)
        # The map of the filtered list, for a kabupaten or narrower (proposal_points).
        context["mappable"] = not self.filterset.is_wide()
        return context


@login_required
@require_safe
def proposal_points(request):
    """The list's filtered rows as map points (proposals/geo.py), with the list's own query
    string; a province or the nation asks for a narrower region first, as its list is not counted."""
    filterset = ProposalFilter(request.GET, queryset=Proposal.objects.visible_to(request.user), request=request)
    if filterset.is_wide():
        return geo.response(geo.empty(_("Choose a regency or a smaller region to see the map.")))
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return geo.response(geo.collection(rows, geo.staff_properties, geo.STAFF_FIELDS))


def _intake(village):
    """(why the village cannot file now, "" when it can; the plan year what it files now goes to)."""
    try:
        return "", workflow.intake_open_window(village).planning_year
    except workflow.WorkflowError as error:
        return str(error), None


def _editing_closed(proposal: Proposal) -> str:
    """Why the village cannot edit now ("" when it can): drafts follow the intake window, while an
    item a forum returned may be revised until that forum closes."""
    return "" if proposal.status == Status.RETURNED else _intake(proposal.village)[0]


def _storage_refused(form) -> None:
    """The file storage failed (a full or unwritable disk, the bucket unreachable): nothing was
    saved (musrenbang.files.files_follow), the form shows again with what was typed."""
    logger.exception("storing a proposal's files failed")
    form.add_error(
        None,
        _(
            "The files could not be stored: the server's storage refused them. Nothing was saved; what you "
            "typed is kept below. Choose the files again and save, or tell the administrator if this repeats."
        ),
    )


def _form(request, *, village, plan_year, instance=None):
    if request.method == "POST":
        return ProposalForm(request.POST, request.FILES, village=village, plan_year=plan_year, instance=instance)
    return ProposalForm(village=village, plan_year=plan_year, instance=instance)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    if not access.can_create(request.user):
        raise PermissionDenied
    village = request.user.region
    closed, plan_year = _intake(village)
    form = _form(request, village=village, plan_year=plan_year)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            proposal = workflow.create_proposal(
                actor=request.user,
                proposal=form.save(commit=False),
                new_files=form.new_files(),
                entry_token=form.cleaned_data.get("entry_token"),
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        except StorageFailure:
            _storage_refused(form)
        else:
            if proposal.created:
                messages.success(request, _("The proposal was saved as a draft. Submit it when it is complete."))
            else:
                messages.info(request, _("This form was sent twice; the proposal was saved once, here it is."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "village": village,
            "closed": closed,
            # A form posted just after the window closed is shown again with everything typed.
            "show_form": not closed or form.is_bound,
            "units": COMMON_UNITS,
            "proposal": None,
            "plan_year": plan_year,
        },
    )


@login_required
def import_template(request):
    """The spreadsheet a village fills in offline: its drop-downs list the village's own agencies
    and, where its kabupaten keeps one for the open intake's year, its catalogue."""
    if not access.can_create(request.user):
        raise PermissionDenied
    village = request.user.region
    return HttpResponse(
        spreadsheet.template_workbook(village=village, plan_year=_intake(village)[1]),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": 'attachment; filename="templat-usulan.xlsx"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def proposal_import(request):
    """Many drafts at once from a filled-in template, read by the background worker under the
    same rules as the proposal form; the officer follows the reading on the upload's page."""
    if not access.can_create(request.user):
        raise PermissionDenied
    village = request.user.region
    closed, plan_year = _intake(village)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not closed and form.is_valid():
        params = {"village": village.pk}
        if sent := send_to_worker(
            request, form, kind=spreadsheet.KIND, label=_("Proposals from %(name)s"), params=params
        ):
            return sent
    return render(
        request,
        "proposals/import.html",
        {"form": form, "village": village, "closed": closed, "max_rows": spreadsheet.MAX_ROWS, "plan_year": plan_year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    closed = _editing_closed(proposal)
    form = _form(request, village=proposal.village, plan_year=proposal.planning_year, instance=proposal)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            workflow.update_proposal(
                actor=request.user,
                proposal=form.save(commit=False),
                new_files=form.new_files(),
                remove=form.removed_attachments(),
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        except StorageFailure:
            _storage_refused(form)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(proposal)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "village": proposal.village,
            "closed": closed,
            "show_form": not closed or form.is_bound,
            "units": COMMON_UNITS,
            "proposal": proposal,
            "plan_year": proposal.planning_year,
        },
    )


@login_required
def proposal_detail(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk)
    editable = access.can_edit(request.user, proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.all(),
            "events": proposal.events.select_related("actor"),
            "can_edit": editable,
            "intake_closed": _editing_closed(proposal) if editable else "",
            "can_submit": access.can_submit(request.user, proposal),
            "can_resubmit": access.can_resubmit(request.user, proposal),
            "can_delete": access.can_delete(request.user, proposal),
            "sipd": getattr(proposal, "sipd", None),  # imported from a SIPD export: what SIPD said
            "decisions": proposal.decisions.select_related("forum__region", "forum__agency").prefetch_related(
                "forum__documents"
            ),
            # Possible duplicates matter while the item is still open; a closed one has had its answer.
            "similar": None if proposal.status in FINAL_STATUSES else search.suggestions_for(request.user, proposal),
        },
    )


@login_required
@require_POST
def proposal_submit(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk)
    if access.submitted_already(request.user, proposal):
        # A second tap on "Ajukan" (or a second tab): the first one went through.
        messages.info(
            request,
            _("This proposal has already been submitted; its tracking code is %(code)s.")
            % {"code": proposal.tracking_code},
        )
        return redirect(proposal)
    if not access.can_edit(request.user, proposal):
        raise PermissionDenied
    try:
        proposal = workflow.submit_proposal(actor=request.user, proposal=proposal)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The proposal was submitted. Its tracking code is %(code)s.") % {"code": proposal.tracking_code},
        )
    return redirect(proposal)


@login_required
@require_POST
def proposal_resubmit(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    try:
        proposal = workflow.resubmit_proposal(actor=request.user, proposal=proposal)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The revised proposal was sent back to the forum."))
    return redirect(proposal)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_delete(request, pk):
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            workflow.delete_proposal(actor=request.user, proposal=proposal)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(proposal)
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": proposal.title})
        return redirect("proposals:list")
    return render(request, "proposals/confirm_delete.html", {"proposal": proposal})


@login_required
def attachment_download(request, pk, attachment_pk):
    """Attachments are served only to those who may see the proposal, never from a public URL."""
    proposal = access.get_proposal_for_user(request.user, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    return served(
        attachment.file,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf" and "download" in request.GET,
        filename=attachment.original_name,
    )
