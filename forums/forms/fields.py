"""The Rupiah amount field the forum forms share."""

from __future__ import annotations

from musrenbang.rupiah import RupiahField, RupiahInput
from proposals.models import MAX_COST


def rupiah_field(label, **kwargs):
    return RupiahField(
        label=label,
        min_value=0,
        max_value=MAX_COST,
        widget=RupiahInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )
