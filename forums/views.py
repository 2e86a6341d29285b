"""Forum pages. Each view fetches the forum through proposals.access (write=True for a change),
calls one workflow verb, turns a WorkflowError into a message or a form error, and redirects.

Reading pages (the forum, its attendance, delegates and ranking) are open to everyone who may
see the forum; the forms on them, and every POST, only to the officers who run it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from proposals import access, search, workflow
from proposals.models import PlanningYear
from proposals.tables import XLSX_CONTENT_TYPE
from regions.models import Level, Region

from . import exports, queries
from .forms import (
    AttendeeForm,
    CeilingForms,
    ClassificationForm,
    CutForm,
    DecisionForm,
    DelegateForm,
    ForumDetailsForm,
    OverrideForm,
    PriorityForm,
    RevisionForm,
    ScoreForm,
    criteria_formset,
)
from .models import AGREED, Ceiling, Criterion, Forum, ForumKind, Outcome, RegionalPriority

FORUMS_PER_PAGE = 50


def _planning_year(request):
    """The year asked for in ?year=, else next year's plan (the one being prepared), else the latest."""
    years = list(PlanningYear.objects.all())
    wanted = request.POST.get("year") or request.GET.get("year")
    by_year = {str(y.year): y for y in years}
    chosen = by_year.get(wanted) or by_year.get(str(timezone.localdate().year + 1)) or (years[0] if years else None)
    return chosen, years


def _page(request, template, forum, **context):
    """Render a forum page; the header's tabs need to know what this user may do here."""
    runs = access.can_run_forum(request.user, forum)
    return render(
        request,
        template,
        {
            "forum": forum,
            "runs": runs,
            "can_change": runs and not forum.is_approved,
            "needs_delegates": forum.kind == ForumKind.MUSRENBANG and forum.level in queries.DELEGATE_LEVELS,
            **context,
        },
    )


# --- my forums ------------------------------------------------------------------------------


@login_required
@require_safe
def forum_list(request):
    """The forums of the user's region and below for one planning year: the ones they run first,
    then the rest by level, a page at a time. The same few queries for 1 forum or 10,000."""
    year, years = _planning_year(request)
    forums = (
        Forum.objects.filter(access.forum_scope_filter(request.user), planning_year=year)
        .select_related("region", "agency", "planning_year")
        .annotate(items=Count("decisions"), pending=Count("decisions", filter=Q(decisions__outcome="")))
    )
    # The forums a user runs sit at their own region or agency: a handful, judged by access.
    if request.user.agency_id:
        own = forums.filter(agency_id=request.user.agency_id)
    else:
        own = forums.filter(region_id=request.user.region_id) if request.user.region_id else forums.none()
    runs = [f for f in own if access.can_run_forum(request.user, f)]
    level = request.GET.get("level")
    others = forums.exclude(pk__in=[f.pk for f in runs])
    if level in {str(value) for value in Level.values}:
        others = others.filter(level=level)
    page = Paginator(others.order_by("level", "region__code", "kind", "agency__code"), FORUMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "forums/list.html",
        {
            "year": year,
            "years": years,
            "runs": runs,
            "page": page,
            "levels": Level.choices,
            "level": level,
            "can_set_planning": access.can_set_planning(request.user),
            "can_set_ceilings": access.can_set_ceilings(request.user),
        },
    )


# --- one forum ------------------------------------------------------------------------------


@login_required
@require_safe
def forum_detail(request, pk):
    forum = access.get_forum_for_user(request.user, pk)
    decisions = list(queries.decisions_of(forum))
    return _page(
        request,
        "forums/detail.html",
        forum,
        decisions=decisions,
        pending=sum(1 for d in decisions if d.is_pending),
        documents=forum.documents.select_related("issued_by"),
        attendee_count=forum.attendees.count(),
        delegate_count=forum.delegates.count(),
        offers_td4=exports.applies_to(forum),
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = ForumDetailsForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_forum(actor=request.user, forum=forum, **form.details())
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The forum's details were saved."))
        return redirect(forum)
    return _page(request, "forums/edit.html", forum, form=form)


# --- attendance and delegates ---------------------------------------------------------------


def _people_page(request, pk, *, template, form_class, add, related, limit=None):
    """Attendance and delegates work alike: a list, a form to add one, a button to remove one."""
    forum = access.get_forum_for_user(request.user, pk, write=request.method == "POST")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = add(actor=request.user, forum=forum, **form.cleaned_data)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect(request.path)
    people = list(getattr(forum, related).all())
    return _page(
        request,
        template,
        forum,
        form=form,
        people=people,
        can_add=limit is None or len(people) < limit,
        min_delegates=queries.MIN_DELEGATES,
        max_delegates=queries.MAX_DELEGATES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    return _people_page(
        request,
        pk,
        template="forums/attendance.html",
        form_class=AttendeeForm,
        add=workflow.add_attendee,
        related="attendees",
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegates(request, pk):
    return _people_page(
        request,
        pk,
        template="forums/delegates.html",
        form_class=DelegateForm,
        add=workflow.add_delegate,
        related="delegates",
        limit=queries.MAX_DELEGATES,
    )


def _remove_person(request, pk, person_pk, *, related, remove, done, back):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    person = get_object_or_404(getattr(forum, related), pk=person_pk)
    try:
        remove(actor=request.user, person=person)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": person.name})
    return redirect(back, forum.pk)


@login_required
@require_POST
def attendee_remove(request, pk, attendee_pk):
    return _remove_person(
        request,
        pk,
        attendee_pk,
        related="attendees",
        remove=lambda actor, person: workflow.remove_attendee(actor=actor, attendee=person),
        done=_("%(name)s was removed from the attendance list."),
        back="forums:attendance",
    )


@login_required
@require_POST
def delegate_remove(request, pk, delegate_pk):
    return _remove_person(
        request,
        pk,
        delegate_pk,
        related="delegates",
        remove=lambda actor, person: workflow.remove_delegate(actor=actor, delegate=person),
        done=_("%(name)s is no longer a delegate."),
        back="forums:delegates",
    )


# --- deciding and scoring one item ----------------------------------------------------------


def _decision_page(request, forum, decision, *, decision_form=None, score_form=None, classify_form=None):
    criteria = queries.criteria_for(forum)
    decision_form = decision_form or DecisionForm(decision=decision)
    if classify_form is None and access.can_classify(request.user, forum):
        classify_form = ClassificationForm(proposal=decision.proposal)
    return _page(
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
        # Decisions are made in the order an item climbs, so the lower forums' rows come first.
        earlier=decision.proposal.decisions.filter(pk__lt=decision.pk)
        .select_related("forum__region", "forum__agency", "forum__planning_year", "merged_into", "handed_to")
        .order_by("id"),
    )


def _get_decision(forum, decision_pk):
    return get_object_or_404(
        forum.decisions.select_related("forum", "proposal__village", "proposal__sector", "merged_into", "handed_to"),
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


# --- ranking and the cut line ---------------------------------------------------------------


@login_required
@require_safe
def ranking(request, pk):
    forum = access.get_forum_for_user(request.user, pk)
    result = queries.ranking(forum)
    first_below = result.below_line[0].pk if result.below_line else None
    return _page(
        request,
        "forums/ranking.html",
        forum,
        ranking=result,
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


def _ranking_url(forum, anchor=""):
    return reverse("forums:ranking", args=[forum.pk]) + (f"#{anchor}" if anchor else "")


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
    try:
        workflow.move(actor=request.user, decision=decision, up=request.POST.get("direction") == "up")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(_ranking_url(forum, f"item-{decision.pk}"))


@login_required
@require_POST
def ranking_cut(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = CutForm(request.POST)
    form.is_valid()  # one optional text field: always valid
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
    form.is_valid()  # one optional text field: always valid
    try:
        workflow.update_forum(actor=request.user, forum=forum, override_reason=form.cleaned_data["override_reason"])
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The reason for exceeding the ceiling was saved."))
    return redirect(_ranking_url(forum))


# --- approval, revisions, documents ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def approve(request, pk):
    """GET shows what blocks approval and what the minutes will hold; POST approves and issues them."""
    forum = access.get_forum_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            document = workflow.approve_forum(actor=request.user, forum=forum)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("forums:approve", forum.pk)
        messages.success(
            request, _("The forum was approved. Berita acara %(number)s was issued.") % {"number": document.number}
        )
        return redirect(forum)
    decisions = list(queries.decisions_of(forum))
    result = queries.ranking(forum, decisions)
    return _page(
        request,
        "forums/approve.html",
        forum,
        problems=queries.approval_problems(forum, decisions),
        ranking=result,
        agreed=[row for row in result.rows if row.decision.outcome in AGREED],
        not_agreed=[d for d in decisions if d.outcome and d.outcome not in AGREED],
        delegates=forum.delegates.all(),
        attendee_count=forum.attendees.count(),
    )


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
            document = workflow.revise_minutes(
                actor=request.user, forum=forum, reason=form.cleaned_data["reason"], **form.details()
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Revision %(revision)d was issued as %(number)s.")
                % {"revision": document.revision, "number": document.number},
            )
            return redirect(forum)
    return _page(request, "forums/revise.html", forum, form=form, documents=forum.documents.all())


@login_required
@require_safe
def document_download(request, pk, doc_pk):
    """Issued minutes, served only to those who may see the forum."""
    forum = access.get_forum_for_user(request.user, pk)
    document = get_object_or_404(forum.documents, pk=doc_pk)
    try:
        handle = document.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
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


# --- what Bappeda sets for a year -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request):
    if not access.can_set_planning(request.user):
        raise PermissionDenied
    year, years = _planning_year(request)
    if year is None:
        raise Http404
    current = Criterion.objects.filter(planning_year=year, region=request.user.region)
    formset = criteria_formset(request.POST or None, initial=[{"name": c.name, "weight": c.weight} for c in current])
    refused = ""
    if request.method == "POST" and formset.is_valid():
        try:
            workflow.set_criteria(actor=request.user, planning_year=year, criteria=formset.criteria())
        except workflow.WorkflowError as error:
            refused = str(error)
        else:
            messages.success(request, _("The ranking criteria for %(year)s were saved.") % {"year": year})
            return redirect(f"{request.path}?year={year.year}")
    return render(
        request,
        "forums/criteria.html",
        {"formset": formset, "refused": refused, "year": year, "years": years, "region": request.user.region},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ceilings_edit(request):
    """Every kecamatan's ceiling on one page, saved together or not at all."""
    if not access.can_set_ceilings(request.user):
        raise PermissionDenied
    year, years = _planning_year(request)
    if year is None:
        raise Http404
    kecamatans = Region.objects.filter(parent=request.user.region, level=Level.KECAMATAN).order_by("code")
    ceilings = {c.region_id: c for c in Ceiling.objects.filter(planning_year=year, region__in=kecamatans)}
    rows = CeilingForms(request.POST or None, kecamatans=kecamatans, ceilings=ceilings)
    if request.method == "POST" and rows.is_valid():
        try:
            with transaction.atomic():
                for row in rows.changed():
                    try:
                        workflow.set_ceiling(
                            actor=request.user, planning_year=year, kecamatan=row.kecamatan, **row.cleaned_data
                        )
                    except workflow.WorkflowError as error:
                        row.add_error("amount", str(error))
                        raise
        except workflow.WorkflowError:
            pass  # the row says why; nothing was saved
        else:
            messages.success(request, _("The ceilings for %(year)s were saved.") % {"year": year})
            return redirect(f"{request.path}?year={year.year}")
    return render(
        request,
        "forums/ceilings.html",
        {"rows": rows, "year": year, "years": years, "region": request.user.region},
    )


def _priorities_page(request, *, form, year, years, editing=None):
    priorities = RegionalPriority.objects.filter(planning_year=year, region=request.user.region).annotate(
        items=Count("proposals")
    )
    return render(
        request,
        "forums/priorities.html",
        {
            "form": form,
            "priorities": priorities,
            "editing": editing,
            "year": year,
            "years": years,
            "region": request.user.region,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def priorities(request):
    """The kabupaten's regional priorities of a year, and a form to add one."""
    if not access.can_set_priorities(request.user):
        raise PermissionDenied
    year, years = _planning_year(request)
    if year is None:
        raise Http404
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = workflow.add_priority(actor=request.user, planning_year=year, **form.cleaned_data)
        except workflow.WorkflowError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The regional priority “%(name)s” was added.") % {"name": priority.name})
            return redirect(f"{request.path}?year={year.year}")
    return _priorities_page(request, form=form, year=year, years=years)


def _own_priority(request, priority_pk) -> RegionalPriority:
    """One of the user's own kabupaten's priorities: another kabupaten's is a 404."""
    if not access.can_set_priorities(request.user):
        raise PermissionDenied
    return get_object_or_404(
        RegionalPriority.objects.select_related("planning_year", "region"),
        pk=priority_pk,
        region_id=request.user.region_id,
    )


def _priorities_url(priority) -> str:
    return f"{reverse('forums:priorities')}?year={priority.planning_year.year}"


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, priority_pk):
    priority = _own_priority(request, priority_pk)
    saved_name = priority.name  # the form writes what was typed onto the instance
    form = PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_priority(actor=request.user, priority=priority, **form.cleaned_data)
        except workflow.WorkflowError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The regional priority “%(name)s” was saved.") % {"name": priority.name})
            return redirect(_priorities_url(priority))
    return _priorities_page(
        request,
        form=form,
        year=priority.planning_year,
        years=list(PlanningYear.objects.all()),
        editing=saved_name,
    )


@login_required
@require_POST
def priority_remove(request, priority_pk):
    priority = _own_priority(request, priority_pk)
    try:
        workflow.remove_priority(actor=request.user, priority=priority)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The regional priority “%(name)s” was removed.") % {"name": priority.name})
    return redirect(_priorities_url(priority))
