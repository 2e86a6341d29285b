"""A forum's ranking: the page, its export, and changing the order and the cut line."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from proposals import geo, paging
from proposals.models import Proposal

from .. import access, exports, queries, workflow
from ..forms import CutForm, OverrideForm
from .pages import forum_page, page_holding, paged


@login_required
@require_safe
def ranking(request, pk):
    forum = access.get_forum_for_user(request.user, pk)
    # Every item counts towards the totals and the cut line; only the page's are read whole.
    result = queries.ranking(forum, queries.standings_of(forum))
    page = paged(request, result.rows)
    page.object_list = queries.rows_in_full(forum, page.object_list)
    first_below = result.below_line[0].pk if result.below_line else None
    return forum_page(
        request,
        "forums/ranking.html",
        forum,
        ranking=result,
        page=page,
        first_below=first_below,
        cut_form=CutForm(),
        override_form=OverrideForm(instance=forum),
    )


@login_required
@require_safe
def ranking_export(request, pk, fmt):
    """The ranking page's list as CSV or XLSX, for everyone who may see the forum."""
    if fmt not in exports.RANKING_FORMATS:
        raise Http404
    forum = access.get_forum_for_user(request.user, pk)
    response = HttpResponse(exports.ranking_file(forum, fmt), content_type=exports.RANKING_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.ranking_filename(forum, fmt)}"'
    return response


@login_required
@require_safe
def ranking_points(request, pk):
    """The forum's items as map points (proposals/geo.py), for everyone who may see the forum."""
    forum = access.get_forum_for_user(request.user, pk)
    items = Proposal.objects.filter(decisions__forum=forum).order_by("decisions__rank", "pk")
    return geo.response(geo.collection(items, geo.staff_properties, geo.STAFF_FIELDS))


def _ranking_url(forum, anchor="", page=1):
    query = f"?page={page}" if page > 1 else ""
    return reverse("forums:ranking", args=[forum.pk]) + query + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def ranking_order_by_score(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    try:
        workflow.order_by_score(actor=request.user, forum=forum)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The items are now in order of score."))
    return redirect(_ranking_url(forum))


@login_required
@require_POST
def ranking_move(request, pk, decision_pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    decision = get_object_or_404(forum.decisions, pk=decision_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return redirect(_ranking_url(forum, f"item-{decision.pk}", page_holding(decision.rank)))
    try:
        workflow.move(actor=request.user, decision=decision, up=direction == "up")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    decision.refresh_from_db(fields=["rank"])
    # Back to the item where it now stands, on whichever page that is.
    return redirect(_ranking_url(forum, f"item-{decision.pk}", page_holding(decision.rank)))


@login_required
@require_POST
def ranking_move_to(request, pk, decision_pk):
    """Put an item at the place typed in its row (or dropped at, where a mouse drags it)."""
    forum = access.get_forum_for_user(request.user, pk, write=True)
    decision = get_object_or_404(forum.decisions, pk=decision_pk)
    position = paging.whole_number(request.POST.get("position"))
    if position is None or position < 1:
        messages.error(request, _("Type the place to move the item to: a whole number from 1."))
        return redirect(_ranking_url(forum, f"item-{decision.pk}", page_holding(decision.rank)))
    try:
        position = workflow.move_to(actor=request.user, decision=decision, position=position)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is now number %(n)d.") % {"title": decision.proposal.title, "n": position},
        )
    decision.refresh_from_db(fields=["rank"])
    return redirect(_ranking_url(forum, f"item-{decision.pk}", page_holding(decision.rank)))


@login_required
@require_POST
def ranking_cut(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = CutForm(request.POST)
    if not form.is_valid():  # an optional text field: only a NUL or an over-long text is refused
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect(_ranking_url(forum))
    try:
        # reject_below_line decides item by item; all of them or none.
        with transaction.atomic():
            count = workflow.reject_below_line(actor=request.user, forum=forum, reason=form.cleaned_data["reason"])
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)d item(s) below the line were marked as not agreed.") % {"n": count})
    return redirect(_ranking_url(forum))


@login_required
@require_POST
def ranking_override(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = OverrideForm(request.POST, instance=forum)
    if not form.is_valid():  # an optional text field: only a NUL or an over-long text is refused
        messages.error(request, " ".join(form.errors["override_reason"]))
        return redirect(_ranking_url(forum))
    try:
        workflow.update_forum(actor=request.user, forum=forum, override_reason=form.cleaned_data["override_reason"])
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The reason for exceeding the ceiling was saved."))
    return redirect(_ranking_url(forum))
