"""The letterheads (kop surat) Bappeda keeps for the units of its region: each desa/kelurahan,
kecamatan and the kabupaten's own government, and each agency. The berita acara of a forum
prints the letterhead of the unit holding it (forums/pdf.py)."""

from __future__ import annotations

import logging
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from PIL import Image, UnidentifiedImageError

from musrenbang.errors import WorkflowError
from musrenbang.files import STORAGE_REFUSED, StorageFailure
from musrenbang.form_messages import SpecificMessagesMixin
from regions.models import Level, Office

from . import access, workflow

logger = logging.getLogger(__name__)

LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
LOGO_MAX_BYTES = 300 * 1024
LOGO_MAX_SIDE = 1200  # pixels; a letterhead logo prints 2 cm wide
REGIONS_PER_PAGE = 50
KINDS = {"wilayah", "opd"}


class OfficeForm(SpecificMessagesMixin, forms.ModelForm):
    class Meta:
        model = Office
        fields = ["address", "phone", "email", "website", "logo"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        help_texts = {
            "address": gettext_lazy("Street, village, postcode: as it prints under the unit's name."),
            "logo": gettext_lazy("PNG or JPEG, at most 300 KB and 1,200 pixels a side."),
        }

    PAIRED = {"phone", "email"}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:
            return logo  # unchanged, or cleared
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo may be at most 300 KB."))
        try:
            with Image.open(BytesIO(logo.read())) as image:
                kind, size = image.format, image.size
                image.verify()
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
            kind, size = None, (0, 0)
        logo.seek(0)
        if kind not in LOGO_FORMATS:
            raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        if max(size) > LOGO_MAX_SIDE:
            raise forms.ValidationError(_("The logo may be at most 1,200 pixels a side."))
        logo.name = f"logo.{LOGO_FORMATS[kind]}"  # the extension from the content, not the upload's name
        return logo


@login_required
@require_safe
def offices(request):
    """The units of the user's region with their letterhead, searchable and paged."""
    if not access.can_keep_offices(request.user):
        raise PermissionDenied
    # A NUL cannot be meant (and PostgreSQL refuses it in a string): dropped, like the spaces around.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    agencies = access.office_agencies(request.user).select_related("office", "region").order_by("code")
    regions = access.office_regions(request.user).select_related("office").order_by("code")
    if query:
        agencies = agencies.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
        regions = regions.filter(name__icontains=query)
    # get_page turns a page number that is not one (or past the end) into the first (or last) page.
    page = Paginator(regions, REGIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/offices.html",
        {"agencies": agencies[:200], "page": page, "query": query, "Level": Level},
    )


def _unit(request, kind: str, pk: int):
    """The region or agency, if the user keeps its letterhead; out of their region is a 404."""
    if not access.can_keep_offices(request.user):
        raise PermissionDenied
    if kind not in KINDS:
        raise Http404
    units = access.office_regions(request.user) if kind == "wilayah" else access.office_agencies(request.user)
    return get_object_or_404(units, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request, kind, pk):
    unit = _unit(request, kind, pk)
    office = getattr(unit, "office", None)  # the reverse one-to-one: None until the first save
    form = OfficeForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=office or Office(**({"region": unit} if kind == "wilayah" else {"agency": unit})),
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_office(actor=request.user, office=form.instance, changed=form.changed_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
        except StorageFailure:
            logger.exception("storing a letterhead logo failed")
            form.add_error("logo", STORAGE_REFUSED)
        else:
            messages.success(request, _("The letterhead of %(unit)s was saved.") % {"unit": unit})
            return redirect(reverse("planning:offices") + f"#{kind}-{unit.pk}")
    return render(request, "planning/office_edit.html", {"form": form, "unit": unit, "kind": kind})
