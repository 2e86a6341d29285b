"""The one verb of the SIPD import: save what a checked file creates and changes, all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from .. import access
from ..codes import new_tracking_code
from ..enums import EventAction, Status
from ..models import Proposal, SipdRecord
from ..transitions import record_all, transition
from .checking import FIELDS, RECORD_FIELDS, Plan


def import_sipd(*, actor, kabupaten, plan: Plan, source_name: str) -> None:
    """Create the plan's new proposals and save its changed ones, in one transaction.

    Side effects: each new proposal is created with its SIPD record and a "created" event naming
    the file, then submitted through transitions.transition() (a tracking code, a "submitted"
    event; its submission date is SIPD's Tanggal Usul). It is not put on a forum's list: SIPD's
    own forums deliberated it, and its record says what they decided. Each changed proposal is
    saved with its record and an "edited" event naming the file and the columns that changed.
    Refused, with nothing saved, unless the actor may import into the kabupaten.
    """
    if not access.may_import_sipd(actor, kabupaten):
        raise WorkflowError(_("Only the kabupaten's Bappeda can import its SIPD exports."))
    # The history is read by everyone above the village: written in the official language.
    with translation.override(settings.LANGUAGE_CODE):
        created_note = _("Imported from SIPD export %(name)s") % {"name": source_name}
        submitted_note = _("Submitted in SIPD as usulan %(id)s")
        edited_note = _("Updated from SIPD export %(name)s: %(columns)s")
    now = timezone.now()
    try:
        with transaction.atomic():
            created = Proposal.objects.bulk_create([p.proposal for p in plan.new], batch_size=100)
            record_all(created, actor=actor, action=EventAction.CREATED, note=lambda p: created_note)
            SipdRecord.objects.bulk_create([p.record for p in plan.new], batch_size=500)
            transition(
                created,
                actor=actor,
                action=EventAction.SUBMITTED,
                to_status=Status.SUBMITTED,
                note=lambda p: submitted_note % {"id": p.sipd.sipd_id},
                changes=lambda p: {"tracking_code": new_tracking_code()},
            )
            changed = [p.proposal for p in plan.changed]
            for proposal in changed:
                proposal.updated_at = now
            Proposal.objects.bulk_update(changed, [*FIELDS, "updated_at"], batch_size=200)
            SipdRecord.objects.bulk_update([p.record for p in plan.changed], RECORD_FIELDS, batch_size=200)
            columns = {p.proposal.pk: ", ".join(change[0] for change in p.changes) for p in plan.changed}
            record_all(
                changed,
                actor=actor,
                action=EventAction.EDITED,
                note=lambda p: edited_note % {"name": source_name, "columns": columns[p.pk]},
            )
    except IntegrityError:
        # Another import of the same ids meanwhile, or two random tracking codes alike.
        raise WorkflowError(_("The proposals changed while the file was being saved. Send it again.")) from None
