"""The attendance page's forms: a table of rows adding many people at once, and the scan of a
signed paper (the attendance list, the stamped berita acara).

A row of the table and a row of an imported spreadsheet (forums/attendance_import.py) are checked
by the same AttendeeRowForm, so a person is refused in a file exactly when the page would refuse
them. Blank rows of the table are skipped; the table is saved only when every filled row is
valid (the view then calls workflow.add_attendees once).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin
from proposals.forms import check_pdf, check_photo

from ..attendance import GROUPS
from ..models import Attendee, Gender, MinutesDocument

# Blank rows the table shows at first, and at most: a kecamatan forum seats 100-200 people; a
# longer list is better typed into the spreadsheet template and imported.
ROWS, MAX_ROWS = 10, 200


class AttendeeRowForm(SpecificMessagesMixin, forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "element", "institution", "gender", "contact", "signs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both chosen on purpose, never preset: an unchosen select leaves a blank row blank.
        self.fields["element"] = forms.ChoiceField(
            label=self.fields["element"].label,
            choices=[("", "—"), *((group, [(e.value, e.label) for e in elements]) for group, elements in GROUPS)],
        )
        self.fields["gender"] = forms.ChoiceField(
            label=self.fields["gender"].label, choices=[("", "—"), *Gender.choices]
        )
        # The table prints one hint under all its rows (templates/forums/attendance.html); a help
        # text per cell would be described by an element the row never prints.
        for field in self.fields.values():
            field.help_text = ""
        for name in ("name", "institution", "contact"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        self.fields["contact"].widget.attrs["inputmode"] = "tel"

    def row(self) -> dict:
        """The cleaned row, as keyword arguments for workflow.add_attendees."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BaseAttendeeRows(forms.BaseFormSet):
    def filled(self) -> list[dict]:
        """The rows typed in (blank ones skipped), once the formset is valid."""
        return [form.row() for form in self.forms if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Fill in at least one row."))


def attendee_rows(data=None, *, rows: int = ROWS):
    """The table: `rows` blank rows, or the rows posted (each empty unless typed in)."""
    rows = max(1, min(rows, MAX_ROWS))
    formset = forms.formset_factory(
        AttendeeRowForm,
        formset=BaseAttendeeRows,
        extra=rows,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )
    return formset(data, prefix="rows")


def more_rows(data, added: int = ROWS):
    """The posted table again with `added` more blank rows, what was typed kept ("More rows")."""
    data = data.copy()
    try:
        total = int(data.get("rows-TOTAL_FORMS", ROWS))
    except ValueError:
        total = ROWS
    data["rows-TOTAL_FORMS"] = str(max(1, min(total + added, MAX_ROWS)))
    return attendee_rows(data)


def check_scan(upload) -> str:
    """The scan's real content type (PDF, JPEG or PNG, judged by its bytes, within the size
    limits of proposals' attachments), or a ValidationError saying what is wrong."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return check_pdf(upload)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return check_photo(upload)  # it must also open as the image it claims to be
    raise forms.ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name})


class ScanForm(SpecificMessagesMixin, forms.Form):
    """The scan of a signed paper: a PDF, or a photo (JPEG, PNG) of a one-page list."""

    file = forms.FileField(
        label=_("Scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_type = ""
        if documents is not None:
            self.fields["document"] = forms.ModelChoiceField(
                label=_("Signed on"),
                queryset=documents,
                empty_label=None,
                to_field_name="pk",
                # "Signed on" is no noun for the messages of musrenbang/form_messages.py.
                error_messages={"invalid_choice": _("Choose the issued berita acara that was signed.")},
            )
            self.fields["document"].label_from_instance = _document_label
            self.order_fields(["document", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = check_scan(upload)
        return upload


def _document_label(document: MinutesDocument) -> str:
    if document.revision:
        return _("%(number)s (revision %(n)d)") % {"number": document.number, "n": document.revision}
    return document.number
