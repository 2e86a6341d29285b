"""Deciding, scoring and classifying one item of a forum."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from proposals import search

from .. import access, queries, workflow
from ..forms import ClassificationForm, DecisionForm, ScoreForm
from ..models import Outcome
from .pages import forum_page


def _decision_page(request, forum, decision, *, decision_form=None, score_form=None, classify_form=None):
    criteria = queries.criteria_for(forum)
    decision_form = decision_form or DecisionForm(decision=decision)
    if classify_form is None and access.can_classify(request.user, forum):
        classify_form = ClassificationForm(proposal=decision.proposal)
    return forum_page(
        request,
        "forums/decision.html",
        forum,
        decision=decision,
        proposal=decision.proposal,
        form=decision_form,
        # Possible duplicates among the items this one could be merged into, each a one-click merge.
        similar=search.similar_proposals(decision.proposal, among=decision_form.fields["merged_into"].queryset)
        if "merged_into" in decision_form.fields and not forum.is_approved
        else [],
        score_form=score_form or (ScoreForm(decision=decision, criteria=criteria) if criteria else None),
        classify_form=classify_form,
        earlier=queries.earlier_decisions(decision),
    )


def _get_decision(forum, decision_pk):
    return get_object_or_404(
        forum.decisions.select_related(
            "forum", "proposal__village", "proposal__sector", "proposal__regional_priority", "merged_into", "handed_to"
        ),
        pk=decision_pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk, decision_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    decision = _get_decision(forum, decision_pk)
    form = DecisionForm(request.POST or None, decision=decision, merge_into=request.GET.get("merge_into"))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.decide(actor=request.user, decision=decision, **form.decision_fields())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s”: %(outcome)s.")
                % {"title": decision.proposal.title, "outcome": Outcome(form.cleaned_data["outcome"]).label},
            )
            return redirect(f"{forum.get_absolute_url()}#item-{decision.pk}")
    return _decision_page(request, forum, decision, decision_form=form)


@login_required
@require_POST
def decision_score(request, pk, decision_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    decision = _get_decision(forum, decision_pk)
    form = ScoreForm(request.POST, decision=decision, criteria=queries.criteria_for(forum))
    if form.is_valid():
        try:
            scored = workflow.score(actor=request.user, decision=decision, values=form.values())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Scores saved: weighted score %(score)s.") % {"score": scored.score})
            return redirect("forums:decision", forum.pk, decision.pk)
    return _decision_page(request, forum, decision, score_form=form)


@login_required
@require_POST
def decision_classify(request, pk, decision_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    if not access.can_classify(request.user, forum):
        raise PermissionDenied  # a village forum: the kecamatan and those above classify
    decision = _get_decision(forum, decision_pk)
    form = ClassificationForm(request.POST, proposal=decision.proposal)
    if form.is_valid():
        try:
            workflow.classify(actor=request.user, decision=decision, **form.classification())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The classification of “%(title)s” was saved.") % {"title": decision.proposal.title}
            )
            return redirect("forums:decision", forum.pk, decision.pk)
    return _decision_page(request, forum, decision, classify_form=form)
