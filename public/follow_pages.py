"""The pages of following a proposal by e-mail (public/follow.py): the form on the tracking page,
the confirmation link and the link that stops it. No login; the token in the mailed links is the
only key. Opening a link only shows a button: a mail scanner that fetches every link in a message
confirms and stops nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.reset import mail_configured
from musrenbang.form_messages import SpecificMessagesMixin
from proposals.access import public_scope_filter
from proposals.models import Proposal

from . import follow
from .queries import normalize_tracking_code
from .tracking import tracked_proposal


class FollowForm(SpecificMessagesMixin, forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={
            "required": gettext_lazy("Give the e-mail address the news should go to."),
            "invalid": gettext_lazy("Give an e-mail address like nama@contoh.id."),
        },
    )


@require_POST
def follow_ask(request, code):
    normal = normalize_tracking_code(code)
    proposal = Proposal.objects.filter(public_scope_filter(), tracking_code=normal).first() if normal else None
    if proposal is None or not mail_configured():
        raise Http404
    form = FollowForm(request.POST)
    if form.is_valid() and not follow.may_ask(request.META.get("REMOTE_ADDR", "")):
        form.add_error(None, _("Too many requests from this network in the last hour. Try again later."))
    if form.errors:
        status = 400 if "email" in form.errors else 429
        context = {"proposal": tracked_proposal(proposal.tracking_code), "follow_form": form}
        return render(request, "public/proposal.html", context, status=status)
    follow.ask_to_follow(proposal, form.cleaned_data["email"])
    messages.success(
        request,
        _(
            "Check your inbox: if this address does not follow the proposal yet, a link to confirm is on its way. "
            "News is sent only after you confirm."
        ),
    )
    return redirect("public:track_detail", code=proposal.tracking_code)


def _mailed_link(request, token, *, action: str, verb, done: str):
    """A link from a message: GET shows what it would do and one button; POST does it."""
    follower = follow.by_token(token)
    if follower is None:
        raise Http404
    if request.method != "POST":
        return render(request, "public/follow.html", {"follower": follower, "action": action})
    code = follower.proposal.tracking_code
    verb(follower)
    messages.success(request, done)
    return redirect("public:track_detail", code=code)


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    done = _("Confirmed: you will hear when this proposal's record changes.")
    return _mailed_link(request, token, action="confirm", verb=follow.confirm, done=done)


@csrf_exempt  # a mail program's one-click "unsubscribe" posts here without a form (RFC 8058)
@require_http_methods(["GET", "POST"])
def follow_stop(request, token):
    done = _("Stopped: no more news of this proposal will be sent to this address.")
    return _mailed_link(request, token, action="stop", verb=follow.stop, done=done)
