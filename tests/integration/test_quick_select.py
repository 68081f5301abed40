"""The one-pass select widgets write the markup Django's own would, escaped, with the chosen options selected."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from socready.programs.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [("", "---------"), ("1", "AC-01 <Access> & review"), ("2", "CH-01 Changes")]


def test_a_single_select_escapes_labels_and_marks_the_value() -> None:
    html = QuickSelect(choices=CHOICES).render("control", "2", {"id": "id_control", "required": True})
    assert html.startswith('<select id="id_control" name="control" required>')
    assert '<option value="1">AC-01 &lt;Access&gt; &amp; review</option>' in html
    assert '<option value="2" selected>CH-01 Changes</option>' in html
    assert html.count(" selected") == 1


def test_a_multiple_select_reads_and_writes_several_values() -> None:
    class Pick(forms.Form):
        controls = forms.MultipleChoiceField(choices=CHOICES[1:], widget=QuickSelectMultiple)

    form = Pick(QueryDict("controls=1&controls=2"))
    assert form.is_valid() and form.cleaned_data["controls"] == ["1", "2"]
    html = str(form["controls"])
    assert " multiple" in html and html.count(" selected") == 2
    assert not Pick(QueryDict("")).is_valid()  # nothing chosen is an empty choice, not an omitted field
