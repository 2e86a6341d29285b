"""A SIPD export as the background worker reads it (uploads.readers says how), in two passes.

The first pass (params "check") saves nothing: it checks every row and stores what the file
would create and change as the upload's outcome, keeping the file; the preview page shows it and
its confirmation sends the same file again (uploads.readers.resend). The second pass checks
everything again and saves only if the file would still do exactly what the preview showed (the
preview's digest): a proposal changed in between makes it refuse, and the officer checks again.
"""

from __future__ import annotations

import hashlib
import json

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musrenbang.errors import WorkflowError
from planning.models import PlanningYear, Sector
from regions.models import Region
from uploads.readers import Refused, Saved, refused_by_row

from .. import access
from .checking import check_rows
from .layout import COLUMNS
from .reading import read_rows
from .saving import import_sipd

KIND = "sipd"


def digest(preview: dict) -> str:
    return hashlib.sha256(json.dumps(preview, sort_keys=True).encode()).hexdigest()


def summary(preview: dict) -> str:
    """ "2 new proposals, 1 changed, 5 unchanged": what a file does, in the reader's language."""
    parts = [
        ngettext("%(count)d new proposal", "%(count)d new proposals", len(preview["new"])),
        ngettext("%(count)d changed", "%(count)d changed", len(preview["changed"])),
        ngettext("%(count)d unchanged", "%(count)d unchanged", preview["unchanged"]),
    ]
    counts = [len(preview["new"]), len(preview["changed"]), preview["unchanged"]]
    text = ", ".join(part % {"count": count} for part, count in zip(parts, counts, strict=True))
    if preview["ours"]:
        text += "; " + ngettext(
            "%(count)d entered in this app, left as it is",
            "%(count)d entered in this app, left as they are",
            preview["ours"],
        ) % {"count": preview["ours"]}
    return text


def import_in_worker(upload, file, progress):
    params = upload.params
    kabupaten = Region.objects.get(pk=params["kabupaten"])
    if not access.may_import_sipd(upload.user, kabupaten):
        return Refused(problems=[_("Only the kabupaten's Bappeda can import its SIPD exports.")])
    problems: list[str] = []
    rows = read_rows(file, problems)
    if problems:
        return Refused(problems=problems)
    plan = check_rows(
        rows,
        kabupaten=kabupaten,
        planning_year=PlanningYear.objects.get(pk=params["year"]),
        sector=Sector.objects.get(pk=params["sector"]),
        sectors={sector.code: sector for sector in Sector.objects.all()},
        actor=upload.user,
        progress=progress,
    )
    if plan.errors:
        return refused_by_row(plan.errors, plan.shown, COLUMNS)
    preview = plan.preview()
    if params.get("check"):
        return lambda: Saved(
            _("The file was checked and nothing was saved yet: %(summary)s.") % {"summary": summary(preview)},
            reverse("proposals:sipd_preview", args=[upload.pk]),
            _("See the changes and confirm"),
            data={"preview": preview, "digest": digest(preview)},
            keep_file=True,
        )
    if digest(preview) != params.get("expect"):
        return Refused(
            problems=[
                _(
                    "The proposals changed since the file was checked, so nothing was saved. "
                    "Check the file again to see what it would change now."
                )
            ]
        )

    def save():
        try:
            import_sipd(actor=upload.user, kabupaten=kabupaten, plan=plan, source_name=upload.filename)
        except WorkflowError as error:
            return Refused(problems=[str(error)])
        return Saved(
            _("Imported from %(name)s: %(summary)s.") % {"name": upload.filename, "summary": summary(preview)},
            reverse("proposals:list") + f"?wilayah={kabupaten.code}",
            _("To the proposals"),
        )

    return save
