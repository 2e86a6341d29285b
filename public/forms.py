"""The forms anyone may fill in: a tracking code, a region and year of results, a file to verify."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin
from planning.models import PlanningYear
from regions.models import Level, Region

from .queries import normalize_tracking_code


class TrackForm(SpecificMessagesMixin, forms.Form):
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


class ResultsForm(SpecificMessagesMixin, forms.Form):
    year = forms.ModelChoiceField(
        label=_("Planning year"), queryset=PlanningYear.objects.all(), to_field_name="year", empty_label=None
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Region.objects.filter(level=Level.PROVINSI).order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a province"),
    )


class VerifyForm(SpecificMessagesMixin, forms.Form):
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


class RecordForm(SpecificMessagesMixin, forms.Form):
    """The open record's filters: a plan year, a region drilled down one level at a time (the
    nation's provinces first), and words or a tracking code."""

    tahun = forms.ModelChoiceField(
        label=_("Planning year"), queryset=PlanningYear.objects.all(), to_field_name="year", required=False
    )
    wilayah = forms.ChoiceField(label=_("Region"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words from the proposal, or its code")}),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        code = (data or {}).get("wilayah", "")
        self.selected = Region.objects.coded(code)
        path = list(Region.objects.filter(code__in=self.selected.ancestor_codes())) if self.selected else []
        parent = self.selected
        children = Region.objects.filter(parent=parent) if parent else Region.objects.filter(level=Level.PROVINSI)
        regions = sorted({*path, *([parent] if parent else []), *children.order_by("code")}, key=lambda r: r.code)
        self.fields["wilayah"].choices = [("", _("All of Indonesia"))] + [
            (r.code, "\u2003" * (r.level - 1) + r.display_name) for r in regions
        ]
        self.fields["wilayah"].error_messages["invalid_choice"] = _(
            "There is no such region; choose one from the list."
        )
