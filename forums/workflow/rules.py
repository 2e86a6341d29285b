"""The rules Bappeda sets for a planning year: ranking criteria and the kecamatan ceilings."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from planning.access import can_set_planning
from regions.models import Level

from .. import access
from ..models import Ceiling, Criterion, CriterionKind, Forum, ForumStatus, Score


def set_criteria(*, actor, planning_year, criteria: list[tuple]) -> list[Criterion]:
    """Replace the actor's region's ranking criteria for a year with (name, weight %) pairs, or
    (name, weight %, kind) triples: CriterionKind.PRIORITY for the one criterion scored from the
    item's regional priority (forums/workflow/weighing.py), else scored by the forum.

    The weights must add up to 100. Refused once any forum of that region and year has scored
    an item, so that no two items of one forum are ranked by different rules.
    """
    if not can_set_planning(actor):
        raise WorkflowError(_("Only Bappeda sets the ranking criteria."))
    kinds = [kind[0] if kind else CriterionKind.MANUAL for _name, _weight, *kind in criteria]
    criteria = [(name, weight) for name, weight, *_kind in criteria]
    if kinds.count(CriterionKind.PRIORITY) > 1:
        raise WorkflowError(_("Only one criterion can be scored from the regional priority."))
    names = [name.strip() for name, _weight in criteria]
    if not criteria or any(not name for name in names) or len(set(names)) != len(names):
        raise WorkflowError(_("Give each criterion a different name."))
    # Fix: a weight of 0 (or over 100) in a list adding up to 100 was refused with "they add up to
    # 100 %"; it gets its own message.
    if any(not 1 <= weight <= 100 for _name, weight in criteria):
        raise WorkflowError(_("Each weight must be a whole number from 1 to 100."))
    if sum(w for _n, w in criteria) != 100:
        raise WorkflowError(
            _("The weights must add up to 100 %%; they add up to %(sum)d %%.") % {"sum": sum(w for _n, w in criteria)}
        )
    with transaction.atomic():
        region = actor.region
        # Any score in the region's forums this year, with its own criteria or inherited ones:
        # changing the rules then would rank one forum's items by two different measures.
        if Score.objects.filter(
            Q(decision__forum__region=region) | Q(decision__forum__region__code__startswith=region.code + "."),
            decision__forum__planning_year=planning_year,
        ).exists():
            raise WorkflowError(_("Items have already been scored with these criteria; they can no longer change."))
        Criterion.objects.filter(planning_year=planning_year, region=region).delete()
        # Row by row, not bulk_create: the audit log sees a row only through its save() (a handful of rows).
        return [
            Criterion.objects.create(
                planning_year=planning_year, region=region, name=name, weight=weight, kind=kind, position=i
            )
            for i, (name, weight, kind) in enumerate(zip(names, (w for _n, w in criteria), kinds, strict=True))
        ]


def set_ceiling(*, actor, planning_year, kecamatan, amount: int, max_items: int | None = None) -> Ceiling:
    """Set a kecamatan's indicative ceiling for a year; only its own kabupaten's Bappeda may.

    Refused once that kecamatan's forum has been approved.
    """
    if (
        not access.can_set_ceilings(actor)
        or kecamatan.parent_id != actor.region_id
        or kecamatan.level != Level.KECAMATAN
    ):
        raise WorkflowError(_("Only the Bappeda of its kabupaten/kota sets a district's ceiling."))
    if amount < 0:
        raise WorkflowError(_("The ceiling cannot be negative."))
    with transaction.atomic():
        if Forum.objects.filter(
            planning_year=planning_year, level=Level.KECAMATAN, region=kecamatan, status=ForumStatus.APPROVED
        ).exists():
            raise WorkflowError(_("This district's forum has been approved; its ceiling can no longer change."))
        ceiling, _created = Ceiling.objects.update_or_create(
            planning_year=planning_year, region=kecamatan, defaults={"amount": amount, "max_items": max_items}
        )
    return ceiling
