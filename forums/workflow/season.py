"""The season: Bappeda plans every forum of its region ahead, and sends monitoring teams to them.

A planned forum is the forum itself, created now through the ladder's own forum_for (so the first
submission, an approval's forwarding and the plan all find the one row the unique constraints
allow), with its date and place set before any item reaches it.

Why the planned date is `held_on` and not a column of its own: a forum meets once, and the date
Bappeda plans is the date the forum keeps unless it is moved. One column means the board, the
minutes and the window check all read the same date; a move is a change of that date, which the
audit log records (before and after) like any other change to a forum's details (audit/apps.py).
Planning a date leaves the forum's status as it was (preparing): the board tells a planned forum
from one in session by its date (forums/season.py), and the forum's own officers open the
session when they fill in its details (meeting.update_forum).

Every verb checks that the actor is a Bappeda planning inside its own region (forums.access),
runs in one transaction and raises WorkflowError with a message for the user.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from regions.models import Agency, Level, Region

from .. import access, queries
from ..models import Forum, MonitoringTeam
from .ladder import ensure_open, forum_for

# What a plan sets on a forum: when and where it meets, and who monitors it.
PLAN_FIELDS = frozenset({"held_on", "starts_at", "place", "team"})


def _check_planner(actor, region) -> None:
    if not access.can_plan_season(actor) or not region.is_within(actor.region):
        raise WorkflowError(_("Only the Bappeda of this region plans its forums."))


def season_forums(planning_year, region, *, villages: bool = False) -> list[tuple[int, Region, Agency | None]]:
    """(level, region, agency) of every forum of a region's season: for a kabupaten/kota its own
    Musrenbang, each of its agencies' Forum Perangkat Daerah, each kecamatan's Musrenbang and, with
    `villages`, each village's; for a province its own Musrenbang."""
    wanted = [(region.level, region, None)]
    if region.level == Level.KABUPATEN:
        wanted += [
            (Level.KABUPATEN, region, agency) for agency in Agency.objects.filter(region=region).order_by("code")
        ]
        levels = [Level.KECAMATAN, Level.DESA] if villages else [Level.KECAMATAN]
        below = Region.objects.below(region).filter(level__in=levels).order_by("code")
        wanted += [(r.level, r, None) for r in below]
    return wanted


@transaction.atomic
def plan_season(*, actor, planning_year, region, villages: bool = False) -> list[Forum]:
    """Create every forum of a region's season that does not exist yet (season_forums); return the new ones.

    Idempotent: a second call creates nothing. Existing forums (a village forum opened by its first
    submission, a forum already planned) are left as they are. Refused unless the actor is a
    Bappeda and the region its own or under it, at the kabupaten/kota or province level.
    """
    _check_planner(actor, region)
    if region.level not in (Level.KABUPATEN, Level.PROVINSI):
        raise WorkflowError(_("A season is planned for a regency/city or a province."))
    wanted = season_forums(planning_year, region, villages=villages)
    existing = set(
        Forum.objects.filter(planning_year=planning_year)
        .filter(Q(region=region) | Q(region__code__startswith=region.code + "."))
        .values_list("level", "region_id", "agency_id")
    )
    created = []
    for level, place, agency in wanted:
        if (level, place.pk, agency.pk if agency else None) in existing:
            continue
        # The ladder's own path: the same defaults (the minutes' usual wording) as a forum opened
        # by its first item, and get_or_create, so that a submission racing the plan finds one row.
        created.append(forum_for(planning_year, level, place, agency))
    return created


def _lock_to_plan(actor, forum: Forum) -> Forum:
    locked = (
        Forum.objects.select_for_update(of=("self",))
        .select_related("region", "agency", "planning_year", "team")
        .get(pk=forum.pk)
    )
    if not access.can_plan_forum(actor, locked):
        raise WorkflowError(_("Only the Bappeda of this region plans its forums."))
    return locked


def _check_team(actor, team: MonitoringTeam | None, forum: Forum) -> None:
    if team is None:
        return
    if not access.teams_for(actor).filter(pk=team.pk).exists() or not access.team_fits(team, forum):
        raise WorkflowError(
            _("The team %(team)s cannot monitor %(forum)s: it belongs to another plan year or region.")
            % {"team": team, "forum": forum}
        )


def plan_forum(*, actor, forum: Forum, **fields) -> Forum:
    """Set a forum's planned date, time, place and monitoring team (any of them).

    The date must fall inside the window of the forum's stage (queries.window_problems, the same
    check as the forum's own details), unless the forum recorded its reason for meeting outside
    it. Date, time and place of an approved forum no longer change (its minutes print them); its
    team still may. Nothing is saved when refused.
    """
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_to_plan(actor, forum)
        if set(fields) - {"team"}:
            ensure_open(locked)
        _check_team(actor, fields.get("team"), locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if "held_on" in fields:
            problems = queries.window_problems(locked)
            if problems:
                raise WorkflowError(" ".join(problems))
        if fields:
            locked.save(update_fields=sorted(fields))
    return locked


def assign_team(*, actor, forums, team: MonitoringTeam | None) -> int:
    """Give many forums one monitoring team (or none); return how many changed.

    All or nothing: refused, changing none, when any of the forums is not the actor's to plan or
    the team does not fit one of them. Each forum is saved on its own, so the audit log records
    each change.
    """
    pks = sorted({f.pk if isinstance(f, Forum) else int(f) for f in forums})
    if not pks:
        raise WorkflowError(_("Choose at least one forum."))
    with transaction.atomic():
        locked = list(
            Forum.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .select_related("region", "agency", "planning_year")
            .order_by("pk")
        )
        if len(locked) != len(pks) or not all(access.can_plan_forum(actor, f) for f in locked):
            raise WorkflowError(_("Some of the chosen forums are not yours to plan; nothing was changed."))
        for forum in locked:
            _check_team(actor, team, forum)
        changed = 0
        for forum in locked:
            if forum.team_id != (team.pk if team else None):
                forum.team = team
                forum.save(update_fields=["team"])
                changed += 1
    return changed


# --- monitoring teams -----------------------------------------------------------------------


def _team_text(name: str, leader: str, members: str) -> tuple[str, str, str]:
    name, leader = (name or "").strip(), (leader or "").strip()
    if not name:
        raise WorkflowError(_("Name the monitoring team."))
    if not leader:
        raise WorkflowError(_("Name the team's leader."))
    lines = [line.strip() for line in (members or "").splitlines()]
    return name, leader, "\n".join(line for line in lines if line)


def save_team(
    *, actor, planning_year=None, team: MonitoringTeam | None = None, name: str, leader: str, members: str = ""
) -> MonitoringTeam:
    """Create a monitoring team of the actor's region for a plan year, or change one it keeps.

    Refused when the name is empty, when the leader is not named, or when the region already has a
    team of that name that year (case-insensitive).
    """
    if not access.can_plan_season(actor):
        raise WorkflowError(_("Only Bappeda keeps monitoring teams."))
    name, leader, members = _team_text(name, leader, members)
    with transaction.atomic():
        if team is None:
            if planning_year is None:
                raise ValueError("a new team needs its planning year")
            team = MonitoringTeam(planning_year=planning_year, region=actor.region)
        else:
            team = MonitoringTeam.objects.select_for_update().select_related("region").get(pk=team.pk)
            if not team.region.is_within(actor.region):
                raise WorkflowError(_("Only Bappeda keeps monitoring teams."))
        same = MonitoringTeam.objects.filter(
            planning_year_id=team.planning_year_id, region_id=team.region_id, name__iexact=name
        ).exclude(pk=team.pk)
        if same.exists():
            raise WorkflowError(
                _("There is already a team called %(name)s for %(year)s.") % {"name": name, "year": team.planning_year}
            )
        team.name, team.leader, team.members = name, leader, members
        try:
            with transaction.atomic():
                team.save()
        except IntegrityError:
            raise WorkflowError(
                _("There is already a team called %(name)s for %(year)s.") % {"name": name, "year": team.planning_year}
            ) from None
    return team


def delete_team(*, actor, team: MonitoringTeam) -> None:
    """Delete a team; refused while forums are assigned to it (they are given another team first)."""
    with transaction.atomic():
        team = MonitoringTeam.objects.select_for_update().select_related("region").get(pk=team.pk)
        if not access.can_plan_season(actor) or not team.region.is_within(actor.region):
            raise WorkflowError(_("Only Bappeda keeps monitoring teams."))
        assigned = Forum.objects.filter(team=team).count()
        if assigned:
            raise WorkflowError(
                _("%(team)s still monitors %(n)d forum(s); assign them another team first.")
                % {"team": team, "n": assigned}
            )
        team.delete()
