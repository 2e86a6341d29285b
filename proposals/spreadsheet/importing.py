"""A village's spreadsheet as the background worker imports it (uploads.readers says how).

Every row is checked first, with progress on the upload's page; only a file without a single
error becomes drafts, through the same workflow verb, and only if the sender is still the
village's operator while its intake window is open.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.models import Region
from uploads.readers import Refused, Saved, refusal

from .. import workflow
from .reading import read_proposals

KIND = "proposals"


def import_in_worker(upload, file, progress):
    village = Region.objects.select_related("parent__parent__parent").get(pk=upload.params["village"])
    try:
        plan_year = workflow.intake_open_window(village).planning_year
    except workflow.WorkflowError as error:
        return Refused(problems=[str(error)])
    reading = read_proposals(file, village=village, plan_year=plan_year, progress=progress)
    if refused := refusal(reading):
        return refused

    def save():
        try:
            created = workflow.import_drafts(
                actor=upload.user, village=village, rows=reading.proposals, source_name=upload.filename
            )
        except workflow.WorkflowError as error:
            return Refused(problems=[str(error)])
        message = ngettext(
            "%(count)d proposal from %(name)s was saved as a draft.",
            "%(count)d proposals from %(name)s were saved as drafts.",
            len(created),
        ) % {"count": len(created), "name": upload.filename}
        return Saved(message, reverse("proposals:drafts"), _("Check and submit the drafts"))

    return save
