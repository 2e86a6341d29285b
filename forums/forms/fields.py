"""The Rupiah amount field the forum forms share."""

from __future__ import annotations

from django import forms
from lokal import format_rupiah

from proposals.forms import RupiahField
from proposals.models import MAX_COST


class RupiahInput(forms.TextInput):
    """Shows a stored amount the way it is written, 1.250.000; RupiahField reads it back."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_rupiah(value, symbol=False)
        return super().format_value(value)


def rupiah_field(label, **kwargs):
    return RupiahField(
        label=label,
        min_value=0,
        max_value=MAX_COST,
        widget=RupiahInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )
