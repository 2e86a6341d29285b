"""Every kind of page passes axe-core (WCAG 2.1 A and AA rules) in a real Chromium, on a phone
and on a desktop, with no serious or critical violation, and none is wider than the screen:
public pages, a village's, a kecamatan's, a kabupaten Bappeda's and an agency's (issue 14).
axe-core comes with axe-playwright-python."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import Role
from forums.models import Forum
from proposals.models import Proposal
from regions.models import Level

from .browser import browser, log_in  # noqa: F401  (browser is a fixture)
from .factories import UserFactory, reader_of
from .test_catalogue import add_item
from .test_public import media, walk  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


def serious(page) -> list[str]:
    results = Axe().run(page, options=RULES)
    return [
        f"{page.url} [{violation['id']}] {violation['help']}: {node['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def check(browser, live_server, paths, size, username=None) -> list[str]:  # noqa: F811
    context = browser.new_context(viewport=SIZES[size], locale="id", base_url=live_server.url)
    page = context.new_page()
    if username:
        log_in(page, username)
    found = []
    for path in paths:
        response = page.goto(path)
        # A page that is not there passes axe without proving anything (a 400 is a form's answer).
        if response.status in (403, 404) or response.status >= 500:
            found.append(f"{path}: HTTP {response.status}")
        found += serious(page)
        # On a phone no page scrolls sideways: only a wide table scrolls, inside its own box.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SIZES[size]["width"]:
            found.append(f"{path}: {width} px wide on a {SIZES[size]['width']} px screen")
    context.close()
    return found


@pytest.mark.parametrize("size", SIZES)
def test_the_public_pages_have_no_serious_violation(browser, live_server, walk, size):  # noqa: F811
    year = walk.kecamatan.planning_year.year
    paths = [
        "/",
        "/daftar-usulan/",
        "/daftar-usulan/?wilayah=99",
        f"/lacak/{walk.proposal.tracking_code}/",
        "/hasil/",
        f"/hasil/{walk.kecamatan.region.code}/{year}/",
        "/statistik/",
        "/verifikasi/",
        "/verifikasi/rantai/",
        "/data-terbuka/",
        "/masuk/",
    ]
    assert check(browser, live_server, paths, size) == []


@pytest.mark.parametrize("size", SIZES)
def test_the_officers_pages_have_no_serious_violation(browser, live_server, walk, size):  # noqa: F811
    village_paths = ["/usulan/", "/usulan/baru/", f"/usulan/{walk.proposal.pk}/", "/dasbor/", "/musyawarah/"]
    kecamatan = Forum.objects.get(level=Level.KECAMATAN, region=walk.kecamatan.region)
    district_paths = [
        f"/musyawarah/{kecamatan.pk}/",
        f"/musyawarah/{kecamatan.pk}/peringkat/",
        f"/musyawarah/{kecamatan.pk}/hadir/",
        "/dasbor/",
        "/kotak-masuk/",
    ]
    found = check(browser, live_server, village_paths, size, walk.village_officer.username)
    found += check(browser, live_server, district_paths, size, walk.district_officer.username)
    assert found == []


@pytest.mark.parametrize("size", SIZES)
def test_the_kabupaten_and_agency_pages_have_no_serious_violation(browser, live_server, walk, size):  # noqa: F811
    kabupaten = walk.kecamatan.region.parent
    bappeda = UserFactory(role=Role.BAPPEDA_KABUPATEN, region=kabupaten)
    agency = walk.proposal.target_agency
    officer = UserFactory(role=Role.AGENCY_OFFICER, agency=agency, region=agency.region)
    fpd = Forum.objects.filter(planning_year=walk.kecamatan.planning_year, agency=agency).first()
    bappeda_paths = [
        "/usulan/",
        "/musyawarah/musim/",
        "/musyawarah/prioritas/",
        "/musyawarah/pagu/",
        "/dasbor/",
        "/dasbor/sasaran/",
        "/realisasi/",
        "/akun/",
    ]
    agency_paths = ["/usulan/", "/dasbor/", "/realisasi/", f"/usulan/{walk.proposal.pk}/"]
    if fpd is not None:
        agency_paths += [f"/musyawarah/{fpd.pk}/", f"/musyawarah/{fpd.pk}/hadir/"]
    found = check(browser, live_server, bappeda_paths, size, bappeda.username)
    found += check(browser, live_server, agency_paths, size, officer.username)
    assert found == []


@pytest.mark.parametrize("size", SIZES)
def test_the_catalogue_sipd_and_pokir_pages_have_no_serious_violation(browser, live_server, walk, size):  # noqa: F811
    kabupaten = walk.kecamatan.region.parent
    bappeda = UserFactory(role=Role.BAPPEDA_KABUPATEN, region=kabupaten)
    item = add_item(kabupaten, walk.kecamatan.planning_year, walk.proposal.target_agency)
    member = reader_of("dprd", walk)  # with one pokok-pikiran waiting for the Setwan
    pokir = Proposal.objects.get(channel="pokir")
    bappeda_paths = ["/kamus/", "/kamus/tambah/", f"/kamus/{item.pk}/", "/kamus/impor/", "/usulan/sipd/"]
    member_paths = ["/pokir/", "/pokir/baru/", f"/pokir/{pokir.pk}/"]
    setwan_paths = ["/pokir/", f"/pokir/{pokir.pk}/"]

    found = check(browser, live_server, bappeda_paths, size, bappeda.username)
    # The intake form with the catalogue's search and drop-down.
    found += check(browser, live_server, ["/usulan/baru/"], size, walk.village_officer.username)
    found += check(browser, live_server, member_paths, size, member.username)
    found += check(browser, live_server, setwan_paths, size, "setwan.crawl")
    assert found == []
