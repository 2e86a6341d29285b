"""The proposal form a village secretary fills in, often on a phone.

Uploads are judged by their content, not their name: a photo must open in Pillow as JPEG,
PNG or WebP, a document must parse as a PDF. Every error names its field in the user's
language; a bound form keeps everything typed.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import IndirectObject, StreamObject

from musrenbang.concurrency import SavedMeanwhileMixin
from musrenbang.form_messages import SpecificMessagesMixin
from musrenbang.rupiah import RupiahField
from regions.models import Agency

from .cataloguing import CataloguePickMixin
from .enums import VILLAGE_PROPOSERS
from .models import MAX_COST, Attachment, AttachmentKind, Proposal, WorkKind
from .workflow import NewFile

MAX_PHOTOS = 3
# What a photo is kept as: a village road stays recognisable at 2,048 pixels on the long side, and
# a 12-megapixel phone photo of 5-9 MB becomes about half a megabyte, which a phone on 3G opens.
PHOTO_LONG_SIDE = 2048
# A document is read for what it holds: pages, and what its streams unpack to.
MAX_DOCUMENT_PAGES = 200
MAX_DOCUMENT_INFLATED_BYTES = 100 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Latitude and longitude of the Indonesian archipelago's bounding box, with a small margin.
LATITUDE_RANGE = (-11.2, 6.3)
LONGITUDE_RANGE = (94.8, 141.1)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by FileField (pattern from Django's docs)."""

    def __init__(self, *args, **kwargs):
        attrs = {"accept": "image/jpeg,image/png,image/webp", "data-resize": PHOTO_LONG_SIDE}  # static/js/app.js
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def check_photo(upload) -> str:
    """The photo's real content type, or a ValidationError saying what is wrong with the file."""
    if upload.size > settings.MAX_PHOTO_BYTES:
        raise forms.ValidationError(
            _("%(name)s is %(size)s; a photo may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_PHOTO_BYTES),
            }
        )
    try:
        upload.seek(0)
        # Pillow warns of a big image; the pixel count is judged below, with a message for the user.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        # A header claiming a huge size raises DecompressionBombError: refused like any non-photo.
        image_format, width, height = None, 0, 0
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise forms.ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": upload.name})
    # What it decodes to, not what it weighs: a 20 KB PNG can claim 13,000 x 13,000 pixels, some
    # 680 MB for the phone (or the server) that opens it.
    if width * height > settings.MAX_PHOTO_PIXELS:
        raise forms.ValidationError(
            _("%(name)s is %(size)s megapixels; a photo may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": round(width * height / 1_000_000),
                "limit": settings.MAX_PHOTO_PIXELS // 1_000_000,
            }
        )
    return PHOTO_FORMATS[image_format]


def stored_photo(upload) -> SimpleUploadedFile:
    """The photo as the app keeps it: upright (the camera's orientation applied), at most
    PHOTO_LONG_SIDE pixels on its long side, as JPEG, and without its metadata (a phone's EXIF
    holds where the photo was taken and with which device). Call after check_photo."""
    upload.seek(0)
    with Image.open(upload) as image:
        # A JPEG is decoded straight at a reduced scale (1/2, 1/4, 1/8): a 48 MP photo never fills memory.
        image.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
        if upright.mode in ("RGBA", "LA", "P"):
            upright = upright.convert("RGBA")
            flat = Image.new("RGB", upright.size, (255, 255, 255))
            flat.paste(upright, mask=upright.getchannel("A"))
            upright = flat
        elif upright.mode != "RGB":
            upright = upright.convert("RGB")
        buffer = io.BytesIO()
        upright.save(buffer, "JPEG", quality=85, optimize=True)
    upload.seek(0)
    stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
    return SimpleUploadedFile(f"{stem or 'foto'}.jpg", buffer.getvalue(), content_type="image/jpeg")


def check_pdf(upload) -> str:
    if upload.size > settings.MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(
            _("%(name)s is %(size)s; a document may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_DOCUMENT_BYTES),
            }
        )
    try:
        upload.seek(0)
        if upload.read(5) != b"%PDF-":
            raise PdfReadError("no PDF header")
        upload.seek(0)
        reader = PdfReader(upload)
        pages = len(reader.pages)
        if pages < 1:
            raise PdfReadError("no pages")
        if pages > MAX_DOCUMENT_PAGES:
            raise forms.ValidationError(
                _("%(name)s has %(n)d pages; a document may have at most %(limit)d.")
                % {"name": upload.name, "n": pages, "limit": MAX_DOCUMENT_PAGES}
            )
        inflated = _inflated_size(reader)
    except forms.ValidationError:
        raise
    except Exception:
        # A damaged file makes pypdf raise almost anything (AttributeError, LimitReachedError...): all mean unreadable.
        raise forms.ValidationError(_("%(name)s is not a readable PDF document.") % {"name": upload.name}) from None
    finally:
        upload.seek(0)
    if inflated > MAX_DOCUMENT_INFLATED_BYTES:
        # What it unpacks to, not what it weighs: a 195 KB file can inflate to 200 MB in a viewer.
        raise forms.ValidationError(
            _("%(name)s unpacks to far more data than a document of its pages holds.") % {"name": upload.name}
        )
    return "application/pdf"


def _inflated_size(reader: PdfReader) -> int:
    """How many bytes the document's streams unpack to, counted until MAX_DOCUMENT_INFLATED_BYTES
    is passed (pypdf itself stops any single stream at 75 MB with LimitReachedError)."""
    total = 0
    numbers = [(number, generation) for generation, found in reader.xref.items() for number in found]
    numbers += [(number, 0) for number in reader.xref_objStm]
    for number, generation in numbers:
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if isinstance(obj, StreamObject):
            try:
                total += len(obj.get_data())
            except LimitReachedError:  # one stream past pypdf's own bound: too much, whatever the rest
                return MAX_DOCUMENT_INFLATED_BYTES + 1
            if total > MAX_DOCUMENT_INFLATED_BYTES:
                break
    return total


class ProposalForm(CataloguePickMixin, SpecificMessagesMixin, SavedMeanwhileMixin, forms.ModelForm):
    """A village's proposal, new or edited. Two tabs or two officers may edit the same draft: a
    save from a page older than the stored proposal is stopped (musrenbang/concurrency.py)."""

    estimated_cost = RupiahField(
        label=_("Estimated cost (Rp)"),
        min_value=0,
        max_value=MAX_COST,
        help_text=_("Whole Rupiah, e.g. 150.000.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_("Up to 3 photos: JPEG, PNG or WebP."))
    proposal_document = forms.FileField(
        label=_("Proposal document (PDF)"), required=False, widget=forms.FileInput(attrs={"accept": ".pdf"})
    )
    cost_breakdown = forms.FileField(
        label=_("Cost breakdown, RAB (PDF)"), required=False, widget=forms.FileInput(attrs={"accept": ".pdf"})
    )
    land_proof = forms.FileField(
        label=_("Proof of land status (PDF)"), required=False, widget=forms.FileInput(attrs={"accept": ".pdf"})
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove these files"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Tick only files this proposal still has.")},
    )

    # How the form is laid out, in the order a village secretary thinks of it.
    FIELDSETS = [
        (
            _("The proposal"),
            ["title", "catalogue_item", "outside_catalogue_reason", "problem", "proposed_work"]
            + ["sector", "work_kind", "target_agency"],
        ),
        (_("Who proposes it"), ["proposer_type", "proposer_name", "proposer_contact"]),
        (_("Location"), ["rt", "rw", "address", "latitude", "longitude"]),
        (_("Size and cost"), ["volume", "unit", "estimated_cost", "beneficiaries", "beneficiary_count"]),
        (_("Readiness"), ["land_status_clear", "has_certificate", "has_technical_details"]),
        (
            _("Attachments"),
            ["remove_attachments", "photos", "photos_public", "proposal_document", "cost_breakdown", "land_proof"],
        ),
    ]
    # Short fields that sit side by side, two to a row, on every screen.
    PAIRED = {"rt", "rw", "latitude", "longitude", "volume", "unit"}

    document_fields = {
        "proposal_document": AttachmentKind.PROPOSAL_DOCUMENT,
        "cost_breakdown": AttachmentKind.COST_BREAKDOWN,
        "land_proof": AttachmentKind.LAND_PROOF,
    }

    class Meta:
        model = Proposal
        fields = [
            "title",
            "problem",
            "proposed_work",
            "proposer_type",
            "proposer_name",
            "proposer_contact",
            "sector",
            "work_kind",
            "target_agency",
            "rt",
            "rw",
            "address",
            "latitude",
            "longitude",
            "volume",
            "unit",
            "estimated_cost",
            "beneficiaries",
            "beneficiary_count",
            "land_status_clear",
            "has_certificate",
            "has_technical_details",
            "photos_public",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "proposed_work": forms.Textarea(attrs={"rows": 3}),
            "work_kind": forms.RadioSelect,
            # Mostly a phone number: the phone's number pad (an e-mail address still goes in).
            "proposer_contact": forms.TextInput(attrs={"inputmode": "tel"}),
            "rt": forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
            "rw": forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
            "latitude": forms.NumberInput(attrs={"step": "any", "placeholder": "-4.912345"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "placeholder": "105.123456"}),
            "unit": forms.TextInput(attrs={"list": "units", "placeholder": _("e.g. meter")}),
        }
        # "Proposed by" is no noun for the messages of musrenbang/form_messages.py.
        error_messages = {
            "proposer_type": {
                "required": _("Choose who proposes it."),
                "invalid_choice": _("Choose who proposes it from the options given."),
            }
        }

    def __init__(self, *args, village, plan_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        kabupaten_code = ".".join(village.code.split(".")[:2])  # a village's, or a Pokir form's kabupaten
        # The agencies that can carry out work here: the village's kabupaten/kota and its province.
        self.fields["target_agency"].queryset = Agency.objects.filter(
            region__code__in=[kabupaten_code, kabupaten_code.split(".")[0]]
        ).select_related("region")
        self.fields["target_agency"].empty_label = _("Not known yet")
        self.fields["sector"].empty_label = _("Choose a sector")
        if "proposer_type" in self.fields:  # a village's own proposers; a DPRD member has pokir/forms.py
            self.fields["proposer_type"].choices = [("", _("Choose who proposes")), *VILLAGE_PROPOSERS]
        self.fields["volume"].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        self.fields["work_kind"].choices = WorkKind.choices  # two radio buttons, no empty third
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            self.add_version()
        else:
            del self.fields["remove_attachments"]
            # A new form's one-time token (Proposal.entry_token): the same form sent twice makes one draft.
            self.fields["entry_token"] = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
        self.offer_catalogue(village, plan_year)  # where the kabupaten keeps one (proposals/cataloguing.py)

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names if name in self.fields]

    def clean_volume(self):
        volume = self.cleaned_data.get("volume")
        if volume is not None and volume <= 0:
            raise forms.ValidationError(_("The volume must be more than 0."))
        return volume

    def validate_constraints(self):
        # Every constraint a village can break (cost, volume, latitude, longitude) is checked by a
        # field above, in the user's language; the others concern status, which this form never
        # sets. Django would ask the database once per constraint (six queries a form, 3,000 of a
        # 500-row import: two thirds of its time). The database still enforces them all on save.
        pass

    def clean_latitude(self):
        return self._in_range("latitude", LATITUDE_RANGE)

    def clean_longitude(self):
        return self._in_range("longitude", LONGITUDE_RANGE)

    def _in_range(self, name, bounds):
        value = self.cleaned_data.get(name)
        if value is not None and not bounds[0] <= value <= bounds[1]:
            raise forms.ValidationError(_("This point is outside Indonesia. Check the coordinates."))
        return value

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            check_photo(photo)
        # Kept smaller and as JPEG (stored_photo), whatever the phone sent.
        photos = [stored_photo(photo) for photo in photos]
        self.photo_types = ["image/jpeg"] * len(photos)
        return photos

    def clean_proposal_document(self):
        return self._clean_document("proposal_document")

    def clean_cost_breakdown(self):
        return self._clean_document("cost_breakdown")

    def clean_land_proof(self):
        return self._clean_document("land_proof")

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            check_pdf(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None) and "latitude" not in self.errors and "longitude" not in self.errors:
            self.add_error(
                "longitude" if lon is None else "latitude", _("Give both latitude and longitude, or neither.")
            )
        kept = 0
        if self.instance.pk:
            removed = set(cleaned.get("remove_attachments") or [])
            kept = sum(
                1 for a in self.instance.attachments.all() if a.kind == AttachmentKind.PHOTO and a not in removed
            )
        if kept + len(cleaned.get("photos") or []) > MAX_PHOTOS:
            self.add_error("photos", _("A proposal may have at most %(n)d photos.") % {"n": MAX_PHOTOS})
        if self.instance.pk:
            self.refuse_if_stale()
        return cleaned

    def new_files(self) -> list[NewFile]:
        files = [
            NewFile(AttachmentKind.PHOTO, p, t)
            for p, t in zip(self.cleaned_data["photos"], self.photo_types, strict=True)
        ]
        for name, kind in self.document_fields.items():
            if self.cleaned_data.get(name):
                files.append(NewFile(kind, self.cleaned_data[name], "application/pdf"))
        return files

    def removed_attachments(self) -> list[Attachment]:
        return list(self.cleaned_data.get("remove_attachments") or [])
