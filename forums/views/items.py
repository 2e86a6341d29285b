"""A forum's items as the forum works through them: the overview list (filtered, paged) with one
decision for many items, and the scoring grid (every item against every criterion)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import access, exports, queries, workflow
from ..forms.bulk import SHOW_BELOW, SHOW_CHOICES, SHOW_PENDING, BulkDecisionForm, ScoreGridForm
from ..models import Outcome
from .pages import forum_page, paged

# How many refusals a summary names; the rest are counted.
NAMED_REFUSALS = 5


def _shown(request_show: str, items, result) -> tuple[str, list]:
    """What the list shows (?tampil=) of the items (decisions, or their standings)."""
    show = request_show if request_show in dict(SHOW_CHOICES) else ""
    if show == SHOW_PENDING:
        return show, [d for d in items if d.is_pending]
    if show == SHOW_BELOW:
        return show, list(result.below_line)
    return show, items


def _detail(request, forum, *, bulk_form=None, show=""):
    # Every item as a standing (the counts, the cut line, the bulk form's choices); only the
    # page's are read whole (queries.standings_of says why).
    standings = queries.standings_of(forum)
    result = queries.ranking(forum, standings)
    show, shown = _shown(show or request.GET.get("tampil", ""), standings, result)
    documents = list(forum.documents.select_related("issued_by"))
    runs_open = access.can_run_forum(request.user, forum) and not forum.is_approved
    if bulk_form is None and runs_open:
        bulk_form = BulkDecisionForm(forum=forum, decisions=standings, shown=shown)
    page = paged(request, shown)
    page.object_list = queries.in_full(forum, [s.pk for s in page.object_list])
    return forum_page(
        request,
        "forums/detail.html",
        forum,
        standings=standings,
        shown=shown,
        show=show,
        show_choices=SHOW_CHOICES if result.ceiling else SHOW_CHOICES[:2],
        page=page,
        pending=sum(1 for d in standings if d.is_pending),
        bulk_form=bulk_form,
        ticked=set(bulk_form["items"].value() or ()) if bulk_form and bulk_form.is_bound else set(),
        documents=documents,
        # The worker renders a new berita acara in seconds: the page looks again until it has.
        preparing=any(not d.is_ready and not d.gave_up for d in documents),
        attendee_count=forum.attendees.count(),
        delegate_count=forum.delegates.count(),
        offers_td4=exports.applies_to(forum),
    )


@login_required
@require_safe
def forum_detail(request, pk):
    return _detail(request, access.get_forum_for_user(request.user, pk))


@login_required
@require_POST
def bulk_decide(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    decisions = list(queries.decisions_of(forum))
    show, shown = _shown(request.POST.get("bulk-show", ""), decisions, queries.ranking(forum, decisions))
    form = BulkDecisionForm(request.POST, forum=forum, decisions=decisions, shown=shown)
    if form.is_valid():
        try:
            result = workflow.decide_many(
                actor=request.user,
                forum=forum,
                decisions=form.chosen(),
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            _summarise(
                request, result, _("decided: %(outcome)s") % {"outcome": Outcome(form.cleaned_data["outcome"]).label}
            )
            url = forum.get_absolute_url()
            return redirect(f"{url}?tampil={show}#items" if show else f"{url}#items")
    return _detail(request, forum, bulk_form=form, show=show)


def _summarise(request, result, what: str) -> None:
    if result.done:
        messages.success(
            request,
            ngettext("%(n)d item %(what)s.", "%(n)d items %(what)s.", len(result.done))
            % {"n": len(result.done), "what": what},
        )
    if result.refused:
        named = "; ".join(f"“{d.proposal.title}”: {why}" for d, why in result.refused[:NAMED_REFUSALS])
        more = len(result.refused) - NAMED_REFUSALS
        messages.error(
            request,
            ngettext(
                "%(n)d item was left as it was: %(named)s",
                "%(n)d items were left as they were: %(named)s",
                len(result.refused),
            )
            % {"n": len(result.refused), "named": named}
            + (_(" and %(n)d more.") % {"n": more} if more > 0 else ""),
        )


@login_required
@require_http_methods(["GET", "POST"])
def score_grid(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=request.method == "POST")
    criteria = queries.criteria_for(forum)
    # Items that left the forum (returned to the village, handed to another agency) are not scored
    # here; only the page's are read whole, with their scores.
    page = paged(request, queries.scorable_ids(forum))
    page.object_list = queries.in_full(forum, page.object_list, scores=True)
    form = ScoreGridForm(
        request.POST if request.method == "POST" else None, decisions=page.object_list, criteria=criteria
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = workflow.score_many(actor=request.user, forum=forum, values=form.changed_values())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if result.done or result.refused:
                _summarise(request, result, _("scored"))
            else:
                messages.info(request, _("No score changed."))
            query = f"?page={page.number}" if page.number > 1 else ""
            return redirect(reverse("forums:scores", args=[forum.pk]) + query)
    weights = [c.weight for c in criteria]
    return forum_page(
        request,
        "forums/scores.html",
        forum,
        form=form,
        criteria=criteria,
        page=page,
        total_weight=sum(weights),
    )
