"""The forms anyone may fill in: a tracking code, a region and year of results, a file to verify."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from planning.models import PlanningYear
from regions.models import Level, Region

from .queries import normalize_tracking_code


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("The code the village received when it submitted the proposal, e.g. K7PQ-2M9X."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalize_tracking_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A tracking code has eight letters and digits, e.g. K7PQ-2M9X."), code="format"
            )
        return code


class ResultsForm(forms.Form):
    year = forms.ModelChoiceField(
        label=_("Planning year"), queryset=PlanningYear.objects.all(), to_field_name="year", empty_label=None
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Region.objects.filter(level=Level.PROVINSI).order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a province"),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Berita acara (PDF)"),
        help_text=_("The file is only compared with the issued documents; it is not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; a berita acara to verify may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_DOCUMENT_BYTES)},
                code="too_big",
            )
        upload.seek(0)
        header = upload.read(5)
        upload.seek(0)
        # Only the header: a PDF that pypdf cannot read may still be an altered copy of ours,
        # and the answer to that is "not an issued document", not "not a PDF".
        if header != b"%PDF-":
            raise forms.ValidationError(
                _("This is not a PDF file. Upload the berita acara as the PDF you downloaded."), code="not_pdf"
            )
        return upload
