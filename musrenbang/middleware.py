"""The project's own middleware: pages compressed on the wire, and the read-only pages' reads
sent to a streaming replica when there is one.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django_tables2.export import ExportMixin

from .routers import reading_from_replica

TEXT_TYPES = ("text/", "application/json", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """A 25-row list is about 33 KB of HTML, some 6 KB gzipped, which is what a village
    secretary's phone on weak 3G notices first.

    Only text is compressed (HTML, CSV, JSON, SVG): PDFs, spreadsheets and photos are compressed
    already, and gzipping them again costs the server CPU for nothing. BREACH, the attack on
    compressed pages that reflect a secret, is answered by Django itself: the CSRF token in every
    form is masked afresh on each response.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)


class ReplicaReadsMiddleware:
    """Reads of the read-only pages go to the streaming replica; installed only with one
    (DATABASE_REPLICA_URL). A GET or HEAD of a section in REPLICA_READ_NAMESPACES (the public
    pages, the dashboards), or a download (?_export=) of a list in REPLICA_READ_EXPORTS, is
    answered from the replica; every other request, and every write, from the primary
    (musrenbang/routers.py; what this means for lag: docs/deploy.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and self.reads_only(request):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)

    def reads_only(self, request) -> bool:
        # Resolved here, before Django resolves it again for the view (microseconds), so that one
        # `with` block encloses the whole answer, template rendering included, however it ends.
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        if match.namespace in settings.REPLICA_READ_NAMESPACES:
            return True
        return match.view_name in settings.REPLICA_READ_EXPORTS and bool(
            request.GET.get(ExportMixin.export_trigger_param)
        )
