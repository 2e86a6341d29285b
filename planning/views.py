"""The planning pages of a Bappeda: its stage windows (/usulan/jadwal/) and its regional
priorities (/musyawarah/prioritas/). Each view checks planning.access, calls one verb of
planning.workflow, and turns a WorkflowError into a form error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.once import sent_once
from musrenbang.errors import WorkflowError

from . import access, workflow
from .forms import LateEntryForm, PriorityForm, ScheduleForm
from .models import LateEntry, PlanningYear, RegionalPriority, StageWindow
from .years import chosen_year


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request):
    """A Bappeda sets when each stage of a planning year is open in its region."""
    levels = access.schedulable_levels(request.user)
    if not levels:
        raise PermissionDenied
    region = request.user.region
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or timezone.localdate().year + 1)
    except ValueError:
        year = timezone.localdate().year + 1
    initial = {"year": year}
    for level, window in StageWindow.objects.set_by(region, year).items():
        initial[f"opens_{level}"], initial[f"closes_{level}"] = window.opens_on, window.closes_on
    form = ScheduleForm(request.POST or None, initial=initial, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.set_schedule(actor=request.user, year=form.cleaned_data["year"], windows=form.windows())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            year = form.cleaned_data["year"]
            messages.success(request, _("The schedule for RKPD %(year)s was saved.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "planning/schedule.html",
        {
            "form": form,
            "year": year,
            "region": region,
            "levels": [(level, form[f"opens_{level}"], form[f"closes_{level}"]) for level in levels],
            "years": PlanningYear.objects.all(),
        },
    )


def _priorities_page(request, *, form, year, years, editing=None):
    # order_by again: Django leaves Meta.ordering out of a query that groups (the Count).
    priorities = (
        RegionalPriority.objects.filter(planning_year=year, region=request.user.region)
        .annotate(items=Count("proposals", distinct=True), targets=Count("indicators", distinct=True))
        .order_by("position", "id")
    )
    return render(
        request,
        "planning/priorities.html",
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
@sent_once
def priorities(request):
    """The region's regional priorities of a year, and a form to add one."""
    if not access.can_set_priorities(request.user):
        raise PermissionDenied
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = workflow.add_priority(actor=request.user, planning_year=year, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The regional priority “%(name)s” was added.") % {"name": priority.name})
            return redirect(f"{request.path}?year={year.year}")
    return _priorities_page(request, form=form, year=year, years=years)


def _priorities_url(priority) -> str:
    return f"{reverse('planning:priorities')}?year={priority.planning_year.year}"


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, priority_pk):
    priority = access.get_priority_for_user(request.user, priority_pk)
    saved_name = priority.name  # the form writes what was typed onto the instance
    form = PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_priority(actor=request.user, priority=priority, **form.cleaned_data)
        except WorkflowError as error:
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
    priority = access.get_priority_for_user(request.user, priority_pk)
    try:
        workflow.remove_priority(actor=request.user, priority=priority)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The regional priority “%(name)s” was removed.") % {"name": priority.name})
    return redirect(_priorities_url(priority))


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def late_entries(request):
    """The villages a kabupaten's Bappeda lets enter a past season late, and a form to name more."""
    if not access.can_grant_late_entry(request.user):
        raise PermissionDenied
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    form = LateEntryForm(request.POST or None, region=request.user.region)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.grant_late_entry(actor=request.user, planning_year=year, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The late entry for %(year)s was recorded.") % {"year": year})
            return redirect(f"{request.path}?year={year.year}")
    entries = (
        LateEntry.objects.filter(planning_year=year, region=request.user.region)
        .select_related("created_by")
        .prefetch_related("villages")
    )
    context = {"form": form, "year": year, "years": years, "entries": entries, "region": request.user.region}
    return render(request, "planning/late_entries.html", context)
