"""The catalogue pages under /kamus/: a kabupaten's items of a plan year (filtered, paged), adding
and changing one, turning one off or on, the XLSX download and import; and the search the
proposal form calls as a village types. Each view fetches through catalogue.access and calls one
verb of catalogue.workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from lokal import format_rupiah

from accounts.once import sent_once
from musrenbang.errors import WorkflowError
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from planning.models import PlanningYear
from regions.models import Level, Region
from uploads.forms import ImportForm
from uploads.readers import send_to_worker

from . import access, spreadsheet, workflow
from .filters import CatalogueFilter
from .forms import CatalogueItemForm
from .models import CatalogueItem

PER_PAGE = 50
SEARCH_RESULTS = 20


def _place(request):
    """(the kabupaten, the filter bar, the plan year) of a catalogue page; the kabupaten None
    while the administrator has yet to choose one."""
    kabupaten = access.kabupaten_for(request.user, request.GET.get("wilayah"))
    if kabupaten is None:
        return None, None, None
    filters = CatalogueFilter(request.GET, kabupaten=kabupaten)
    return kabupaten, filters, filters.year()


def _rows(request, kabupaten, filters, year):
    items = access.items_for(request.user).of(kabupaten, year).select_related("agency", "sector")
    return filters.apply(items).order_by("name", "id")


def _choose(request):
    kabupaten = Region.objects.filter(level=Level.KABUPATEN, pk__in=CatalogueItem.objects.values("kabupaten"))
    return render(request, "catalogue/choose.html", {"regions": kabupaten.order_by("code")})


def _query(kabupaten, year) -> str:
    """The address's query naming the kabupaten and year, for the links between the pages."""
    return f"wilayah={kabupaten.code}&tahun={year.year}" if year else f"wilayah={kabupaten.code}"


def _asked_year(request) -> PlanningYear | None:
    """The plan year named by ?tahun=, if there is one."""
    wanted = request.GET.get("tahun", "")
    return PlanningYear.objects.filter(year=wanted).first() if wanted.isdigit() and len(wanted) == 4 else None


def _year(request) -> PlanningYear:
    year = _asked_year(request) or PlanningYear.objects.first()
    if year is None:
        raise Http404
    return year


@login_required
@require_safe
def catalogue_list(request):
    kabupaten, filters, year = _place(request)
    if kabupaten is None:
        return _choose(request)
    page = (
        Paginator(_rows(request, kabupaten, filters, year), PER_PAGE).get_page(request.GET.get("page"))
        if year
        else None
    )
    return render(
        request,
        "catalogue/list.html",
        {"kabupaten": kabupaten, "year": year, "filters": filters, "page": page, "query": _query(kabupaten, year)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request):
    kabupaten = access.kabupaten_for(request.user, request.GET.get("wilayah"))
    if kabupaten is None:
        raise Http404
    year = _year(request)
    form = CatalogueItemForm(request.POST or None, kabupaten=kabupaten, planning_year=year)
    return _save(request, form, kabupaten, year, _("The item “%(name)s” was added to the catalogue."))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = access.get_item_for_user(request.user, pk)
    form = CatalogueItemForm(
        request.POST or None, instance=item, kabupaten=item.kabupaten, planning_year=item.planning_year
    )
    return _save(request, form, item.kabupaten, item.planning_year, _("The item “%(name)s” was saved."))


def _save(request, form, kabupaten, year, done):
    if request.method == "POST" and form.is_valid():
        try:
            item = workflow.save_item(actor=request.user, item=form.save(commit=False))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done % {"name": item.name})
            return redirect(reverse("catalogue:list") + "?" + _query(kabupaten, year))
    return render(
        request,
        "catalogue/form.html",
        {
            "form": form,
            "item": form.instance if form.instance.pk else None,
            "kabupaten": kabupaten,
            "year": year,
            "query": _query(kabupaten, year),
        },
    )


@login_required
@require_POST
def item_active(request, pk):
    """Turn an item off (villages no longer find it; proposals filed with it keep it) or on again."""
    item = access.get_item_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        workflow.set_active(actor=request.user, item=item, active=active)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        message = _("“%(name)s” is active again.") if active else _("“%(name)s” was deactivated.")
        messages.success(request, message % {"name": item.name})
    return redirect(reverse("catalogue:list") + "?" + _query(item.kabupaten, item.planning_year))


@login_required
@require_safe
def catalogue_download(request):
    """The list as filtered, as an XLSX in the layout the import reads."""
    kabupaten, filters, year = _place(request)
    if kabupaten is None or year is None:
        raise Http404
    name = f"kamus-usulan-{kabupaten.code}-{year.year}.xlsx"
    return HttpResponse(
        spreadsheet.workbook(_rows(request, kabupaten, filters, year)),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def catalogue_import(request):
    """New and changed items of one kabupaten and year from a spreadsheet, read by the worker."""
    kabupaten = access.kabupaten_for(request.user, request.GET.get("wilayah"))
    if kabupaten is None:
        raise Http404
    year = _year(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        params = {"kabupaten": kabupaten.pk, "year": year.pk}
        label = _("Catalogue items from %(name)s")
        if sent := send_to_worker(request, form, kind=spreadsheet.KIND, label=label, params=params):
            return sent
    return render(
        request,
        "catalogue/import.html",
        {
            "form": form,
            "kabupaten": kabupaten,
            "year": year,
            "max_rows": spreadsheet.MAX_ROWS,
            "query": _query(kabupaten, year),
        },
    )


@login_required
@require_safe
def catalogue_search(request):
    """The active items of the user's own kabupaten and a plan year whose names hold every typed
    word (case and accents aside), as JSON for the proposal form's type-ahead (static/js/app.js)."""
    kabupaten = access.intake_kabupaten(request.user)
    words = request.GET.get("q", "")[:100]
    if kabupaten is None or not words.strip():
        return JsonResponse({"items": []})
    year = _asked_year(request)
    items = CatalogueItem.objects.of(kabupaten, year).active().matching(words).select_related("agency", "sector")
    return JsonResponse(
        {
            "items": [
                {
                    "id": item.pk,
                    "name": item.name,
                    "unit": item.unit,
                    "unit_price": item.unit_price,
                    "price": format_rupiah(item.unit_price),
                    "agency": str(item.agency),
                    "sector": item.sector.name,
                }
                for item in items[:SEARCH_RESULTS]
            ]
        }
    )
