"""The project's own middleware: paths holding a NUL refused, pages compressed on the wire,
and the read-only pages' reads sent to a streaming replica when there is one.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django_tables2.export import ExportMixin

from .routers import reading_from_replica

TEXT_TYPES = ("text/", "application/json", "image/svg+xml")


class RejectNulMiddleware:
    """A NUL character in the path is a 400, before any view sees it.

    No address of ours holds one, and PostgreSQL refuses it in every string ("A string literal
    cannot contain NUL"), so a view passing a path segment to a query answered 500. The query
    string and form fields are left to the filters and forms: they refuse a NUL as an invalid
    value beside the field, and the list or form still shows with the rest of what was given.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise BadRequest("NUL character in the address")
        return self.get_response(request)


class PrivateWhenLoggedInMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in officer: staff lists,
    exports and attachments hold names, figures and documents that a proxy or a shared
    computer's browser must not keep. Public pages (anonymous) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


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
