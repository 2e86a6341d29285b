"""The berita acara as PDF. (Minimal first version; the full layout follows.)"""

from django.template.loader import render_to_string
from weasyprint import HTML


def render_minutes(forum, *, number, issued_at, revision=0, reason="") -> bytes:
    html = render_to_string("forums/berita_acara.html", {"forum": forum, "number": number, "issued_at": issued_at})
    return HTML(string=html).write_pdf()
