"""How the berita acara becomes one PDF: the ranked list laid out by a second process, its pages
put in their place, and the page chrome printed over every page (forums/pdf_render.py).

The first tests use small documents of marked pages so that each page's text says where it
came from; the last approves a forum whose ranked list fills several pages.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import threading

import pytest
from pypdf import PdfReader

from forums import pdf_render
from forums import workflow as forums_workflow
from forums.models import Forum, Gender, Outcome
from proposals import workflow
from regions.models import Level

from .factories import ProposalFactory, attend

HEAD = '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Uji</title></head><body>'


def document(*pages: str, anchor_on: str = "") -> str:
    """One HTML document of the given pages, each starting on a page of its own."""
    body = "".join(
        f'<section class="appendix"{' id="sesudah"' if text == anchor_on else ""}><p>{text}</p></section>'
        for text in pages
    )
    return HEAD + body + "</body></html>"


def chrome(pages: int) -> str:
    rows = '<div class="page"></div>' * pages
    return f'{HEAD}<p class="running-header">Kepala halaman uji</p>{rows}</body></html>'


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def render(**kwargs) -> bytes:
    return pdf_render.render_joined(
        document("Utama satu", "Utama dua", "Utama tiga", anchor_on="Utama tiga"),
        document("Panjang satu", "Panjang dua"),
        chrome,
        before="sesudah",
        **kwargs,
    )


@pytest.fixture
def fork_count(monkeypatch):
    """The process ids of the second processes started (each is reaped by then)."""
    started = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return started


@pytest.fixture
def forks(fork_count, monkeypatch):
    """As in a single-threaded gunicorn worker, where the second process is used.

    The browser tests leave pytest-django's live server thread running (idle in select(), it
    holds no lock WeasyPrint needs), which would otherwise keep the rest of the run on the
    one-process path; Python's warning about forking beside it is expected here.
    """
    monkeypatch.setattr(pdf_render, "can_fork", lambda: True)
    return fork_count


pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")


def test_the_long_part_goes_before_the_marked_page_and_every_page_carries_the_chrome(forks):
    texts = page_texts(render())

    starts = [text.split(" Kepala")[0].split(" Halaman")[0] for text in texts]
    assert starts == ["Utama satu", "Utama dua", "Panjang satu", "Panjang dua", "Utama tiga"]
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari 5" in text
        # The running header, like the letterhead rule, skips the first page.
        assert ("Kepala halaman uji" in text) == (number > 1)
    assert len(forks) == 1


def test_the_same_bytes_with_or_without_the_second_process(forks, monkeypatch):
    forked = render()
    assert len(forks) == 1

    monkeypatch.setattr(pdf_render, "can_fork", lambda: False)
    here = render()

    assert len(forks) == 1  # no second process this time
    assert here == forked


def test_without_an_anchor_the_long_part_goes_last():
    data = pdf_render.render_joined(document("Utama"), document("Panjang"), chrome, before="tidak-ada")

    assert [text.split(" ")[0] for text in page_texts(data)] == ["Utama", "Panjang"]


def test_a_failed_second_process_is_replaced_by_rendering_here(forks, monkeypatch, caplog):
    expected = render()
    parent = os.getpid()
    real_layout = pdf_render._layout

    def layout(html, *extra):
        if os.getpid() != parent:
            raise MemoryError("the second process ran out of memory")
        return real_layout(html, *extra)

    monkeypatch.setattr(pdf_render, "_layout", layout)
    with caplog.at_level(logging.WARNING, logger="forums.pdf_render"):
        data = render()

    assert data == expected
    assert len(forks) == 2
    assert "second rendering process failed" in caplog.text


def test_when_no_second_process_can_start_everything_is_rendered_here(forks, monkeypatch, caplog):
    expected = render()

    def fork():
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    with caplog.at_level(logging.WARNING, logger="forums.pdf_render"):
        data = render()

    assert data == expected
    assert "Could not start the minutes' second rendering process" in caplog.text


def test_an_error_here_stops_the_second_process(forks):
    def broken_chrome(pages):
        raise ValueError("template error")

    with pytest.raises(ValueError, match="template error"):
        pdf_render.render_joined(document("Utama"), document("Panjang"), broken_chrome, before="x")

    (pid,) = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_a_process_with_other_threads_renders_everything_itself(fork_count):
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not pdf_render.can_fork()
        texts = page_texts(render())
    finally:
        release.set()
        other.join()

    assert fork_count == []
    assert "Halaman 5 dari 5" in texts[4]


# ---------------------------------------------------------------------------------------------
# A real forum whose ranked list takes several pages
# ---------------------------------------------------------------------------------------------

ITEMS = 70


def elect_delegates(actor, forum):
    attend(actor, forum)
    for name, gender in (("Wagiman", Gender.MALE), ("Siti Aminah", Gender.FEMALE), ("Karto", Gender.MALE)):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender, institution="Warga")


@pytest.fixture
def long_forum(settings, tmp_path, intake, ladder, village_operator, kecamatan_operator):
    settings.MEDIA_ROOT = tmp_path
    village = ladder["18.02.01.2003"]
    for i in range(ITEMS):
        proposal = ProposalFactory(
            village=village,
            created_by=village_operator,
            title=f"Rabat beton jalan lingkungan Dusun {i % 7 + 1} ruas {i + 1:02d}",
            estimated_cost=(i + 1) * 1_000_000,
        )
        workflow.submit_proposal(actor=village_operator, proposal=proposal)
    desa = Forum.objects.get(level=Level.DESA, region=village)
    for decision in desa.decisions.all():
        forums_workflow.decide(actor=village_operator, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=village_operator, forum=desa, held_on=datetime.date(2016, 2, 3), place="Balai Desa", chair_name="Suparman"
    )
    elect_delegates(village_operator, desa)
    forums_workflow.approve_forum(actor=village_operator, forum=desa)

    forum = Forum.objects.get(level=Level.KECAMATAN, region=ladder["18.02.01"])
    for decision in forum.decisions.all():
        forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=kecamatan_operator,
        forum=forum,
        held_on=datetime.date(2016, 8, 9),
        place="Aula Kantor Camat Kalirejo",
        chair_name="Drs. Sutrisno Hadi",
    )
    elect_delegates(kecamatan_operator, forum)
    return forum


def test_a_ranked_list_of_several_pages_sits_between_lampiran_i_and_iii(long_forum, kecamatan_operator, forks):
    document = forums_workflow.approve_forum(actor=kecamatan_operator, forum=long_forum)

    reader = PdfReader(io.BytesIO(document.pdf.read()))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    first_of = {
        name: next(i for i, t in enumerate(texts) if t.startswith(name))
        for name in ("LAMPIRAN I ", "LAMPIRAN II ", "LAMPIRAN III ")
    }
    ranked = range(first_of["LAMPIRAN II "], first_of["LAMPIRAN III "])
    assert first_of["LAMPIRAN I "] < ranked.start
    assert len(ranked) >= 3
    # Every item once, in rank order, on the ranked list's pages and nowhere else.
    titles = [d.proposal.title for d in long_forum.decisions.select_related("proposal").order_by("rank")]
    listed = " ".join(texts[i] for i in ranked)
    positions = [listed.index(title) for title in titles]
    assert positions == sorted(positions)
    assert not any(title in texts[i] for title in titles for i in range(len(texts)) if i not in ranked)
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {len(texts)}" in text
        assert (f"Nomor {document.number}" in text) == (number > 1)
    # The joined file keeps the main part's document information.
    assert reader.metadata.title.startswith("BERITA ACARA KESEPAKATAN HASIL MUSRENBANG KECAMATAN KALIREJO")
    assert reader.metadata.author == "Pemerintah Kabupaten Lampung Tengah"
    assert len(forks) == 1
