"""Compressing pages on the wire: a 25-row list is about 33 KB of HTML, some 6 KB gzipped, which
is what a village secretary's phone on weak 3G notices first.

Only text is compressed (HTML, CSV, JSON, SVG): PDFs, spreadsheets and photos are compressed
already, and gzipping them again costs the server CPU for nothing. BREACH, the attack on
compressed pages that reflect a secret, is answered by Django itself: the CSRF token in every
form is masked afresh on each response.
"""

from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = ("text/", "application/json", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
