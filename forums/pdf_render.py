"""How the berita acara is turned into PDF: WeasyPrint on two processor cores, pages joined by pypdf.

The worker renders the minutes (no request waits for them), and WeasyPrint lays out on one
core: the second core shortens the time until the forum page can link the PDF. Nearly all of a large
forum's document is its ranked list (Lampiran II), so render_joined() lays that part out in
a forked second process while this one lays out the rest, then puts the list's pages in
their place and prints the page chrome (running header, "Halaman i dari n") over every page
from a third, tiny document: neither part knows the other's page count in advance. For 300
items this takes the minutes from about 2.2 s to 1.6 s on a 2-core machine, for 1,000 from
6.4 s to 3.8-4.7 s (scripts/bench_approve.py); the second process's memory comes and goes with it.

The result does not depend on whether the second process was used: without fork (other
platforms, or a multi-threaded server, where forking could copy a lock another thread holds)
or when it fails, the same parts are rendered here one after the other, giving the same bytes.
"""

from __future__ import annotations

import functools
import gc
import io
import logging
import os
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML

logger = logging.getLogger(__name__)

CONTENT_STYLESHEET = "css/berita_acara.css"
PAGES_STYLESHEET = "css/berita_acara_pages.css"
UA_STYLESHEET = "css/berita_acara_ua.css"
_COUNT = struct.Struct("!I")


@functools.cache
def _stylesheet(path: str, mtime: float) -> CSS:
    # Parsed once per file version (and inherited by the forked process): cheap, but approval
    # runs it inside a transaction.
    return CSS(filename=path)


def stylesheet(name: str) -> CSS:
    path = finders.find(name)
    if not path:
        raise ImproperlyConfigured(f"The minutes' stylesheet {name} is missing from the static files.")
    return _stylesheet(path, Path(path).stat().st_mtime)


class _MinutesHTML(HTML):
    """WeasyPrint's HTML with a user-agent stylesheet cut down to the minutes' few elements.

    The full HTML one makes the style cascade about a third slower for a 300-item document
    (its attribute selectors are tried on every element), and approval waits for rendering.
    This overrides a private method of the pinned WeasyPrint: should it be renamed, the full
    stylesheet simply applies again and the document looks the same, only slower.
    """

    def _ua_stylesheets(self, forms=False):
        return [stylesheet(UA_STYLESHEET)]


def _layout(html: str, *extra: str):
    """html laid out in pages (a WeasyPrint Document) with the minutes' stylesheet and `extra`."""
    return _MinutesHTML(string=html).render(stylesheets=[stylesheet(CONTENT_STYLESHEET), *map(stylesheet, extra)])


@contextmanager
def _collector_paused() -> Iterator[None]:
    # WeasyPrint allocates millions of short-lived objects, which set off some hundred garbage
    # collections, each also walking the approval's own live objects: a tenth of the rendering
    # time or more. Its boxes are freed by reference counting; the few cycles wait until after.
    # Measured for 1,000 items: 0.4-0.7 s less, 5 MB more at the peak.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def can_fork() -> bool:
    """Whether a second process may render: fork copies only the calling thread, so with other
    threads alive (a threaded development server) a lock one of them holds in fontconfig or
    Pango could stay locked forever in the copy."""
    return hasattr(os, "fork") and threading.active_count() == 1


class _Part:
    """One part of the document, laid out in a forked process if possible, else here on demand."""

    def __init__(self, html: str):
        self.html = html
        self.document = None  # laid out here
        self.pid = self.stream = None  # or by a second process
        if can_fork():
            self._fork()

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: this process renders the part itself
            logger.warning("Could not start the minutes' second rendering process.", exc_info=True)
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the second process: lay out, say how many pages, then send the PDF
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    document = _layout(self.html)
                    out.write(_COUNT.pack(len(document.pages)))
                    out.flush()
                    out.write(document.write_pdf())
                status = 0
            except Exception:
                logger.exception("The minutes' second rendering process failed.")
            finally:
                # No cleanup in this copy of the parent: its database connection, files and
                # exit handlers are the parent's.
                os._exit(status)
        os.close(write_end)
        self.pid, self.stream = pid, os.fdopen(read_end, "rb")

    def page_count(self) -> int:
        """Waits for the second process's layout (not for its PDF) when there is one."""
        if self.stream is not None:
            header = self.stream.read(_COUNT.size)
            if len(header) == _COUNT.size:
                return _COUNT.unpack(header)[0]
            self._reap()
        return len(self._here().pages)

    def pdf(self) -> bytes:
        if self.stream is not None:
            data = self.stream.read()
            if self._reap() and data:
                return data
        return self._here().write_pdf()

    def _here(self):
        if self.document is None:
            self.document = _layout(self.html)
        return self.document

    def _reap(self, *, kill: bool = False) -> bool:
        """Closes the pipe and waits for the second process (stopped first with `kill`, after an
        error here); True if it succeeded. Leaves no zombie behind."""
        if self.stream is None:
            return False
        if kill:
            os.kill(self.pid, signal.SIGKILL)
        self.stream.close()
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = self.stream = None
        if os.waitstatus_to_exitcode(status) == 0:
            return True
        if not kill:
            logger.warning("The minutes' second rendering process failed; rendering its part here instead.")
        return False


def render_joined(main_html: str, long_html: str, pages_html: Callable[[int], str], *, before: str) -> bytes:
    """One PDF: main_html's pages with long_html's inserted before the page that holds the
    element with id `before` (at the end without one), and pages_html(n), a document of n
    empty pages carrying only the page chrome, printed over all n pages.

    The parts are rendered without page chrome; each must start on a page of its own.
    """
    with _collector_paused():
        long_part = _Part(long_html)
        try:
            main = _layout(main_html)
            at = next((i for i, page in enumerate(main.pages) if before in page.anchors), len(main.pages))
            main_pdf = main.write_pdf()
            count = len(main.pages) + long_part.page_count()
            chrome = _layout(pages_html(count), PAGES_STYLESHEET).write_pdf()
            long_pdf = long_part.pdf()
        finally:
            long_part._reap(kill=True)  # a no-op unless this process failed first
        return _join(main_pdf, long_pdf, chrome, at)


def _join(main_pdf: bytes, long_pdf: bytes, chrome_pdf: bytes, at: int) -> bytes:
    # Cloning the main part keeps its document information (title, author, date), language
    # and bookmarks. pypdf writes the same bytes for the same input.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main_pdf)))
    for offset, page in enumerate(PdfReader(io.BytesIO(long_pdf)).pages):
        writer.insert_page(page, at + offset)
    for page, overlay in zip(writer.pages, PdfReader(io.BytesIO(chrome_pdf)).pages, strict=True):
        page.merge_page(overlay)
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
