"""The proposal's receipt (tanda terima): a printable page the village hands to whoever proposed
the item, with its tracking code, a QR code of its public tracking page, and what happens next.

Whoever may see the proposal may print it (proposals.access); a draft has no tracking code yet,
so no receipt (404).
"""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .access import get_proposal_for_user


def tracking_url(proposal) -> str:
    """The public tracking page's full address (PUBLIC_BASE_URL, as the berita acara prints it)."""
    return settings.PUBLIC_BASE_URL + reverse("public:track_detail", args=[proposal.tracking_code])


@login_required
@require_safe
def proposal_receipt(request, pk):
    proposal = get_proposal_for_user(request.user, pk)
    if not proposal.tracking_code:
        raise Http404
    address = tracking_url(proposal)
    # segno escapes the title; the SVG is ours, drawn from the address alone.
    qr = segno.make(address, error="m", micro=False).svg_inline(
        border=2, omitsize=True, svgclass="receipt-qr", title=_("QR code of the tracking page")
    )
    return render(request, "proposals/receipt.html", {"proposal": proposal, "address": address, "qr": mark_safe(qr)})
