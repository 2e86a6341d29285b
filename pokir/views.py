"""The Pokir pages under /pokir/: a DPRD member's own window (list, enter, edit, send to the
Setwan) and the Setwan's (its kabupaten's items, verify or return with a reason). Each view
fetches through pokir.access, calls one verb of pokir.workflow, and turns a WorkflowError into a
message."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from musrenbang.errors import WorkflowError
from musrenbang.files import STORAGE_REFUSED, StorageFailure
from proposals.models import Status
from proposals.views import COMMON_UNITS

from . import access, workflow
from .forms import PokirForm, ReturnForm

logger = logging.getLogger(__name__)
PER_PAGE = 50


@login_required
@require_safe
def pokir_list(request):
    if not access.may_open_pokir_pages(request.user):
        raise Http404
    items = access.items_for(request.user).select_related("village", "kecamatan", "target_agency", "recess__member")
    waiting = request.GET.get("status") == Status.VERIFYING
    if waiting:
        items = items.filter(status=Status.VERIFYING)
    page = Paginator(items.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pokir/list.html",
        {
            "page": page,
            "waiting": waiting,
            "is_member": access.is_member(request.user),
            "is_secretariat": access.is_secretariat(request.user),
            "closed": _closed(request.user),
        },
    )


def _closed(user) -> str:
    """Why a member cannot enter pokok-pikiran now ("" when they can)."""
    if not access.is_member(user):
        return ""
    try:
        workflow.pokir_year(user.region)
    except WorkflowError as error:
        return str(error)
    return ""


def _form(request, *, instance=None):
    kabupaten = request.user.region
    if request.method == "POST":
        return PokirForm(request.POST, request.FILES, kabupaten=kabupaten, instance=instance)
    return PokirForm(kabupaten=kabupaten, instance=instance)


def _form_page(request, form, proposal=None):
    closed = "" if proposal else _closed(request.user)
    context = {"form": form, "proposal": proposal, "closed": closed, "units": COMMON_UNITS}
    return render(request, "pokir/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pokir_create(request):
    if not access.is_member(request.user):
        raise PermissionDenied
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = workflow.enter_item(
                actor=request.user,
                proposal=form.save(commit=False),
                recess=form.recess(),
                new_files=form.new_files(),
                entry_token=form.cleaned_data.get("entry_token"),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        except StorageFailure:
            logger.exception("storing a pokok-pikiran's files failed")
            form.add_error(None, STORAGE_REFUSED)
        else:
            if proposal.created:
                messages.success(
                    request, _("The pokok-pikiran was saved as a draft. Send it to the Setwan when complete.")
                )
            return redirect("pokir:detail", proposal.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def pokir_edit(request, pk):
    proposal = access.get_item_for_user(request.user, pk, write=True)
    form = _form(request, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_item(
                actor=request.user,
                proposal=form.save(commit=False),
                recess=form.recess(),
                new_files=form.new_files(),
                remove=form.removed_attachments(),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        except StorageFailure:
            logger.exception("storing a pokok-pikiran's files failed")
            form.add_error(None, STORAGE_REFUSED)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("pokir:detail", proposal.pk)
    return _form_page(request, form, proposal)


@login_required
@require_safe
def pokir_detail(request, pk):
    proposal = access.get_item_for_user(request.user, pk)
    return render(
        request,
        "pokir/detail.html",
        {
            "proposal": proposal,
            "recess": getattr(proposal, "recess", None),
            "attachments": proposal.attachments.all(),
            "events": workflow.history(proposal),
            "can_edit": access.can_edit(request.user, proposal),
            "can_submit": access.can_submit(request.user, proposal),
            "can_delete": access.can_delete(request.user, proposal),
            "can_verify": access.can_verify(request.user, proposal),
            "return_form": ReturnForm() if access.can_verify(request.user, proposal) else None,
        },
    )


def _one_step(request, pk, allowed, verb, success: str):
    """A button that moves an item one step (send, verify): fetched through access, refused with a
    403 when not allowed, one workflow verb, a message, back to the item."""
    proposal = access.get_item_for_user(request.user, pk)
    if not allowed(request.user, proposal):
        raise PermissionDenied
    try:
        verb(actor=request.user, proposal=proposal)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("pokir:detail", pk)


@login_required
@require_POST
def pokir_submit(request, pk):
    return _one_step(request, pk, access.can_submit, workflow.submit_item, _("Sent to the Setwan for verification."))


@login_required
@require_POST
def pokir_verify(request, pk):
    success = _("Verified: the item now waits in its agency's forum.")
    return _one_step(request, pk, access.can_verify, workflow.verify_item, success)


@login_required
@require_POST
def pokir_delete(request, pk):
    proposal = access.get_item_for_user(request.user, pk)
    if not access.can_delete(request.user, proposal):
        raise PermissionDenied
    try:
        workflow.delete_item(actor=request.user, proposal=proposal)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("pokir:detail", pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("pokir:list")


@login_required
@require_http_methods(["GET", "POST"])
def pokir_return(request, pk):
    proposal = access.get_item_for_user(request.user, pk)
    if not access.can_verify(request.user, proposal):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.return_item(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Returned to the member with your reason."))
            return redirect("pokir:detail", pk)
    return render(request, "pokir/return.html", {"proposal": proposal, "form": form})
