"""What every template may use: Rupiah amounts, page links, a creating form's one-time token."""

from django import template
from django.utils.html import format_html
from lokal import format_rupiah

from accounts.once import FIELD, new_token

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


@register.simple_tag
def once_token():
    """The one-time token of a form that creates something (accounts/once.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
