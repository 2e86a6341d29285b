"""The audit log as a table; the same columns feed its CSV and XLSX downloads.

Rows are EntryRegion rows with their LogEntry, described first (audit.changes.describe), so that
every cell is read from memory. The log keeps one order, newest first, the order its index reads;
no column sorts.
"""

from __future__ import annotations

import django_tables2 as tables
from auditlog.models import LogEntry
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from proposals.tables import WIDE, spreadsheet_safe

from .models import EntryRegion

SHOWN = 200  # characters of a long text (the minutes' considerations) a page shows of each value

# What happened to the object; a login's kind says it all.
ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("removed"),
}


class LogTable(tables.Table):
    at = tables.Column(verbose_name=_("When"), attrs={"td": {"class": "code"}})
    actor = tables.Column(verbose_name=_("Who"), accessor="entry__actor", default="—")
    kind = tables.Column(verbose_name=_("What"))
    entry = tables.Column(verbose_name=_("Object"))
    changes = tables.Column(verbose_name=_("Before → after"), accessor="lines", empty_values=())
    reason = tables.Column(verbose_name=_("Why"), default="")
    address = tables.Column(verbose_name=_("Address"), accessor="entry__remote_addr", default="", attrs=WIDE)

    # Export-only columns: hidden on screen, present in CSV and XLSX.
    username = tables.Column(verbose_name=_("Username"), accessor="entry__actor__username", default="", visible=False)
    action = tables.Column(verbose_name=_("Action"), empty_values=(), visible=False)
    place = tables.Column(verbose_name=_("Place"), visible=False)

    class Meta:
        model = EntryRegion
        fields = ()
        sequence = ("at", "actor", "kind", "entry", "changes", "reason", "address", "...")
        orderable = False
        attrs = {"class": "table"}
        empty_text = _("No entries match these filters.")

    def as_values(self, exclude_columns=None):
        # An object named "=HYPERLINK(...)" must reach the spreadsheet as text, not as a formula.
        for row in super().as_values(exclude_columns):
            yield [spreadsheet_safe(value) for value in row]

    def render_at(self, value):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def value_at(self, value):
        return timezone.localtime(value).replace(microsecond=0).isoformat()

    def render_kind(self, record):
        action = ACTIONS.get(record.entry.action)
        if action:
            return format_html('{}<br><small class="muted">{}</small>', record.get_kind_display(), action)
        return record.get_kind_display()

    def value_kind(self, record):
        return record.get_kind_display()

    def render_entry(self, record):
        if record.place:
            return format_html('{}<br><small class="muted">{}</small>', record.entry.object_repr, record.place)
        return record.entry.object_repr

    def value_entry(self, record):
        return record.entry.object_repr

    def render_changes(self, value):
        if not value:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c.text(SHOWN),) for c in value)))

    def value_changes(self, value):
        return "; ".join(str(change) for change in value or ())

    def value_action(self, record):
        return ACTIONS.get(record.entry.action, "")

    def value_actor(self, value):
        return str(value) if value else ""
