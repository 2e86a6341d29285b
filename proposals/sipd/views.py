"""The SIPD import's pages: sending a file to be checked (/usulan/sipd/), and the dry run's
preview with its confirmation (/usulan/sipd/<upload>/). The worker does the reading
(proposals/sipd/importing.py); access is proposals.access (may_import_sipd, sipd_kabupaten_of)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.once import sent_once
from musrenbang.files import StorageFailure
from planning.models import PlanningYear
from regions.models import Region
from uploads.access import get_upload_for_user
from uploads.readers import Saved, outcome_of, resend, send_to_worker

from .. import access
from .forms import SipdImportForm
from .importing import KIND, summary
from .reading import MAX_ROWS


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def sipd_import(request):
    kabupaten = access.sipd_kabupaten_of(request.user)
    upcoming = PlanningYear.objects.filter(year=timezone.localdate().year + 1).first()
    form = SipdImportForm(
        request.POST or None, request.FILES or None, kabupaten=kabupaten, initial={"planning_year": upcoming}
    )
    if request.method == "POST" and form.is_valid():
        params = {
            "kabupaten": (kabupaten or form.cleaned_data["kabupaten"]).pk,
            "year": form.cleaned_data["planning_year"].pk,
            "sector": form.cleaned_data["sector"].pk,
            "check": True,
        }
        if sent := send_to_worker(request, form, kind=KIND, label=_("SIPD export %(name)s, checked"), params=params):
            return sent
    return render(request, "proposals/sipd_import.html", {"form": form, "kabupaten": kabupaten, "max_rows": MAX_ROWS})


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def sipd_preview(request, pk):
    """What a checked file would do; confirming sends the same file to be read again and saved."""
    upload = get_upload_for_user(request.user, pk)
    outcome = outcome_of(upload)
    if upload.kind != KIND or not isinstance(outcome, Saved) or "preview" not in outcome.data:
        raise Http404
    kabupaten = Region.objects.filter(pk=upload.params.get("kabupaten")).first()
    if kabupaten is None or not access.may_import_sipd(request.user, kabupaten):
        raise Http404
    preview = outcome.data["preview"]
    if request.method == "POST":
        params = upload.params | {"check": False, "expect": outcome.data["digest"]}
        try:
            again = resend(upload, label=_("SIPD export %(name)s") % {"name": upload.filename}, params=params)
        except StorageFailure:
            again = None
        if again is None:
            messages.error(request, _("This check's file is no longer kept. Send the file again."))
            return redirect(upload.params.get("again") or "proposals:sipd_import")
        return redirect(again)
    return render(
        request,
        "proposals/sipd_preview.html",
        {
            "upload": upload,
            "kabupaten": kabupaten,
            "preview": preview,
            "summary": summary(preview),
            "confirmable": bool(upload.file) and bool(preview["new"] or preview["changed"]),
        },
    )
