"""The choices a proposal's fields take: its status, who proposed it, the kind of work, the
spending type, its attachments' kinds and the actions of its history. Plain values with labels,
importable without the models (the access rule reads Status)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # A DPRD member's pokok-pikiran, submitted to the council secretariat (Setwan), which verifies it
    # into the agency's forum or returns it; nobody else sees it yet.
    VERIFYING = "verifying", _("Awaiting Setwan verification")
    # In a forum at its current level, waiting for that forum's decision.
    SUBMITTED = "submitted", _("Submitted")
    # Sent back to the village for revision; the village corrects it and submits it again.
    RETURNED = "returned", _("Returned for revision")
    # The ends of the road:
    REJECTED = "rejected", _("Not agreed")
    MERGED = "merged", _("Merged into another proposal")
    VILLAGE_BUDGET = "village_budget", _("Left to the village budget")
    ACCOMMODATED = "accommodated", _("Taken into the plan")
    NOT_ACCOMMODATED = "not_accommodated", _("Not taken into the plan")
    # Taken back by its village, with a reason, before its village forum decided on it.
    WITHDRAWN = "withdrawn", _("Withdrawn by the village")


# A proposal in one of these statuses has left the ladder for good.
FINAL_STATUSES = {
    Status.REJECTED,
    Status.MERGED,
    Status.VILLAGE_BUDGET,
    Status.ACCOMMODATED,
    Status.NOT_ACCOMMODATED,
    Status.WITHDRAWN,
}


class ProposerType(models.TextChoices):
    WARGA = "warga", _("Resident")
    RT = "rt", _("RT (neighbourhood unit)")
    RW = "rw", _("RW (community unit)")
    LEMBAGA = "lembaga", _("Community institution")
    DESA = "desa", _("Village/kelurahan government")
    # SIPD's "Profil" of a legislator's item: the SIPD export writes this label.
    DPRD = "dprd", _("DPRD pokok-pikiran")


# Who may propose through a village (its form, its spreadsheet): anyone but the DPRD.
VILLAGE_PROPOSERS = [(value, label) for value, label in ProposerType.choices if value != ProposerType.DPRD]


class Channel(models.TextChoices):
    """The legal intake channel a proposal came through: the villages' Musrenbang, or a DPRD
    member's pokok-pikiran (Pokir), gathered in a recess meeting and verified by the Setwan."""

    MUSRENBANG = "musrenbang", _("Musrenbang")
    POKIR = "pokir", _("Pokir DPRD")


class WorkKind(models.TextChoices):
    PHYSICAL = "fisik", _("Physical")
    NON_PHYSICAL = "nonfisik", _("Non-physical")


class SpendingType(models.TextChoices):
    """Jenis belanja, as SIPD names the kinds of regional spending an activity falls under."""

    OPERATING = "operasi", _("Operating expenditure (belanja operasi)")
    CAPITAL = "modal", _("Capital expenditure (belanja modal)")
    TRANSFER = "transfer", _("Transfer expenditure (belanja transfer)")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    PROPOSAL_DOCUMENT = "proposal", _("Proposal document")
    COST_BREAKDOWN = "rab", _("Cost breakdown (RAB)")
    LAND_PROOF = "land", _("Proof of land status")
    # A DPRD member's recess meeting (reses): minutes, attendance list, photos; several allowed.
    RECESS_EVIDENCE = "reses", _("Recess meeting evidence")


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    SCORED = "scored", _("Scored")
    DECIDED = "decided", _("Decided")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    HANDED_OVER = "handed_over", _("Handed to another agency")
    MERGED = "merged", _("Merged")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED = "closed", _("Final outcome")
    WITHDRAWN = "withdrawn", _("Withdrawn by the village")
    VERIFIED = "verified", _("Verified by the Setwan")
