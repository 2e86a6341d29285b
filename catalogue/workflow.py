"""The one door for changing a catalogue of proposals: saving an item (new or changed), turning
it off or on again, and importing a whole file of them.

Each verb checks that the actor keeps the item's kabupaten, runs in one transaction and raises
WorkflowError when the rules refuse. Every save goes through the model's save(), so the audit
log (audit/apps.py) keeps who changed which price, when, and what it was before. A changed price
never reaches proposals already filed: they keep the name and price they were filed with.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from .access import may_keep_region
from .models import CatalogueItem


def _check(actor, item: CatalogueItem) -> None:
    if not may_keep_region(actor, item.kabupaten):
        raise WorkflowError(_("You may not change the catalogue of this regency/city."))


def _save(item: CatalogueItem) -> None:
    item.fold_name()
    clash = CatalogueItem.objects.of(item.kabupaten_id, item.planning_year_id).filter(search_name=item.search_name)
    if clash.exclude(pk=item.pk).exists():
        raise WorkflowError(_("The catalogue of this year already has an item named “%(name)s”.") % {"name": item.name})
    item.save()


@transaction.atomic
def save_item(*, actor, item: CatalogueItem) -> CatalogueItem:
    """Save a new or changed item of the actor's catalogue. Side effects: an audit log entry."""
    _check(actor, item)
    _save(item)
    return item


@transaction.atomic
def set_active(*, actor, item: CatalogueItem, active: bool) -> CatalogueItem:
    """Turn an item off (villages no longer find it) or on again. Proposals filed with it keep it."""
    _check(actor, item)
    locked = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if locked.active != active:
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
    return locked


@transaction.atomic
def import_items(*, actor, items: list[CatalogueItem]) -> tuple[int, int]:
    """Save every item of a checked file, new and changed, or none. Returns (created, changed)."""
    created = changed = 0
    for item in items:
        _check(actor, item)
        if item.pk:
            changed += 1
        else:
            created += 1
        _save(item)
    return created, changed
