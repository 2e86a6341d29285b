"""The delivery pages under /realisasi/: a kabupaten's accommodated items with their stage and
progress (filtered, summarised by agency, kecamatan and priority, late ones flagged), and one
item's page where its agency files reports. Each view fetches through delivery.access and calls
delivery.workflow's one verb."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.once import sent_once
from accounts.scope import scope_of
from musrenbang.errors import WorkflowError
from musrenbang.files import STORAGE_REFUSED, StorageFailure, served
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from proposals.paging import paged
from regions.models import Level, Region
from uploads.forms import ImportForm
from uploads.readers import send_to_worker

from . import access, queries, spreadsheet, workflow
from .filters import DeliveryFilter
from .forms import ReportForm
from .models import Delivery, ReportPhoto, due_date

PER_PAGE = 50


def _kabupaten(request) -> Region | None:
    """The kabupaten the list is about: the officer's own, or the one chosen (?wilayah=) within
    the officer's area; None while a province's Bappeda or the administrator has yet to choose."""
    user = request.user
    scope = scope_of(user)
    if scope.agency_id:
        region = user.agency.region
        if region.level == Level.KABUPATEN:
            return region
    elif scope.region_id and scope.level == Level.KABUPATEN:
        return user.region
    chosen = Region.objects.filter(level=Level.KABUPATEN).coded(request.GET.get("wilayah"))
    if chosen is None:
        return None
    if not scope.everything:
        area = user.agency.region if scope.agency_id else user.region
        if chosen.parent_id != area.pk:
            raise Http404
    return chosen


def _choices(request) -> list[Region]:
    """The regions to choose from: a province's kabupaten, or for the administrator the provinces
    (then, with ?provinsi=, that province's kabupaten)."""
    user = request.user
    scope = scope_of(user)
    if scope.everything:
        province = Region.objects.filter(level=Level.PROVINSI).coded(request.GET.get("provinsi"))
        if province is None:
            return list(Region.objects.filter(level=Level.PROVINSI).order_by("code"))
        return list(province.children.order_by("code"))
    area = user.agency.region if scope.agency_id else user.region
    return list(area.children.filter(level=Level.KABUPATEN).order_by("code"))


@login_required
@require_safe
def delivery_list(request):
    if not access.may_open_delivery(request.user):
        raise PermissionDenied
    kabupaten = _kabupaten(request)
    if kabupaten is None:
        return render(request, "delivery/choose.html", {"regions": _choices(request)})
    filters = DeliveryFilter(request.GET, kabupaten=kabupaten)
    year = filters.year()
    items = access.items_for(request.user).filter(kabupaten=kabupaten, planning_year=year)
    items = filters.apply(items)
    page = paged(request, items.order_by("kecamatan__code", "village__code", "pk"), PER_PAGE)
    late = set(items.filter(queries.late_filter(), pk__in=[item.pk for item in page]).values_list("pk", flat=True))
    return render(
        request,
        "delivery/list.html",
        {
            "kabupaten": kabupaten,
            "year": year,
            "filters": filters,
            "page": page,
            "late": late,
            "summaries": queries.summaries(items),
        },
    )


@login_required
@require_safe
def delivery_download(request):
    """The list as filtered, as the XLSX an agency keeps its progress in and uploads again."""
    if not access.may_open_delivery(request.user):
        raise PermissionDenied
    kabupaten = _kabupaten(request)
    if kabupaten is None:
        raise Http404
    filters = DeliveryFilter(request.GET, kabupaten=kabupaten)
    items = filters.apply(access.items_for(request.user).filter(kabupaten=kabupaten, planning_year=filters.year()))
    name = f"realisasi-{kabupaten.code}-{filters.year().year}.xlsx"
    return HttpResponse(
        spreadsheet.workbook(items.order_by("kecamatan__code", "village__code", "pk")),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def delivery_import(request):
    """Reports for many items at once from the downloaded file, brought up to date."""
    if not access.may_open_delivery(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if sent := send_to_worker(request, form, kind=spreadsheet.KIND, label=_("Delivery reports from %(name)s")):
            return sent
    return render(request, "delivery/import.html", {"form": form, "max_rows": spreadsheet.MAX_ROWS})


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def delivery_detail(request, pk):
    proposal = access.get_item_for_user(request.user, pk)
    delivery = Delivery.objects.filter(pk=proposal.pk).first()
    may_report = access.can_report(request.user, proposal)
    form = None
    if may_report:
        form = ReportForm(
            request.POST or None, request.FILES or None, instance=delivery or Delivery(), proposal=proposal
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.file_report(
                    actor=request.user,
                    proposal=proposal,
                    facts=form.save(commit=False),
                    as_of=form.cleaned_data["as_of"],
                    note=form.cleaned_data["note"],
                    photos=form.cleaned_data["photos"],
                    public=form.cleaned_data["photos_public"],
                )
            except WorkflowError as error:
                messages.error(request, str(error))
            except StorageFailure:
                form.add_error("photos", STORAGE_REFUSED)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("delivery:detail", pk=proposal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "delivery/detail.html",
        {
            "proposal": proposal,
            "delivery": delivery,
            "due": due_date(delivery, proposal.planning_year.year),
            "form": form,
            "reports": delivery.reports.select_related("recorded_by").prefetch_related("photos") if delivery else [],
        },
    )


@login_required
@require_safe
def delivery_photo(request, pk, photo_pk):
    proposal = access.get_item_for_user(request.user, pk)
    photo = get_object_or_404(ReportPhoto, pk=photo_pk, report__delivery_id=proposal.pk)
    return served(photo.file, content_type="image/jpeg")
