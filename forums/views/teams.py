"""Bappeda's monitoring teams of a plan year (/musyawarah/tim-monitoring/): the list with a form
to add one, a team's page to change it, and deleting a team no forum needs any more."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.once import sent_once
from planning.years import chosen_year

from .. import access, workflow
from ..forms import TeamForm


def _list_url(year) -> str:
    return f"{reverse('forums:teams')}?year={year.year}"


def _save(request, form, **target):
    """Save a valid team form through the workflow; its refusal lands on the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        workflow.save_team(actor=request.user, **target, **form.cleaned_data)
    except workflow.WorkflowError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def team_list(request):
    if not access.can_plan_season(request.user):
        raise PermissionDenied
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    form = TeamForm(request.POST or None)
    if _save(request, form, planning_year=year):
        messages.success(request, _("The team %(name)s was added.") % {"name": form.cleaned_data["name"]})
        return redirect(_list_url(year))
    teams = access.teams_for(request.user).filter(planning_year=year).annotate(forum_count=Count("forums"))
    return render(
        request,
        "forums/teams.html",
        {"form": form, "teams": teams, "year": year, "years": years, "region": request.user.region},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    team = access.get_team_for_user(request.user, pk)
    form = TeamForm(request.POST or None, instance=team)
    if _save(request, form, team=team):
        messages.success(request, _("The team %(name)s was saved.") % {"name": form.cleaned_data["name"]})
        return redirect(_list_url(team.planning_year))
    forums = team.forums.select_related("region", "agency", "planning_year").order_by(
        "held_on", "level", "region__code"
    )
    return render(request, "forums/team_edit.html", {"form": form, "team": team, "forums": forums})


@login_required
@require_POST
def team_delete(request, pk):
    team = access.get_team_for_user(request.user, pk)
    try:
        workflow.delete_team(actor=request.user, team=team)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("forums:team", pk=team.pk)
    messages.success(request, _("The team %(name)s was deleted.") % {"name": team.name})
    return redirect(_list_url(team.planning_year))
