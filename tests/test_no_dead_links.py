"""No page links to a page its reader cannot open: each persona walks the site from its home page,
following every link it is shown (a breadth-first crawl, a bounded number of pages), and each link
must answer, not 403 or 404. The village dashboard once linked each kecamatan in its ceiling table
to a page the village may not see (issue 14)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from forums.models import Ceiling

from .factories import reader_of
from .test_public import media, walk  # noqa: F401  (fixtures: a year walked up to an approved kecamatan forum)

PERSONAS = ["anonymous", "village", "district", "kabupaten", "agency", "dprd", "setwan"]

# Followed no further: leaving the session, switching language, the admin's own pages, and
# downloads (each answers with a file; the pages that list them are crawled).
SKIP = re.compile(r"^/(keluar|i18n|admin)/|\.(pdf|xlsx|csv|json|png|jpg|svg|ico)$|/(unduh|pindaian|lampiran)/")
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')
MAX_PAGES = 120
MAX_PER_PATH = 3  # a list's sort and page links vary the query string without end


def crawl(client: Client, start: str, pages: dict[str, str] | None = None) -> dict[str, list[str]]:
    """{broken url: [pages linking to it]} for every link found from `start`; `pages`, when
    given, collects every HTML page read ({url: html}) for the validity checks."""
    seen_paths: dict[str, int] = {}
    queue, visited, broken = deque([(start, "(start)")]), set(), {}
    while queue and len(visited) < MAX_PAGES:
        url, referrer = queue.popleft()
        if url in visited:
            continue
        path = urlsplit(url).path
        if seen_paths.get(path, 0) >= MAX_PER_PATH:
            continue
        visited.add(url)
        seen_paths[path] = seen_paths.get(path, 0) + 1
        response = client.get(url, follow=True)
        if response.status_code in (403, 404):
            broken.setdefault(url, []).append(referrer)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if pages is not None:
            pages[url] = html
        for href in HREF.findall(html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith("/") and not href.startswith("//") and not SKIP.search(urlsplit(href).path):
                queue.append((href, url))
    return broken


def reader(walk, persona: str) -> Client:  # noqa: F811
    """A client as one persona of the walked year (tests/factories.py reader_of). The kecamatan's
    ceiling shows on the village's dashboard too: the link that once led nowhere."""
    Ceiling.objects.create(
        region=walk.kecamatan.region, planning_year=walk.kecamatan.planning_year, amount=2_000_000_000
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if persona != "anonymous":
        client.force_login(reader_of(persona, walk))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_link_leads_a_reader_to_a_page_they_cannot_open(walk, persona):  # noqa: F811
    broken = crawl(reader(walk, persona), "/")

    assert broken == {}


def test_the_crawl_finds_a_link_to_a_page_out_of_scope():
    """The walk above can fail: a page linking out of the reader's scope is reported."""
    client = Client()
    pages = {"/": '<a href="/usulan/999999/">x</a>'}

    class Page:
        def __init__(self, url):
            self.status_code = 200 if url in pages else 404
            self.content = pages.get(url, "").encode()

        def get(self, name, default=None):
            return "text/html"

    client.get = lambda url, follow=True: Page(url)
    assert crawl(client, "/") == {"/usulan/999999/": ["/"]}
