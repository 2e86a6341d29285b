"""A village's drafts submitted together: the list of its drafts, each ticked or not, and one
button. Sixty-six imported drafts used to need sixty-six taps on "Ajukan"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from musrenbang.form_messages import SpecificMessagesMixin

from . import access, workflow

# How many refusals the summary names; the rest are counted.
NAMED_REFUSALS = 5


class SubmitDraftsForm(SpecificMessagesMixin, forms.Form):
    drafts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Drafts to submit"),
        coerce=int,
        error_messages={"required": gettext_lazy("Tick at least one draft to submit.")},
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.all = list(drafts)
        self.fields["drafts"].choices = [(d.pk, d.title) for d in self.all]

    def chosen(self):
        ticked = set(self.cleaned_data["drafts"])
        return [d for d in self.all if d.pk in ticked]


@login_required
@require_http_methods(["GET", "POST"])
def submit_drafts(request):
    if not access.can_create(request.user):
        raise PermissionDenied  # only a village operator has drafts
    drafts = access.drafts_of(request.user).select_related("village", "sector")
    form = SubmitDraftsForm(request.POST if request.method == "POST" else None, drafts=drafts)
    if request.method == "POST" and form.is_valid():
        try:
            submitted, refused = workflow.submit_drafts(actor=request.user, proposals=form.chosen())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            _summarise(request, submitted, refused)
            return redirect("proposals:drafts" if refused else "proposals:list")
    ticked = {str(pk) for pk in (form["drafts"].value() or ())} if form.is_bound else None
    return render(request, "proposals/drafts.html", {"form": form, "drafts": form.all, "ticked": ticked})


def _summarise(request, submitted, refused) -> None:
    if submitted:
        messages.success(
            request,
            ngettext(
                "%(n)d proposal was submitted; its tracking code is on its page.",
                "%(n)d proposals were submitted; each tracking code is on its page.",
                len(submitted),
            )
            % {"n": len(submitted)},
        )
    if refused:
        named = "; ".join(f"“{p.title}”: {why}" for p, why in refused[:NAMED_REFUSALS])
        more = len(refused) - NAMED_REFUSALS
        messages.error(
            request,
            ngettext(
                "%(n)d draft was not submitted: %(named)s", "%(n)d drafts were not submitted: %(named)s", len(refused)
            )
            % {"n": len(refused), "named": named}
            + (_(" and %(n)d more.") % {"n": more} if more > 0 else ""),
        )
