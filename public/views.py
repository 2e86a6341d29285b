"""Pages for everyone, no login: the home page, tracking a proposal, the results of approved
forums, downloading and verifying their berita acara.

Every view reads through public/queries.py (tracking a proposal: public/tracking.py), which hands
the templates plain dataclasses with only the public fields; nothing here reaches a model's
private fields.
"""

import csv
import itertools
import json
from dataclasses import asdict

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forums.chain import utc_text
from musrenbang.files import served
from planning.models import PlanningYear
from proposals import geo, paging
from regions.models import Region

from . import queries, records, tracking
from .follow_pages import FollowForm
from .forms import RecordForm, ResultsForm, TrackForm, VerifyForm

ITEMS_PER_PAGE = 100


@require_safe
def home(request):
    """The public home page; officers go straight to their work."""
    if request.user.is_authenticated:
        return redirect("proposals:list")
    return render(request, "public/home.html", {"form": TrackForm()})


# --- tracking -------------------------------------------------------------------------------


def _not_found(request, form):
    """The form again, with the code as typed and a friendly message: 404, as for any unknown page."""
    message = _("No submitted proposal has this tracking code. Check the code on the village's receipt and try again.")
    return render(request, "public/track.html", {"form": form, "not_found": message}, status=404)


@require_safe
def track(request):
    if "code" not in request.GET:
        return render(request, "public/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        if form.has_error("code", "format"):
            return _not_found(request, form)
        return render(request, "public/track.html", {"form": form})
    code = form.cleaned_data["code"]
    if tracking.tracked_proposal(code) is None:
        return _not_found(request, form)
    return redirect("public:track_detail", code=code)


@require_safe
def track_detail(request, code):
    proposal = tracking.tracked_proposal(code)
    if proposal is None:
        return _not_found(request, TrackForm(initial={"code": code}))
    return render(request, "public/proposal.html", {"proposal": proposal, "follow_form": FollowForm()})


# --- results --------------------------------------------------------------------------------


@require_safe
def results(request):
    """Choose a year and a province; the provinces with approved forums that year are listed."""
    wanted = request.GET.get("year", "")
    year = (PlanningYear.objects.filter(year=wanted).first() if wanted.isdigit() else None) or (
        PlanningYear.objects.first()  # the latest
    )
    if request.GET.get("province"):
        form = ResultsForm(request.GET)
        if form.is_valid():
            return redirect(
                "public:region", code=form.cleaned_data["province"].code, year=form.cleaned_data["year"].year
            )
    else:
        form = ResultsForm(initial={"year": year})
    provinces = queries.child_regions(year, None) if year else []
    return render(request, "public/results.html", {"form": form, "year": year, "provinces": provinces})


@require_safe
def region_results(request, code, year):
    region = get_object_or_404(Region, code=code)
    planning_year = get_object_or_404(PlanningYear, year=year)
    results = queries.region_results(region, planning_year)
    # A kabupaten forum may agree a thousand items: each forum's list is paged on its own
    # (?hal1=, ?hal2=, ...), 100 items a page, so that the page stays under 100 KB.
    forums = [
        (forum, paging.paged(request, forum.items, ITEMS_PER_PAGE, f"hal{n}"), f"hal{n}")
        for n, forum in enumerate(results.forums, 1)
    ]
    whole = queries.items_in_full([placed for _forum, page, _field in forums for placed in page.object_list])
    for _forum, page, _field in forums:
        page.object_list = [whole[placed.pk] for placed in page.object_list if placed.pk in whole]
    return render(request, "public/region.html", {"results": results, "forums": forums})


@require_safe
def region_points(request, code, year):
    """The results page's map: the agreed items of the region's approved forums as points."""
    region = get_object_or_404(Region, code=code)
    planning_year = get_object_or_404(PlanningYear, year=year)
    rows = queries.agreed_proposals(region, planning_year)
    return geo.response(geo.collection(rows, records.point_properties, records.POINT_FIELDS))


@require_safe
def document(request, code):
    """An issued berita acara, as stored: the bytes its SHA-256 and QR code vouch for."""
    minutes = queries.issued_file(code)
    # A kept file that no longer matches its SHA-256 is not served as the issued document; the
    # verification page says so.
    if minutes is None or not minutes.file_intact():
        raise Http404
    return served(minutes.pdf, content_type="application/pdf", as_attachment=False, filename=minutes.download_name)


@require_safe
def photo(request, code, pk):
    """A photo of a submitted proposal whose village chose to show its photos (re-encoded on
    upload, without the phone's location data); anything else is a 404."""
    photo = tracking.public_photo(code, pk)
    if photo is None:
        raise Http404
    return served(photo.file, content_type=photo.content_type)


@require_safe
def document_scan(request, code):
    """The berita acara as signed and stamped on paper, kept beside the issued PDF."""
    scan = queries.issued_scan(code)
    if scan is None:
        raise Http404
    return served(scan.file, content_type=scan.content_type, filename=scan.original_name)


# --- verification ---------------------------------------------------------------------------


def _check(request):
    """The bound upload form, and what the uploaded file turned out to be (None before a valid upload)."""
    if request.method != "POST":
        return VerifyForm(), None, False
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None, False
    return VerifyForm(), queries.verified_document(sha256=queries.sha256_of(form.cleaned_data["file"])), True


@require_http_methods(["GET", "POST"])
def verify(request, code):
    """One document's verification page: what it is, whether a revision replaced it, and an upload
    to check a file against it (or against any other issued document)."""
    document = queries.verified_document(verify_code=code)
    if document is None:
        raise Http404
    form, match, checked = _check(request)
    return render(
        request,
        "public/verify.html",
        {"document": document, "form": form, "match": match, "checked": checked},
    )


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    form, match, checked = _check(request)
    return render(request, "public/verify_upload.html", {"form": form, "match": match, "checked": checked})


CHAIN_PER_PAGE = 100


@require_safe
def chain(request):
    """The public chain of sealed berita acara, newest link first: what a printed copy's link is
    checked against, and what anyone may archive (the CSV) to hold the chain to it later."""
    page = paging.page_of(Paginator(queries.chain_links(), CHAIN_PER_PAGE), paging.page_number(request))
    links = [queries.chain_link(entry) for entry in page.object_list]
    return render(request, "public/chain.html", {"page": page, "links": links})


class _Echo:
    """What csv.writer writes to: each line comes back, to be streamed."""

    def write(self, value):
        return value


def _csv_stream(header, rows, filename: str) -> StreamingHttpResponse:
    """A CSV download written as it is read: a header line, then one line per row."""
    writer = csv.writer(_Echo())
    lines = itertools.chain([writer.writerow(header)], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def chain_csv(request):
    """The whole chain, oldest link first, streamed: one row a link, every field of its digest."""
    links = queries.chain_links().order_by("seq").iterator(chunk_size=2000)
    return _csv_stream(
        ["seq", "number", "document_sha256", "sealed_at_utc", "previous", "digest", "anchor"],
        ([e.seq, e.number, e.document_sha256, utc_text(e.sealed_at), e.previous, e.digest, e.anchor] for e in links),
        "rantai-berita-acara.csv",
    )


# --- the open record and its data -------------------------------------------------------------


@require_safe
def record(request):
    """Every submitted proposal of a year, by region, searchable; each row leads to its tracking page."""
    form = RecordForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "public/records.html", {"form": form, "page": None}, status=400)
    cleaned = form.cleaned_data if form.is_bound else {}
    year = cleaned.get("tahun") or records.latest_year()
    region, text = form.selected, cleaned.get("q", "")
    page = None
    if year is not None:
        rows = records.records(year, region, text)
        page = records.page_of(request, rows, count=records.counted(region))
    return render(
        request,
        "public/records.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "region": region,
            "text": text,
            "downloadable": year is not None and records.downloadable(region),
        },
    )


@require_safe
def record_points(request):
    """The open record's map: its rows (the same year, region and words) as points, for a
    kabupaten/kota or smaller, as its downloads are (proposals/geo.py bounds the rest)."""
    form = RecordForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = cleaned.get("tahun") or records.latest_year()
    if year is None or not records.downloadable(form.selected):
        return geo.response(geo.empty(_("Choose a regency or a smaller region to see the map.")))
    rows = records.records(year, form.selected, cleaned.get("q", ""))
    return geo.response(geo.collection(rows, records.point_properties, records.POINT_FIELDS))


@require_safe
def open_data(request):
    """What the open data holds, field by field, and where to find each file."""
    return render(request, "public/open_data.html", {"list_url": reverse("public:record")})


@require_safe
def open_data_file(request, code, year, extension):
    region = get_object_or_404(Region, code=code)
    planning_year = get_object_or_404(PlanningYear, year=year)
    if not records.downloadable(region):
        raise Http404
    rows = records.open_data_rows(planning_year, region)
    filename = records.file_name(region, planning_year, extension)
    if extension == "csv":
        values = (["" if value is None else value for value in asdict(row).values()] for row in rows)
        return _csv_stream(records.HEADER, values, filename)
    if extension == "geojson":
        response = StreamingHttpResponse(records.open_data_features(rows), content_type=geo.CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(_json_lines(region, planning_year, rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_lines(region, planning_year, rows):
    """One JSON document, written as it is read: the region and year, then the rows."""
    head = {"region_code": region.code, "region": region.display_name, "plan_year": planning_year.year}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(asdict(row), ensure_ascii=False)
    yield "\n]}\n"
