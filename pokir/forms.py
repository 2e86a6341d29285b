"""The pokok-pikiran form a DPRD member fills in: the proposal form of the villages, placed by the
member in a village of their kabupaten, without the proposer's fields (the member proposes), and
with the recess meeting the item came from and its evidence (PDF: minutes, attendance list)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin
from proposals.forms import MultipleFileField, MultipleFileInput, ProposalForm, check_pdf
from proposals.models import AttachmentKind
from proposals.workflow import NewFile
from regions.models import Level, Region

from .models import Recess

MAX_EVIDENCE = 3


class PokirForm(ProposalForm):
    village = forms.ModelChoiceField(
        label=_("Village/kelurahan where the work is"),
        queryset=Region.objects.none(),
        help_text=_("Within your regency/city: where the work would be done."),
    )
    recess_held_on = forms.DateField(
        label=_("Date of the recess meeting"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    recess_place = forms.CharField(label=_("Place of the recess meeting"), max_length=200)
    recess_attendees = forms.IntegerField(label=_("Number of attendees"), min_value=1, max_value=100_000)
    recess_evidence = MultipleFileField(
        label=_("Evidence of the recess meeting (PDF)"),
        required=False,
        help_text=_("Up to 3 PDF files: minutes, attendance list. At least one is needed."),
        widget=MultipleFileInput(attrs={"accept": ".pdf"}),
    )

    FIELDSETS = [
        (_("The pokok-pikiran"), ["title", "problem", "proposed_work", "sector", "work_kind", "target_agency"]),
        (_("Recess meeting (reses)"), ["recess_held_on", "recess_place", "recess_attendees", "recess_evidence"]),
        (_("Location"), ["village", "rt", "rw", "address", "latitude", "longitude"]),
        *ProposalForm.FIELDSETS[3:],
    ]

    class Meta(ProposalForm.Meta):
        # The member proposes: the proposer's fields are set by the workflow, not typed.
        fields = [name for name in ProposalForm.Meta.fields if not name.startswith("proposer_")] + ["village"]

    def __init__(self, *args, kabupaten, **kwargs):
        super().__init__(*args, village=kabupaten, **kwargs)
        self.fields["village"].queryset = Region.objects.filter(
            level=Level.DESA, code__startswith=kabupaten.code + "."
        ).order_by("code")
        self.fields["village"].empty_label = _("Choose a village")
        self.fields["target_agency"].required = True  # a Pokir item enters its agency's forum
        self.fields["target_agency"].queryset = self.fields["target_agency"].queryset.filter(region=kabupaten)
        self.fields["target_agency"].empty_label = _("Choose an agency")
        recess = getattr(self.instance, "recess", None) if self.instance.pk else None
        if recess is not None and not self.is_bound:
            self.initial.update(
                recess_held_on=recess.held_on, recess_place=recess.place, recess_attendees=recess.attendee_count
            )

    def clean_recess_held_on(self):
        held_on = self.cleaned_data["recess_held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The recess meeting cannot be held in the future."))
        return held_on

    def clean_recess_evidence(self):
        files = self.cleaned_data.get("recess_evidence") or []
        for upload in files:
            check_pdf(upload)
        return files

    def clean(self):
        cleaned = super().clean()
        kept = 0
        if self.instance.pk:
            removed = set(cleaned.get("remove_attachments") or [])
            kept = sum(
                1
                for a in self.instance.attachments.all()
                if a.kind == AttachmentKind.RECESS_EVIDENCE and a not in removed
            )
        chosen = len(cleaned.get("recess_evidence") or [])
        if "recess_evidence" not in self.errors:
            if kept + chosen == 0:
                self.add_error("recess_evidence", _("Choose at least one evidence file of the recess meeting."))
            elif kept + chosen > MAX_EVIDENCE:
                self.add_error(
                    "recess_evidence", _("A pokok-pikiran may have at most %(n)d evidence files.") % {"n": MAX_EVIDENCE}
                )
        return cleaned

    def recess(self) -> Recess:
        """The recess meeting as typed, unsaved (the workflow saves it with the item)."""
        recess = getattr(self.instance, "recess", None) if self.instance.pk else None
        recess = recess or Recess()
        recess.held_on = self.cleaned_data["recess_held_on"]
        recess.place = self.cleaned_data["recess_place"]
        recess.attendee_count = self.cleaned_data["recess_attendees"]
        return recess

    def new_files(self) -> list[NewFile]:
        evidence = [
            NewFile(AttachmentKind.RECESS_EVIDENCE, upload, "application/pdf")
            for upload in self.cleaned_data.get("recess_evidence") or []
        ]
        return super().new_files() + evidence


class ReturnForm(SpecificMessagesMixin, forms.Form):
    """The Setwan's reason for returning a pokok-pikiran to its member."""

    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the member should correct; they read it in the item's history."),
    )
