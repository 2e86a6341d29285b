"""What every demo walk enters the same way: a village's proposal as its operator files it, and
a forum's attendance with its first four signing (demo/load.py, demo/last_season.py)."""

from __future__ import annotations

from forums import workflow as forums_workflow
from proposals import workflow as intake
from proposals.models import Proposal


def village_proposal(actor, **fields) -> Proposal:
    """A draft of the actor's village, entered through the intake workflow; `fields` say what."""
    village = actor.region.name
    return intake.create_proposal(
        actor=actor,
        proposal=Proposal(
            proposer_type="desa",
            proposer_name=f"Pemerintah Desa {village}",
            proposer_contact="0812-7000-0000",
            address=f"Desa {village}",
            **fields,
        ),
    )


def attend(actor, forum, people, contact: str = "") -> None:
    """The people (name, gender, institution, element) on the forum's list, the first four signing."""
    forums_workflow.add_attendees(
        actor=actor,
        forum=forum,
        rows=[
            {"name": n, "gender": g, "institution": i, "element": e, "contact": contact, "signs": k < 4}
            for k, (n, g, i, e) in enumerate(people)
        ],
    )
