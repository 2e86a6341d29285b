"""The one door for changes to the planning cycle: a Bappeda's stage windows and regional priorities.

Each verb checks who is acting, changes what it must inside one transaction, and raises
WorkflowError (a message for the user) when the rules refuse.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from .access import can_set_priorities, schedulable_levels
from .models import PlanningYear, RegionalPriority, StageWindow


@transaction.atomic
def set_schedule(*, actor, year: int, windows: dict) -> PlanningYear:
    """Create or change the actor's region's windows for one plan year; a level given None loses its own window.

    Side effects: creates the planning year if it is new. Proposals already entered keep their year.
    """
    allowed = schedulable_levels(actor)
    planning_year, _created = PlanningYear.objects.get_or_create(year=year)
    for level, dates in windows.items():
        if level not in allowed:
            raise ValueError(f"{actor} may not schedule level {level}")
        if dates is None:
            StageWindow.objects.filter(planning_year=planning_year, level=level, region=actor.region).delete()
        else:
            StageWindow.objects.update_or_create(
                planning_year=planning_year,
                level=level,
                region=actor.region,
                defaults={"opens_on": dates[0], "closes_on": dates[1]},
            )
    return planning_year


# Regional priorities


def _priority_text(name: str, target: str) -> tuple[str, str]:
    name, target = (name or "").strip(), (target or "").strip()
    if not name:
        raise WorkflowError(_("Name the regional priority."))
    return name, target


def _check_priority_name(region, planning_year, name: str, *, exclude: int | None = None) -> None:
    # Case-insensitive: "Infrastruktur" and "infrastruktur" are one priority to a reader.
    same = RegionalPriority.objects.filter(planning_year=planning_year, region=region, name__iexact=name)
    if same.exclude(pk=exclude).exists():
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": region.display_name, "name": name, "year": planning_year}
        )


def _lock_priority(actor, priority: RegionalPriority) -> RegionalPriority:
    if not can_set_priorities(actor) or priority.region_id != actor.region_id:
        raise WorkflowError(_("Only the Bappeda of its regency/city changes a regional priority."))
    return RegionalPriority.objects.select_for_update().select_related("planning_year", "region").get(pk=priority.pk)


def add_priority(*, actor, planning_year, name: str, target: str = "") -> RegionalPriority:
    """Add a regional priority (and its target) of the actor's kabupaten/kota for a planning year,
    after the ones already there."""
    if not can_set_priorities(actor):
        raise WorkflowError(_("Only the Bappeda of a regency/city keeps its regional priorities."))
    name, target = _priority_text(name, target)
    region = actor.region
    try:
        with transaction.atomic():
            _check_priority_name(region, planning_year, name)
            last = RegionalPriority.objects.filter(planning_year=planning_year, region=region).aggregate(
                last=Max("position")
            )["last"]
            return RegionalPriority.objects.create(
                planning_year=planning_year,
                region=region,
                name=name,
                target=target,
                position=0 if last is None else last + 1,
            )
    except IntegrityError:  # the same name added at the same moment by a colleague
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": region.display_name, "name": name, "year": planning_year}
        ) from None


def update_priority(*, actor, priority: RegionalPriority, name: str, target: str = "") -> RegionalPriority:
    """Rename a regional priority or change its target. Items classified under it follow it."""
    name, target = _priority_text(name, target)
    try:
        with transaction.atomic():
            locked = _lock_priority(actor, priority)
            _check_priority_name(locked.region, locked.planning_year, name, exclude=locked.pk)
            locked.name, locked.target = name, target
            locked.save(update_fields=["name", "target"])
    except IntegrityError:
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": priority.region.display_name, "name": name, "year": priority.planning_year}
        ) from None
    return locked


def remove_priority(*, actor, priority: RegionalPriority) -> None:
    """Remove a regional priority; refused while any item is classified under it.

    The row lock makes a classification under it at the same moment wait, then fail cleanly.
    """
    with transaction.atomic():
        locked = _lock_priority(actor, priority)
        used = locked.proposals.count()
        if used:
            raise WorkflowError(
                _("“%(name)s” is the regional priority of %(n)d item(s); it cannot be removed.")
                % {"name": locked.name, "n": used}
            )
        locked.delete()
