"""A village may show its proposal's photos on the public tracking page (Proposal.photos_public):
once submitted, with the choice made, anyone sees them; without it, or for any other attachment,
the photo address is a 404 (issue 14)."""

from __future__ import annotations

import io

from PIL import Image

from proposals import workflow
from proposals.models import AttachmentKind, Proposal

from .test_intake import form_data, pdf, photo


def enter(client, title: str, *, public: bool) -> Proposal:
    data = {**form_data(title=title), "photos": [photo("jalan.jpg", "JPEG")], "proposal_document": pdf("usulan.pdf")}
    if public:
        data["photos_public"] = "on"
    assert client.post("/usulan/baru/", data).status_code == 302
    proposal = Proposal.objects.get(title=title)
    return workflow.submit_proposal(actor=proposal.created_by, proposal=proposal)


def test_photos_the_village_chose_to_show_are_on_the_tracking_page(
    client, settings, tmp_path, village_operator, intake
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(village_operator)
    shown = enter(client, "Rabat beton Dusun Sukamaju", public=True)
    kept = enter(client, "Sumur bor Dusun III", public=False)
    client.logout()

    page = client.get(f"/lacak/{shown.tracking_code}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    picture = shown.attachments.get(kind=AttachmentKind.PHOTO)
    address = f"/lacak/{shown.tracking_code}/foto/{picture.pk}/"
    assert f'<img src="{address}"' in page
    served = client.get(address)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == "JPEG"

    # The document beside it is never served here, nor the photos of a village that said no.
    document = shown.attachments.get(kind=AttachmentKind.PROPOSAL_DOCUMENT)
    assert client.get(f"/lacak/{shown.tracking_code}/foto/{document.pk}/").status_code == 404
    hidden = kept.attachments.get(kind=AttachmentKind.PHOTO)
    assert client.get(f"/lacak/{kept.tracking_code}/foto/{hidden.pk}/").status_code == 404
    assert "/foto/" not in client.get(f"/lacak/{kept.tracking_code}/").content.decode()
    # Nor one photo under another proposal's code.
    assert client.get(f"/lacak/{kept.tracking_code}/foto/{picture.pk}/").status_code == 404
