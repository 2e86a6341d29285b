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


@register.simple_tag(takes_context=True)
def page_link(context, field, number):
    """This page's address with ?<field>=<number>, the rest of its query string kept."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop(field, None)
    else:
        query[field] = number
    return f"?{query.urlencode()}" if query else context["request"].path
