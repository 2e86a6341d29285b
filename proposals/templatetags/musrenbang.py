"""Formatting the whole interface shares: Rupiah amounts and Indonesian dates."""

from django import template
from lokal import format_rupiah

register = template.Library()


@register.filter
def rupiah(value):
    """1250000 -> 'Rp1.250.000'; empty stays empty."""
    if value is None or value == "":
        return ""
    return format_rupiah(int(value))
