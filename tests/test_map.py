"""The map's points (proposals/geo.py): an officer's map holds what their list holds, filtered the
same way; the public map and the open data's GeoJSON hold only public fields; proposals without
coordinates are counted, not hidden; a map holds at most MAX_POINTS points and says how many were
left out; the queries do not grow with the rows; the tile server is a setting the CSP follows
(issue 15)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.csp import CSP

from forums.models import Decision, Forum
from musrenbang.tiles import tile_origin
from proposals import geo
from proposals.models import Status
from regions.models import Level

from .factories import ProposalFactory
from .test_deploy import settings_for
from .test_public import COORDINATE_TEXTS, PRIVATE, media, walk  # noqa: F401  (fixtures)

POINTS = "/usulan/peta.geojson"
PUBLIC_POINTS = "/daftar-usulan/peta.geojson"


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def placed(village, title, lat="-4.912345", lon="105.123456", **fields):
    return ProposalFactory(
        village=village, title=title, latitude=Decimal(lat), longitude=Decimal(lon), submitted=True, **fields
    )


@pytest.fixture
def spread(ladder, intake):
    """Two placed proposals in Kalirejo (one village each), one in Bangun Rejo, one unplaced, one draft."""
    return {
        "kalirejo": placed(ladder["18.02.01.2003"], "Rabat beton Kalirejo", "-4.90", "105.10"),
        "sri": placed(ladder["18.02.01.2001"], "Sumur bor Sri Way Langsep", "-4.80", "105.20"),
        "bangun": placed(ladder["18.02.02.2001"], "Embung Purwodadi", "-4.70", "105.30"),
        "unplaced": ProposalFactory(village=ladder["18.02.01.2003"], title="Lampu jalan tanpa titik", submitted=True),
        "draft": ProposalFactory(
            village=ladder["18.02.01.2003"],
            title="Draf Kalirejo",
            latitude=Decimal("-4.95"),
            longitude=Decimal("105.05"),
        ),
    }


def titles(collection) -> list[str]:
    return sorted(feature["properties"]["title"] for feature in collection["features"])


# --- an officer's map -----------------------------------------------------------------------


def test_a_bappeda_map_holds_its_lists_placed_proposals_and_counts_the_unplaced(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    response = english.get(POINTS)

    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert titles(collection) == ["Embung Purwodadi", "Rabat beton Kalirejo", "Sumur bor Sri Way Langsep"]
    assert (collection["without_coordinates"], collection["left_out"]) == (1, 0)
    assert collection["note"] == "1 proposal has no coordinates and is not on the map."
    ours = spread["kalirejo"]
    feature = next(f for f in collection["features"] if f["properties"]["title"] == ours.title)
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.1, -4.9]}
    assert feature["properties"] == {
        "code": ours.tracking_code,
        "title": "Rabat beton Kalirejo",
        "status": "submitted",
        "status_label": "Submitted",
        "village": "Kalirejo",
        "kecamatan": "Kalirejo",
        "url": f"/usulan/{ours.pk}/",
    }
    # Two kecamatan on the map: their names label it, each at the mean of its points.
    assert collection["labels"] == [
        {"name": "Bangun Rejo", "lat": -4.7, "lon": 105.3},
        {"name": "Kalirejo", "lat": -4.85, "lon": 105.15},
    ]


def test_the_map_follows_the_lists_filters(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    collection = english.get(POINTS, {"wilayah": "18.02.01", "q": "sumur"}).json()

    assert titles(collection) == ["Sumur bor Sri Way Langsep"]
    assert collection["without_coordinates"] == 0
    assert collection["labels"] == [{"name": "Sri Way Langsep", "lat": -4.8, "lon": 105.2}]


def test_a_village_operator_maps_only_its_own_village_drafts_included(english, village_operator, spread):
    english.force_login(village_operator)

    collection = english.get(POINTS).json()

    assert titles(collection) == ["Draf Kalirejo", "Rabat beton Kalirejo"]
    assert collection["without_coordinates"] == 1


def test_an_officer_of_another_kecamatan_maps_none_of_them(english, other_kecamatan_operator, spread):
    english.force_login(other_kecamatan_operator)

    collection = english.get(POINTS).json()

    assert titles(collection) == ["Embung Purwodadi"]
    assert collection["without_coordinates"] == 0


def test_the_map_needs_a_login(client, spread):
    response = client.get(POINTS)

    assert (response.status_code, response["Location"]) == (302, f"/masuk/?next={POINTS}")


def test_a_province_is_not_mapped_on_a_request(english, bappeda_provinsi, spread):
    english.force_login(bappeda_provinsi)

    collection = english.get(POINTS).json()

    assert collection["features"] == []
    assert collection["note"] == "Choose a regency or a smaller region to see the map."
    assert titles(english.get(POINTS, {"wilayah": "18.02"}).json()) == [
        "Embung Purwodadi",
        "Rabat beton Kalirejo",
        "Sumur bor Sri Way Langsep",
    ]


def test_the_map_holds_at_most_max_points_and_says_how_many_were_left_out(
    english, bappeda_kabupaten, spread, monkeypatch
):
    monkeypatch.setattr(geo, "MAX_POINTS", 2)
    english.force_login(bappeda_kabupaten)

    collection = english.get(POINTS).json()

    # The list's own order, newest first.
    assert [f["properties"]["title"] for f in collection["features"]] == [
        "Embung Purwodadi",
        "Sumur bor Sri Way Langsep",
    ]
    assert (collection["without_coordinates"], collection["left_out"]) == (1, 1)
    assert collection["note"] == (
        "1 proposal has no coordinates and is not on the map. The map shows the first 2 points; "
        "1 more are left out: narrow the filters to see them."
    )


def test_the_maps_queries_do_not_grow_with_its_points(english, bappeda_kabupaten, ladder, intake):
    english.force_login(bappeda_kabupaten)
    village = ladder["18.02.01.2003"]
    for n in range(3):
        placed(village, f"Titik {n}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert english.get(POINTS).status_code == 200
        return len(captured)

    few = queries()
    for n in range(3, 30):
        placed(village, f"Titik {n}", lon=f"105.{n:02d}")
    assert queries() == few
    assert len(english.get(POINTS).json()["features"]) == 30


def test_the_list_shows_its_map_and_geojson_with_its_filters(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    page = english.get("/usulan/", {"wilayah": "18.02.01", "page": "1"}).content.decode()

    assert 'data-points="/usulan/peta.geojson?wilayah=18.02.01"' in page
    assert 'aria-label="Map of the proposals in this list"' in page
    assert '<a href="/usulan/peta.geojson?wilayah=18.02.01" download="usulan.geojson">GeoJSON</a>' in page
    assert "/static/vendor/leaflet/leaflet.js" in page


def test_a_province_wide_list_has_no_map(english, bappeda_provinsi, spread):
    english.force_login(bappeda_provinsi)

    page = english.get("/usulan/").content.decode()

    assert "data-points" not in page
    assert "leaflet.js" not in page


def test_the_detail_page_maps_a_placed_proposal_and_says_when_there_is_no_point(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    placed_page = english.get(spread["kalirejo"].get_absolute_url()).content.decode()
    unplaced_page = english.get(spread["unplaced"].get_absolute_url()).content.decode()

    assert 'data-lat="-4.900000" data-lon="105.100000"' in placed_page
    assert "data-lat" not in unplaced_page
    assert "No coordinates were given for this proposal, so it is not on the maps." in unplaced_page


def test_the_list_downloads_carry_the_coordinates(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    text = english.get("/usulan/", {"_export": "csv"}).content.decode()

    rows = {row["Title"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["Rabat beton Kalirejo"]["Latitude"], rows["Rabat beton Kalirejo"]["Longitude"]) == ("-4.9", "105.1")
    assert (rows["Lampu jalan tanpa titik"]["Latitude"], rows["Lampu jalan tanpa titik"]["Longitude"]) == ("", "")


# --- a forum's map --------------------------------------------------------------------------


@pytest.fixture
def forum(spread, intake, ladder):
    forum = Forum.objects.create(planning_year=intake.planning_year, level=Level.KECAMATAN, region=ladder["18.02.01"])
    for rank, key in enumerate(("sri", "kalirejo", "unplaced"), start=1):
        Decision.objects.create(forum=forum, proposal=spread[key], rank=rank)
    return forum


def test_a_forums_map_holds_its_items_in_rank_order(english, kecamatan_operator, forum):
    english.force_login(kecamatan_operator)

    collection = english.get(f"/musyawarah/{forum.pk}/peringkat/peta.geojson").json()
    page = english.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()

    assert [f["properties"]["title"] for f in collection["features"]] == [
        "Sumur bor Sri Way Langsep",
        "Rabat beton Kalirejo",
    ]
    assert collection["without_coordinates"] == 1
    assert f'data-points="/musyawarah/{forum.pk}/peringkat/peta.geojson"' in page


def test_a_forums_map_is_not_found_outside_it(english, other_kecamatan_operator, forum):
    english.force_login(other_kecamatan_operator)

    assert english.get(f"/musyawarah/{forum.pk}/peringkat/peta.geojson").status_code == 404


# --- the public map and the open data -------------------------------------------------------


def test_the_public_map_holds_public_fields_only_and_no_drafts(english, spread, intake):
    collection = english.get(PUBLIC_POINTS, {"wilayah": "18.02.01", "tahun": intake.planning_year.year}).json()

    assert titles(collection) == ["Rabat beton Kalirejo", "Sumur bor Sri Way Langsep"]
    assert collection["without_coordinates"] == 1
    ours = spread["kalirejo"]
    feature = next(f for f in collection["features"] if f["properties"]["title"] == ours.title)
    assert feature["properties"] == {
        "tracking_code": ours.tracking_code,
        "title": "Rabat beton Kalirejo",
        "status": "submitted",
        "status_label": "Submitted",
        "village": "Desa Kalirejo",
        "kecamatan": "Kecamatan Kalirejo",
        "sector": ours.sector.name,
        "tracking_url": f"/lacak/{ours.tracking_code}/",
    }


def test_the_public_map_and_geojson_carry_no_personal_data(client, walk):  # noqa: F811
    year = walk.proposal.planning_year.year
    points = client.get(PUBLIC_POINTS, {"wilayah": "18.02", "tahun": year}).content.decode()
    download = client.get(f"/data-terbuka/18.02/{year}.geojson")
    text = b"".join(download.streaming_content).decode()

    # The point the village placed the work at is public; whoever proposed it is not.
    assert any(coordinate in points for coordinate in COORDINATE_TEXTS)
    for value in PRIVATE.values():
        assert value not in points, value
        assert value not in text, value
    assert download["Content-Type"] == "application/geo+json"
    document = json.loads(text)
    assert [f["geometry"]["coordinates"] for f in document["features"]] == [[105.876543, -5.987654]]
    assert document["features"][0]["properties"]["tracking_code"] == walk.proposal.tracking_code
    assert "latitude" not in document["features"][0]["properties"]
    assert document["without_coordinates"] == 3


@pytest.mark.parametrize("wilayah", ["", "18"])
def test_the_public_map_of_a_province_or_the_nation_is_empty(client, spread, intake, wilayah):
    collection = client.get(PUBLIC_POINTS, {"wilayah": wilayah, "tahun": intake.planning_year.year}).json()

    assert collection["features"] == []


def test_the_public_list_shows_its_map_for_a_kabupaten_and_not_above(client, spread, intake):
    year = intake.planning_year.year
    kabupaten = client.get("/daftar-usulan/", {"wilayah": "18.02", "tahun": year}).content.decode()
    province = client.get("/daftar-usulan/", {"wilayah": "18", "tahun": year}).content.decode()

    assert f'data-points="/daftar-usulan/peta.geojson?wilayah=18.02&amp;tahun={year}"' in kabupaten
    assert "data-points" not in province


def test_the_dashboards_of_a_kabupaten_show_its_map(english, bappeda_kabupaten, spread, intake):
    english.force_login(bappeda_kabupaten)
    year = intake.planning_year

    staff = english.get("/dasbor/").content.decode()
    public = english.get("/statistik/18.02/").content.decode()

    assert f'data-points="/usulan/peta.geojson?planning_year={year.pk}"' in staff
    assert f'data-points="/daftar-usulan/peta.geojson?tahun={year.year}&amp;wilayah=18.02"' in public


# --- the tile server ------------------------------------------------------------------------


def test_without_a_tile_server_the_csp_allows_only_this_sites_images():
    assert settings.MAP_TILE_URL == ""
    assert settings.SECURE_CSP["img-src"] == [CSP.SELF, "data:"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tiles.example.go.id/{z}/{x}/{y}.png", "https://tiles.example.go.id"),
        ("https://{s}.tiles.example/{z}/{x}/{y}.png", "https://*.tiles.example"),
        ("/peta/{z}/{x}/{y}.png", None),
    ],
)
def test_a_tile_servers_origin_is_what_the_csp_adds(url, origin):
    assert tile_origin(url) == origin


def test_a_tile_server_adds_its_origin_to_the_csp_images(monkeypatch):
    produced = settings_for(monkeypatch, MAP_TILE_URL="https://{s}.tiles.example.go.id/{z}/{x}/{y}.png")

    assert produced["SECURE_CSP"]["img-src"] == [CSP.SELF, "data:", "https://*.tiles.example.go.id"]
    assert produced["SECURE_CSP"]["connect-src"] == [CSP.SELF]


@pytest.mark.parametrize(
    "url", ["https://tiles.example/peta.png", "ftp://tiles.example/{z}/{x}/{y}", "//x/{z}/{x}/{y}"]
)
def test_a_tile_address_without_its_parts_stops_start_up(url):
    with pytest.raises(ImproperlyConfigured):
        tile_origin(url)


def test_the_map_names_its_tile_server_when_one_is_set(english, bappeda_kabupaten, spread, settings):
    settings.MAP_TILE_URL = "https://tiles.example.go.id/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© kontributor OpenStreetMap"
    english.force_login(bappeda_kabupaten)

    page = english.get("/usulan/").content.decode()

    assert (
        'data-tiles="https://tiles.example.go.id/{z}/{x}/{y}.png" data-attribution="© kontributor OpenStreetMap"'
        in page
    )


def test_a_draft_is_not_counted_on_the_public_map(client, spread, intake):
    collection = client.get(PUBLIC_POINTS, {"wilayah": "18.02.01.2003", "tahun": intake.planning_year.year}).json()

    assert titles(collection) == ["Rabat beton Kalirejo"]
    assert collection["without_coordinates"] == 1
    assert Status.DRAFT not in {f["properties"]["status"] for f in collection["features"]}


def test_the_results_page_maps_the_items_its_forums_agreed(client, walk):  # noqa: F811
    year = walk.proposal.planning_year.year
    page = client.get(f"/hasil/18.02.01/{year}/").content.decode()
    collection = client.get(f"/hasil/18.02.01/{year}/peta.geojson").json()

    assert f'data-points="/hasil/18.02.01/{year}/peta.geojson"' in page
    # Only the placed proposal was agreed with a point; the other agreed item has none, and the
    # street lamps the kecamatan did not agree are not on the map at all.
    assert [f["properties"]["tracking_code"] for f in collection["features"]] == [walk.proposal.tracking_code]
    assert collection["without_coordinates"] == 1
    for value in PRIVATE.values():
        assert value not in json.dumps(collection), value


def test_a_results_page_without_approved_forums_has_no_map(client, spread, intake):
    page = client.get(f"/hasil/18.02.01/{intake.planning_year.year}/").content.decode()

    assert "data-points" not in page
