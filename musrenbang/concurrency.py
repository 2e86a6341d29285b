"""Optimistic concurrency for the forms two officers may save at once: a forum's details, a
proposal, a year's schedule, a kecamatan's ceiling.

The page carries a fingerprint of the stored values it showed (a hidden `version`). A save made
from a page older than what is stored now is stopped with what is stored now, keeping what was
typed, and its version is brought up to date: sent again, it replaces the other version knowingly.
Without this the later save would silently put back what the other officer had changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def fingerprint(values: Iterable) -> str:
    """A short digest of stored values (None and "" read alike: a blank field is either)."""
    text = "\x1f".join("" if value is None else str(value) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Stored(NamedTuple):
    """One stored value a form shows: its label, the value (what the version is made of) and,
    for a choice, the words the reader sees."""

    label: str
    value: object
    text: str = ""

    def shown(self) -> str:
        if self.text:
            return self.text
        if isinstance(self.value, bool):
            return str(_("yes") if self.value else _("no"))
        if isinstance(self.value, int | Decimal):
            return formats.number_format(self.value, force_grouping=True)
        return str(formats.localize(self.value))


class SavedMeanwhileMixin:
    """For a Form: call `add_version()` at the end of __init__ and `refuse_if_stale()` in clean().

    `stored()` lists the stored values the page shows (Stored), in a fixed order; by default the
    model form instance's Meta.fields."""

    def stored(self) -> list[Stored]:
        values = []
        for name in self.Meta.fields:
            choices = self.instance._meta.get_field(name).choices
            value = getattr(self.instance, name)
            text = str(getattr(self.instance, f"get_{name}_display")()) if choices and value else ""
            values.append(Stored(str(self.fields[name].label), value, text))
        return values

    def version_scope(self) -> str:
        """What the stored values belong to, when one form can show several (the schedule's year):
        a version of another scope is not compared."""
        return ""

    def add_version(self) -> None:
        scope = self.version_scope()
        digest = fingerprint(stored.value for stored in self.stored())
        self.current_version = f"{scope}:{digest}" if scope else digest
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=self.current_version)

    def sent_version(self) -> str:
        return self.data.get(self.add_prefix("version"), "")

    def is_stale(self) -> bool:
        """Saved by someone else since this page was shown (a form sent without a version, from
        a page older than this check, is taken as it is)."""
        sent, scope = self.sent_version(), self.version_scope()
        if scope and not sent.startswith(f"{scope}:"):
            return False
        return bool(sent) and sent != self.current_version

    def refuse_if_stale(self) -> None:
        if not self.is_stale():
            return
        now = [f"{stored.label} “{stored.shown()}”" for stored in self.stored() if stored.value not in (None, "")]
        # The next save is made knowing the other version: it goes through.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = self.current_version
        raise forms.ValidationError(
            _(
                "Someone else saved these details while you were editing. Saved now: %(now)s. What you "
                "typed is kept below and was not saved; save again to replace their version."
            )
            % {"now": "; ".join(now) or "—"}
        )
