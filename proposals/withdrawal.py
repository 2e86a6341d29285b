"""The village withdrawing a submitted proposal: a page that asks for the reason, then the verb
(proposals.workflow.withdraw_proposal)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from musrenbang.errors import WorkflowError
from musrenbang.form_messages import SpecificMessagesMixin

from . import access, workflow
from .seams import deliberation

REASON_MAX_LENGTH = 1000


class WithdrawForm(SpecificMessagesMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why does the village withdraw this proposal?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The reason is shown with the proposal on the public tracking page."),
        error_messages={
            "required": gettext_lazy("Give the reason for withdrawing the proposal."),
            "max_length": gettext_lazy("Keep the reason under %(limit_value)d characters."),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    """GET asks for the reason; POST withdraws. The village's own operator only (403 for others
    who see the proposal), and only while its village forum has not decided on it."""
    proposal = access.get_proposal_for_user(request.user, pk)
    if not access.can_withdraw(request.user, proposal):
        raise PermissionDenied
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.withdraw_proposal(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The proposal was withdrawn. Its village forum no longer waits for it."))
            return redirect(proposal)
    decided = (
        ""
        if deliberation().may_withdraw(proposal)
        else _("The village forum has already decided on this proposal; it can no longer be withdrawn.")
    )
    return render(request, "proposals/withdraw.html", {"proposal": proposal, "form": form, "decided": decided})
