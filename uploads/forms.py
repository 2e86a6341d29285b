"""The one form every spreadsheet import is sent through: a file, its size checked at once.

Everything else about the file (that it is an .xlsx, its header, every row) is the worker's:
that is the slow part, and the page that follows the reading shows what it found.
"""

from django import forms
from django.utils.translation import gettext_lazy

from musrenbang.form_messages import SpecificMessagesMixin
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE, size_problem


class ImportForm(SpecificMessagesMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if problem := size_problem(upload):
            raise forms.ValidationError(problem)
        return upload
