"""Error messages that name the field and say what to do, on every form: "Isi judul.", "Pilih
bidang urusan.", "Volume harus berupa angka.", "Judul paling banyak 200 karakter." instead of
Django's "Bidang ini tidak boleh kosong." (the GOV.UK design system's pattern for error messages).
And, beside a file input, the files chosen before an error, which the browser has forgotten.

Every user-facing form inherits SpecificMessagesMixin rather than typing these messages field by
field: a new form or field gets them without anyone writing them, and the wording of each rule
lives here once. A mixin, not a patch of Django's BaseForm: the admin's forms and the filter bars
keep Django's words, and a form's bases say what it gets. The mixin does its work in full_clean,
not __init__, so that it also reaches the fields a form adds or changes in its own __init__ (a
forum's score fields, a schedule's dates, a message set there) and an unbound form, which shows
no error, pays nothing. The form renderer could not do it: by the time a form is rendered, its
errors are written.

A field class of the project's own may word a rule for its kind of value in `message_templates`
(proposals.forms.RupiahField: "an amount in rupiah, for example 150.000.000"). Only Django's own
defaults are replaced. A message a form or model sets itself (error_messages=,
Meta.error_messages, a validator's message=) is more specific than any rule here, and stays.
"""

from __future__ import annotations

import re
from functools import cache

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms.boundfield import BoundField
from django.forms.utils import pretty_name
from django.forms.widgets import ChoiceWidget
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

# The label of a select's empty choice since Django 6 (BLANK_CHOICE_LABEL), which Django's own
# Indonesian catalog does not translate yet: named here so that ours does (LOCALE_PATHS come first).
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")

# What the user is asked to do with an empty required field, by the kind of input it is.
REQUIRED = {
    "text": _("Enter the %(field)s."),
    "choice": _("Choose the %(field)s."),
    "choices": _("Choose at least one of the %(field)s."),
    "ticks": _("Tick at least one of the %(field)s."),
    "tick": _("Tick “%(label)s”."),
    "file": _("Choose a file for the %(field)s."),
}
# A value that is not one of its kind; the first class the field is an instance of decides
# (FloatField and DecimalField are IntegerFields in Django, so they come first).
INVALID = [
    (forms.FloatField, _("%(Field)s must be a number.")),
    (forms.DecimalField, _("%(Field)s must be a number.")),
    (forms.IntegerField, _("%(Field)s must be a whole number.")),
    (forms.DateTimeField, _("%(Field)s must be a real date and time.")),
    (forms.DateField, _("%(Field)s must be a real date.")),
    (forms.TimeField, _("%(Field)s must be a real time.")),
    (forms.EmailField, _("Enter the %(field)s in the right format, like nama@contoh.id.")),
    (forms.URLField, _("Enter the %(field)s as a full web address, like https://contoh.go.id.")),
]
OTHERS = {
    "invalid_choice": _("Choose the %(field)s from the options given."),
    "empty": _("The file chosen for the %(field)s is empty."),
    "invalid_image": _("The file chosen for the %(field)s is not a picture."),
}
# Rules with a limit: `limit` is the number as the reader writes it, `count` picks the plural.
LIMITED = {
    "max_length": ngettext_lazy(
        "%(Field)s must be %(limit)s character or less.", "%(Field)s must be %(limit)s characters or less.", "count"
    ),
    "min_length": ngettext_lazy(
        "%(Field)s must be %(limit)s character or more.", "%(Field)s must be %(limit)s characters or more.", "count"
    ),
    "min_value": _("%(Field)s must be %(limit)s or more."),
    "max_value": _("%(Field)s must be %(limit)s or less."),
    "max_digits": ngettext_lazy(
        "%(Field)s may have at most %(limit)s digit.", "%(Field)s may have at most %(limit)s digits.", "count"
    ),
    "max_decimal_places": ngettext_lazy(
        "%(Field)s may have at most %(limit)s digit after the decimal point.",
        "%(Field)s may have at most %(limit)s digits after the decimal point.",
        "count",
    ),
    "max_whole_digits": ngettext_lazy(
        "%(Field)s may have at most %(limit)s digit before the decimal point.",
        "%(Field)s may have at most %(limit)s digits before the decimal point.",
        "count",
    ),
}
CODES = ["required", "invalid", *OTHERS, *LIMITED]


class Finished(str):
    """A message already complete. Django applies an error's params to its message
    (`message %= params`); a label of ours may hold a "%" ("Bobot (%)"), which must stay as it is."""

    def __mod__(self, params):
        return self


def field_name(label) -> str:
    """The label as a sentence names the field: "Perkiraan biaya (Rp)" -> "perkiraan biaya"; an
    abbreviation keeps its capitals ("RT", "OPD ...")."""
    text = str(label).strip().rstrip(":")
    text = re.sub(r"\s*\([^()]*\)$", "", text) or text
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _readable(number) -> str:
    # Grouped as the language writes it (150.000.000), but a year stays 2100, not 2.100.
    return number_format(number, force_grouping=abs(number) >= 10_000)


def _message(template, label, limit) -> Finished:
    name = field_name(label)
    values = {"field": name, "Field": capfirst(name), "label": capfirst(str(label).rstrip(":"))}
    if limit is not None:
        values |= {"limit": _readable(limit), "count": limit}
    return Finished(template % values)


message = lazy(_message, Finished)


@cache
def _django_defaults(field_class) -> dict:
    """The messages Django's own classes give this kind of field: a project field class (the
    rupiah field) inherits them; what it changes counts as its own."""
    defaults = {}
    for cls in reversed(field_class.__mro__):
        if cls.__module__.startswith("django."):
            defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def _kind(field) -> str:
    widget = field.widget
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "ticks"
    if isinstance(widget, forms.CheckboxInput):
        return "tick"
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return "choices"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(widget, ChoiceWidget):
        return "choice"
    return "text"


def _limit(field, code, validators):
    if code in ("max_digits", "max_decimal_places", "max_whole_digits"):
        digits, places = getattr(field, "max_digits", None), getattr(field, "decimal_places", None)
        if code == "max_digits":
            return digits
        if code == "max_decimal_places":
            return places
        return None if digits is None or places is None else digits - places
    for validator in validators:
        if getattr(validator, "code", None) == code and hasattr(validator, "limit_value"):
            limit = validator.limit_value
            return limit() if callable(limit) else limit
    return None


def _template(field, code):
    own = getattr(field, "message_templates", {})  # a project field class's words for its kind of value
    if code in own:
        return own[code]
    if code == "required":
        return REQUIRED[_kind(field)]
    if code == "invalid":
        return next((template for cls, template in INVALID if isinstance(field, cls)), None)
    if code in ("max_length", "min_length") and _kind(field) != "text":
        return None  # a choice's stored length (a model validator), or a file's name: never typed
    return OTHERS.get(code) or LIMITED.get(code)


def _own_message(field, code, validators, model_field) -> bool:
    """Whether the form or the model has set this rule's message itself."""
    current = field.error_messages.get(code)
    if current is not None and current is not _django_defaults(type(field)).get(code):
        return True
    if model_field is not None and code in (getattr(model_field, "_error_messages", None) or {}):
        return True
    # A validator given message= keeps it: the field's error_messages would override it by code.
    return any(getattr(v, "code", None) == code and "message" in vars(v) for v in validators)


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None  # a field of the form's own


def specific_messages(fields: dict, model=None) -> None:
    """Replace Django's default error messages of `fields` (a form's fields, name -> field) with
    messages that name the field. `model`, a model form's model, lends its fields' validators:
    their errors reach the form field's messages by code (ModelForm._update_errors)."""
    for name, field in fields.items():
        if field.widget.is_hidden:
            continue  # never shown to the user as a field
        model_field = _model_field(model, name)
        validators = [*field.validators, *getattr(model_field, "validators", ())]
        label = field.label or pretty_name(name)
        # The rules this field can break: its own codes and its validators' (the limits, below).
        raised = {*field.error_messages, *(getattr(v, "code", None) for v in validators)}
        for code in CODES:
            if code not in raised and code not in LIMITED:
                continue
            template = _template(field, code)
            if template is None or _own_message(field, code, validators, model_field):
                continue
            limit = None
            if code in LIMITED:
                limit = _limit(field, code, validators)
                if limit is None:
                    continue
            field.error_messages[code] = message(template, label, limit)


def chosen_files(form) -> dict[str, list[str]]:
    """The names of the files sent for each file field, as the user's device named them (a form's
    clean may rename an upload: the letterhead logo becomes logo.png)."""
    files = form.files
    chosen = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            key = form.add_prefix(name)
            uploads = files.getlist(key) if hasattr(files, "getlist") else [files.get(key)]
            if names := [upload.name for upload in uploads if upload]:
                chosen[name] = names
    return chosen


class NotedBoundField(BoundField):
    """A field that also tells which files were chosen for it when the form came back with errors."""

    @property
    def files_not_kept(self) -> str:
        """The note for a file input whose files were sent with a form that has errors elsewhere:
        the browser shows the input empty again, and nothing was saved."""
        names = getattr(self.form, "files_chosen", {}).get(self.name)
        if not names or not self.form.errors or self.errors:
            return ""
        return ngettext(
            "You chose %(names)s. It was not saved because of the other errors; choose it again before you send.",
            "You chose %(names)s. They were not saved because of the other errors; choose them again before you send.",
            len(names),
        ) % {"names": ", ".join(names)}

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.files_not_kept:
            return described
        return " ".join(filter(None, [described, f"{self.auto_id}_chosen"]))


class SpecificMessagesMixin:
    """For every user-facing Form and ModelForm of the app (tests/test_form_messages.py finds
    any that lacks it): messages that name the field, and the note of files not kept."""

    bound_field_class = NotedBoundField

    def full_clean(self):
        meta = getattr(self, "_meta", None)
        specific_messages(self.fields, getattr(meta, "model", None))
        if self.is_bound and self.files:
            self.files_chosen = chosen_files(self)
        super().full_clean()
        # What was typed comes back as typed, and a number input may hold only a number: a field
        # refused for not being one is shown back in a text box (a number keypad still).
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and getattr(field.widget, "input_type", "") == "number":
                kept = {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
                field.widget = forms.TextInput(attrs={**kept, "inputmode": "decimal"})
