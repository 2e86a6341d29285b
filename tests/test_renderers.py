"""musrenbang/renderers.py writes selects, inputs and empty error lists in Python; they must read
as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from musrenbang.renderers import FormRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": 'a "quoted" <hint>'}))
    amount = forms.IntegerField(required=False, disabled=True)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "autofocus": True, "hidden": False}))
    kind = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("Jalan & jembatan", [("jalan", "Jalan <desa>"), ("jembatan", "Jembatan")]),
            ("air", mark_safe("Air <b>bersih</b>")),
            (2027, 2027),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": '<script>"x"</script>', "when": "2026-12-03", "kind": "jembatan", "many": ["a", "c"]},
        {"name": "", "kind": "2027", "many": []},
    ],
)
def test_each_widget_reads_as_djangos_template_renders_it(data):
    ours = Everything(data, renderer=FormRenderer())
    djangos = Everything(data, renderer=DjangoTemplates())
    ours.is_bound and ours.is_valid() and djangos.is_valid()

    for name in Everything.base_fields:
        assert str(ours[name]) == str(djangos[name]), name
        # Empty or not, a field's error list too (an empty one is written out as nothing).
        assert str(ours[name].errors) == str(djangos[name].errors), name


def test_a_select_and_an_input_are_written_without_the_templates():
    renderer = FormRenderer()
    widget = forms.Select(choices=[("x", "X")]).get_context("pick", "x", {"id": "id_pick"})["widget"]
    assert renderer.render("django/forms/widgets/select.html", {"widget": widget}) == (
        '<select name="pick" id="id_pick">\n  <option value="x" selected>X</option>\n\n</select>'
    )
    other = forms.RadioSelect(choices=[("x", "X")]).get_context("pick", "x", {"id": "id_pick"})
    assert "<input" in renderer.render("django/forms/widgets/radio.html", other)  # the templates, as before
