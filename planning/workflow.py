"""The one door for changes to the planning cycle: a Bappeda's stage windows, regional priorities
with their indicators (targets) and each year's realisations, and the letterheads of the units of
its region.

Each verb checks who is acting, changes what it must inside one transaction, and raises
WorkflowError (a message for the user) when the rules refuse.
"""

from __future__ import annotations

from itertools import pairwise

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from musrenbang.files import delete_after_commit, files_follow
from regions.models import Level, Office

from .access import can_grant_late_entry, can_set_priorities, office_agencies, office_regions, schedulable_levels
from .models import Indicator, IndicatorValue, LateEntry, PlanningYear, RegionalPriority, StageWindow


@transaction.atomic
def set_schedule(*, actor, year: int, windows: dict) -> PlanningYear:
    """Create or change the actor's region's windows for one plan year; a level given None loses its own window.

    Refused (and nothing saved) when the windows that then apply to the actor's region are out of
    ladder order, or when one of its own windows overlaps the same stage of another plan year:
    see check_schedule. Side effects: creates the planning year if it is new. Proposals already
    entered keep their year.
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
    check_schedule(actor.region, planning_year)
    return planning_year


# The ladder from the bottom: each stage takes in what the one below it forwarded.
LADDER = (Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI)


def window_dates(window: StageWindow) -> str:
    """'1 Februari 2027 – 13 Februari 2027' in the user's language."""
    return f"{formats.date_format(window.opens_on, 'j F Y')} – {formats.date_format(window.closes_on, 'j F Y')}"


def check_schedule(region, planning_year: PlanningYear) -> None:
    """Raise WorkflowError unless the windows that apply to a region for a plan year climb the ladder
    in order, and none of the region's own windows overlaps the same stage of another plan year.

    In order means strictly: a stage closes at least a day before the next stage up opens, since a
    forum takes in only what the approved forums below it forwarded (docs/domain.md, "What each
    forum does"); a shared boundary day is refused. Only pairs that involve one of the region's own
    windows are checked: a province's schedule is its own Bappeda's to correct.
    """
    applying = {level: StageWindow.objects.applying(region, level, planning_year) for level in LADDER}
    present = [applying[level] for level in LADDER if applying[level] is not None]
    for lower, upper in pairwise(present):
        if region.pk not in (lower.region_id, upper.region_id):
            continue
        if lower.closes_on >= upper.opens_on:
            raise WorkflowError(
                _(
                    "The %(lower)s stage (%(lower_dates)s) must close before the %(upper)s stage opens "
                    "(%(upper_dates)s)."
                )
                % {
                    "lower": lower.get_level_display(),
                    "lower_dates": window_dates(lower),
                    "upper": upper.get_level_display(),
                    "upper_dates": window_dates(upper),
                }
            )
    for window in present:
        if window.region_id != region.pk:
            continue
        for other in StageWindow.objects.applicable(region, window.level):
            if other.planning_year_id == planning_year.pk:
                continue
            if other.opens_on <= window.closes_on and window.opens_on <= other.closes_on:
                raise WorkflowError(
                    _(
                        "The %(stage)s stage of %(year)s (%(dates)s) overlaps the same stage of %(other)s "
                        "(%(other_dates)s): a stage of one plan year must close before another year's opens."
                    )
                    % {
                        "stage": window.get_level_display(),
                        "year": planning_year,
                        "dates": window_dates(window),
                        "other": other.planning_year,
                        "other_dates": window_dates(other),
                    }
                )


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
        raise WorkflowError(_("Only the Bappeda of its region changes a regional priority and its targets."))
    return RegionalPriority.objects.select_for_update().select_related("planning_year", "region").get(pk=priority.pk)


def add_priority(*, actor, planning_year, name: str, target: str = "") -> RegionalPriority:
    """Add a regional priority (and its target) of the actor's kabupaten/kota for a planning year,
    after the ones already there."""
    if not can_set_priorities(actor):
        raise WorkflowError(_("Only the Bappeda of a regency/city or province keeps its regional priorities."))
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


# Indicators (targets) and their realisations

INDICATOR_FIELDS = (
    "name",
    "unit",
    "baseline",
    "baseline_high",
    "baseline_year",
    "target",
    "target_high",
    "target_year",
    "direction",
    "source",
    "source_detail",
    "decimals",
)


def _check_indicator(values: dict) -> dict:
    values = {**values, "name": values["name"].strip(), "unit": values["unit"].strip()}
    values["source_detail"] = (values.get("source_detail") or "").strip()
    if not values["name"] or not values["unit"]:
        raise WorkflowError(_("Name the indicator and its unit."))
    if not all(2000 <= values[y] <= 2100 for y in ("baseline_year", "target_year")):
        raise WorkflowError(_("The years must lie between 2000 and 2100."))
    if values["target_year"] < values["baseline_year"]:
        raise WorkflowError(_("The target year cannot come before the baseline year."))
    for low, high in (("baseline", "baseline_high"), ("target", "target_high")):
        if values.get(high) is not None and values[high] <= values[low]:
            raise WorkflowError(_("A range goes from the lower number to the higher one."))
    return values


def _save_indicator(indicator: Indicator, values: dict) -> Indicator:
    same = Indicator.objects.filter(priority_id=indicator.priority_id, name__iexact=values["name"])
    if same.exclude(pk=indicator.pk).exists():
        raise WorkflowError(_("This priority already has the indicator “%(name)s”.") % {"name": values["name"]})
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, values.get(name))
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError:  # the same name saved at the same moment by a colleague
        raise WorkflowError(
            _("This priority already has the indicator “%(name)s”.") % {"name": values["name"]}
        ) from None
    return indicator


def add_indicator(*, actor, priority: RegionalPriority, **values) -> Indicator:
    """Add an indicator (a baseline and a target, each with its year) under one of the actor's own
    region's priorities, after those already there. `values` are INDICATOR_FIELDS."""
    with transaction.atomic():
        locked = _lock_priority(actor, priority)
        values = _check_indicator(values)
        last = locked.indicators.aggregate(last=Max("position"))["last"]
        return _save_indicator(Indicator(priority=locked, position=0 if last is None else last + 1), values)


def update_indicator(*, actor, indicator: Indicator, **values) -> Indicator:
    """Change an indicator's name, unit, baseline, target, direction or source. Its realisations stay."""
    with transaction.atomic():
        _lock_priority(actor, indicator.priority)
        values = _check_indicator(values)
        return _save_indicator(Indicator.objects.select_for_update().get(pk=indicator.pk), values)


def remove_indicator(*, actor, indicator: Indicator) -> None:
    """Remove an indicator with its realisations (the audit log keeps what they were)."""
    with transaction.atomic():
        _lock_priority(actor, indicator.priority)
        # Row by row, so that the audit log sees each realisation go.
        for value in indicator.values.all():
            value.delete()
        indicator.delete()


def record_realisation(*, actor, indicator: Indicator, year: int, value, note: str = "") -> IndicatorValue:
    """Record (or correct) what an indicator measured in one year."""
    if not 2000 <= year <= 2100:
        raise WorkflowError(_("The years must lie between 2000 and 2100."))
    with transaction.atomic():
        _lock_priority(actor, indicator.priority)
        row, _created = IndicatorValue.objects.select_for_update().get_or_create(
            indicator=indicator, year=year, defaults={"value": value, "note": note.strip(), "recorded_by": actor}
        )
        if not _created:
            row.value, row.note, row.recorded_by = value, note.strip(), actor
            row.save()
    return row


def remove_realisation(*, actor, realisation: IndicatorValue) -> None:
    with transaction.atomic():
        _lock_priority(actor, realisation.indicator.priority)
        realisation.delete()


@transaction.atomic
def grant_late_entry(*, actor, planning_year, villages, opens_on, closes_on, reason: str) -> LateEntry:
    """Let named villages of the actor's kabupaten/kota file proposals for a plan year between two
    dates, and their forums carry dates outside the stage windows: a season recorded after the
    fact. Refused without villages, without a reason, with the dates the wrong way round, or for
    a village outside the actor's region."""
    if not can_grant_late_entry(actor):
        raise WorkflowError(_("Only a kabupaten/kota's Bappeda grants late entry to its villages."))
    villages = list(villages)
    reason = reason.strip()
    if not villages:
        raise WorkflowError(_("Name at least one village."))
    if not reason:
        raise WorkflowError(_("Say why these villages enter late."))
    if closes_on < opens_on:
        raise WorkflowError(_("The late entry must close on or after the day it opens."))
    outside = [v for v in villages if v.level != Level.DESA or not v.is_within(actor.region)]
    if outside:
        raise WorkflowError(
            _("%(villages)s: not a village of %(region)s.")
            % {"villages": ", ".join(v.display_name for v in outside), "region": actor.region.display_name}
        )
    entry = LateEntry.objects.create(
        planning_year=planning_year,
        region=actor.region,
        opens_on=opens_on,
        closes_on=closes_on,
        reason=reason,
        created_by=actor,
    )
    entry.villages.set(villages)
    return entry


def save_office(*, actor, office: Office, changed: list[str]) -> Office:
    """Save a unit's letterhead as Bappeda filled it in (`office` carries the new values).

    Refused unless the actor keeps that unit's letterhead. The files follow the transaction
    (musrenbang/files.py): a new logo written is removed if the row is not saved, and a replaced
    or removed one is deleted once the change has committed.
    """
    units = office_regions(actor) if office.region_id else office_agencies(actor)
    with files_follow() as kept:
        if not units.filter(pk=office.region_id or office.agency_id).exists():
            raise WorkflowError(_("You do not keep the letterhead of this unit."))
        old = Office.objects.select_for_update().filter(pk=office.pk).first() if office.pk else None
        # A new upload is written here rather than by save() (FileField.pre_save does the same when
        # the file is not yet committed), so that files_follow knows it.
        if office.logo and not office.logo._committed:
            office.logo.save(office.logo.name, office.logo.file, save=False)
            kept(office.logo)
        office.save()
        if old and old.logo and "logo" in changed and old.logo.name != office.logo.name:
            delete_after_commit(old.logo)
    return office
