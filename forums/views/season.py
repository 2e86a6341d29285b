"""The season board (/musyawarah/musim/): every forum of a plan year in the officer's area, as a
table by level or as a calendar, its XLSX; and Bappeda's planning from it: creating the season's
forums, a forum's date, place and team, and one team for many forums."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from planning.years import chosen_year
from regions.models import Level

from .. import access, season, season_export, workflow
from ..forms import AssignTeamForm, ForumPlanForm, PlanSeasonForm

FILTERS = ("level", "status", "team")


def _board_context(request):
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    user = request.user
    area = season.area_for(user, request.GET.get("area"))
    chosen = {name: request.GET.get(name) or "" for name in FILTERS}
    board = season.board(user, year, area, **{name: value or None for name, value in chosen.items()})
    plans = access.can_plan_season(user) and area is not None and area.is_within(user.region)
    if plans:
        teams = list(access.teams_for(user).filter(planning_year=year))
    else:  # the teams on the board, for the filter: no query
        teams = sorted({row.team for row in board.rows if row.team}, key=lambda team: team.name)
    query = {"year": year.year, **({"area": area.code} if area else {})}
    return {
        "year": year,
        "years": years,
        "area": area,
        "areas": season.area_choices(user, area),
        "board": board,
        "levels": [(value, label) for value, label in Level.choices if value in season.levels_shown(area)],
        "statuses": season.SeasonStatus.choices,
        "teams": teams,
        "chosen": chosen,
        "plans": plans,
        "plans_season": plans and area.level in (Level.KABUPATEN, Level.PROVINSI),
        "base_query": urlencode(query),
        "filter_query": urlencode({**query, **{k: v for k, v in chosen.items() if v}}),
        "season_form": PlanSeasonForm(),
    }


@login_required
@require_safe
def season_board(request):
    return render(request, "forums/season.html", _board_context(request))


@login_required
@require_safe
def season_calendar(request):
    context = _board_context(request)
    context["months"] = season.calendar_months(context["board"])
    context["weekdays"] = season.WEEKDAYS
    context["unplanned"] = [row for row in context["board"].rows if not row.held_on]
    return render(request, "forums/season_calendar.html", context)


@login_required
@require_safe
def season_export_xlsx(request):
    context = _board_context(request)
    content = season_export.workbook(context["board"], context["year"])
    response = HttpResponse(content, content_type=season_export.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{season_export.filename(context["board"], context["year"])}"'
    )
    return response


def _back(request, year=None, area=None) -> str:
    """Where a planning action returns: the board page it came from (?next=, same site), else the board."""
    wanted = request.POST.get("next") or request.GET.get("next")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    query = {**({"year": year.year} if year else {}), **({"area": area.code} if area else {})}
    return f"{reverse('forums:season')}?{urlencode(query)}"


@login_required
@require_POST
def season_plan(request):
    """Create every forum of the area's season that does not exist yet."""
    if not access.can_plan_season(request.user):
        raise PermissionDenied
    year, _years = chosen_year(request)
    area = season.area_for(request.user, request.POST.get("area"))
    if year is None or area is None:
        raise Http404
    form = PlanSeasonForm(request.POST)
    form.is_valid()
    try:
        created = workflow.plan_season(
            actor=request.user, planning_year=year, region=area, villages=form.cleaned_data.get("villages", False)
        )
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(
                request,
                ngettext(
                    "%(n)d forum of the season was created.", "%(n)d forums of the season were created.", len(created)
                )
                % {"n": len(created)},
            )
        else:
            messages.info(request, _("Every forum of the season already exists; nothing was created."))
    return redirect(_back(request, year, area))


def _teams_fitting(user, forum):
    """The teams that may monitor this forum: the user's, of its plan year, of its region or above."""
    codes = forum.region.ancestor_codes() + [forum.region.code]
    return access.teams_for(user).filter(planning_year=forum.planning_year, region__code__in=codes)


@login_required
@require_http_methods(["GET", "POST"])
def forum_plan(request, pk):
    """One forum's planned date, time, place and monitoring team."""
    forum = access.get_forum_to_plan(request.user, pk)
    form = ForumPlanForm(request.POST or None, instance=forum, teams=_teams_fitting(request.user, forum))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.plan_forum(actor=request.user, forum=forum, **form.plan())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan of %(forum)s was saved.") % {"forum": forum})
            return redirect(_back(request, forum.planning_year))
    return render(
        request, "forums/season_plan.html", {"forum": forum, "form": form, "next": request.GET.get("next", "")}
    )


@login_required
@require_POST
def season_assign(request):
    """One monitoring team (or none) for the forums ticked on the board: all of them, or none."""
    if not access.can_plan_season(request.user):
        raise PermissionDenied
    year, _years = chosen_year(request)
    if year is None:
        raise Http404
    form = AssignTeamForm(request.POST, teams=access.teams_for(request.user).filter(planning_year=year))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, year))
    team = form.cleaned_data["team"]
    try:
        changed = workflow.assign_team(actor=request.user, forums=form.cleaned_data["forum"], team=team)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        count = len(form.cleaned_data["forum"])
        if team is None:
            text = ngettext(
                "%(n)d forum no longer has a monitoring team.", "%(n)d forums no longer have a monitoring team.", count
            )
        else:
            text = ngettext("%(team)s monitors %(n)d forum.", "%(team)s monitors the %(n)d chosen forums.", count)
        messages.success(request, text % {"n": count, "team": team, "changed": changed})
    return redirect(_back(request, year))
