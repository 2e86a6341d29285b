"""An entry's before and after values as a reader wants them: field labels, Rupiah, dates, the
names of related rows.

auditlog stores every value as text ("1500000000", "18", "None"). The names behind foreign keys
are read for a whole page (or a whole download, a chunk at a time) in one query per related
model, so that a page of fifty entries costs the same queries as a page of five.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from lokal import format_rupiah

from .recording import MASK
from .registry import AUDITED, Kind

EMPTY = "—"
CHUNK = 1000
# What str() of these related rows reads besides the row itself.
RELATED = {"forums.forum": ("region", "planning_year", "agency")}


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: a fact of the entry (the username a failed login tried), not a change
    after: str

    def __str__(self):
        return self.text()

    def text(self, limit: int | None = None) -> str:
        """'Label: before → after'; with a limit, each value cut to that many characters (the
        page; a download keeps the whole text)."""
        cut = (lambda value: Truncator(value).chars(limit)) if limit else str
        if self.before is None:
            return f"{self.label}: {cut(self.after)}"
        return f"{self.label}: {cut(self.before)} → {cut(self.after)}"


def describe(rows) -> list:
    """Give each row (an EntryRegion with its entry) `lines` (its Changes) and `reason`."""
    rows = list(rows)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        names = _related_names(chunk)
        for row in chunk:
            row.lines, row.reason = _lines(row.entry, names, failed_login=row.kind == Kind.LOGIN_FAILED)
    return rows


def _fields(entry):
    """(model, field or None, name, [before, after]) of an entry's changes, in the model's order."""
    model = entry.content_type.model_class()
    changes = entry.changes or {}
    order = {f.name: i for i, f in enumerate(model._meta.fields)} if model else {}
    for name in sorted(changes, key=lambda name: (order.get(name, len(order)), name)):  # the model's order
        values = changes[name]
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue  # a many-to-many change: no audited model has one
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        # auditlog's diff of a new or deleted row also names the reverse relations (a user's
        # "proposals", as the text of an empty manager): only the row's own columns are values.
        if field is not None and (not field.concrete or field.primary_key):
            continue
        yield model, field, name, values


def _related_names(rows) -> dict:
    wanted = defaultdict(set)
    for row in rows:
        for _model, field, _name, values in _fields(row.entry):
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(v for v in values if v not in (None, "None", ""))
    names = {}
    for related, pks in wanted.items():
        found = related._base_manager.filter(pk__in=pks)
        if related._meta.label_lower in RELATED:
            found = found.select_related(*RELATED[related._meta.label_lower])
        for obj in found:
            names[related, str(obj.pk)] = str(obj)
    return names


def _lines(entry, names, *, failed_login: bool) -> tuple[list[Change], str]:
    """The entry's changes, and its reason: the new value of a field named reason or *_reason
    (a forum's reason for exceeding the ceiling), where the workflow records one."""
    lines, reason = [], ""
    for model, field, name, (before, after) in _fields(entry):
        audited = AUDITED.get(model)
        # A field without a verbose_name of its own (planning_year) gets a plain str from Django:
        # it is looked up in the catalogue here, where "planning year" is known from its model.
        label = capfirst(_(str(field.verbose_name))) if field is not None else name
        if audited and name in audited.hidden:
            lines.append(Change(str(label), MASK, MASK))
            continue
        money = bool(audited and name in audited.money)
        shown = Change(str(label), _value(field, before, names, money), _value(field, after, names, money))
        if shown.before == shown.after:
            continue  # None to "" on a new row: nothing a reader would call a change
        lines.append(shown)
        if (name == "reason" or name.endswith("_reason")) and shown.after != EMPTY:
            reason = shown.after
    data = entry.additional_data or {}
    if failed_login and data.get("username"):
        lines.append(Change(_("Username tried"), None, data["username"]))
    return lines, reason


def _value(field, raw, names, money: bool) -> str:
    if raw is None or raw in ("None", ""):
        return EMPTY
    if field is None:
        return str(raw)
    if field.many_to_one:
        return names.get((field.related_model, str(raw)), f"#{raw}")
    try:
        if money:
            return format_rupiah(int(raw))
        if field.choices:
            return str(dict(field.flatchoices).get(field.to_python(raw), raw))
        if isinstance(field, models.BooleanField):
            return _("yes") if raw in ("True", True) else _("no")
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(raw))
            if timezone.is_naive(moment):  # auditlog keeps these in UTC, without the zone
                moment = moment.replace(tzinfo=datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(str(raw)), "SHORT_DATE_FORMAT")
        if isinstance(field, models.TimeField):
            return formats.time_format(datetime.time.fromisoformat(str(raw)), "TIME_FORMAT")
    except (ValueError, TypeError, ValidationError):
        pass
    return str(raw)
