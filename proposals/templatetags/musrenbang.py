"""What every template may use: Rupiah amounts, page links, a creating form's one-time token, the
map's tile server."""

import datetime

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext
from lokal import format_rupiah

from accounts.once import FIELD, new_token

register = template.Library()


@register.filter
def rupiah(value):
    """1250000 -> 'Rp1.250.000'; empty stays empty."""
    if value is None or value == "":
        return ""
    return format_rupiah(int(value))


@register.filter
def machine(value):
    """A date or time for <time datetime>: ISO 8601 to the second (HTML refuses microseconds)."""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def label_marked(field):
    """A field's <label> (or <legend>), with "(optional)" after the words of a field that may be left empty, as
    the GOV.UK design system asks (a required field needs no mark: most are required). A tick box
    is a yes or no, never "optional"."""
    tag = field.legend_tag if field.use_fieldset else field.label_tag
    if field.field.required or field.widget_type in ("checkbox", "hidden"):
        return tag()
    return tag(contents=format_html('{} <span class="optional">({})</span>', field.label, gettext("optional")))


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
def active_filters(fields) -> int:
    """How many of a filter bar's fields hold a value (the bar's button says so on a phone)."""
    return sum(1 for field in fields if field.value() not in (None, "", [], ()))


@register.simple_tag
def once_token():
    """The one-time token of a form that creates something (accounts/once.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.simple_tag
def map_tiles():
    """The tile server static/js/map.js draws under the markers (settings.MAP_TILE_URL), as the map's
    data attributes; empty: no tiles, the markers over region labels."""
    return format_html(' data-tiles="{}" data-attribution="{}"', settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION)


@register.filter
def coordinate(value):
    """A latitude or longitude as a machine reads it (a dot, whatever the page's language)."""
    return "" if value is None else format(value, "f")
