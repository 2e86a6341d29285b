"""Whole Rupiah in a form, below every app: read as people type them, shown as they are written."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah


class RupiahField(forms.IntegerField):
    """Whole Rupiah, typed as people write them: '1250000', '1.250.000' or 'Rp1.250.000'."""

    message_templates = {"invalid": _("%(Field)s must be an amount in rupiah, for example 150.000.000.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*rp\.?\s*|[\s.]", "", value).removesuffix(",00").removesuffix(",-")
        return super().to_python(value)


class RupiahInput(forms.TextInput):
    """Shows a stored amount the way it is written, 1.250.000; RupiahField reads it back."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_rupiah(value, symbol=False)
        return super().format_value(value)
