"""felles.widgets.GroupedCheckboxSelectMultiple: long multiple choices as grouped checkbox lists with a filter
box, on the forms that declare it (the deltagelse form's measures and participants, the project form)."""

import re

import pytest
from django import forms
from django.urls import reverse

from felles.widgets import GroupedCheckboxSelectMultiple
from nettverk.forms import DeltagelseForm
from nettverk.models import Deltagelse, Nettverk


class FruitForm(forms.Form):
    fruit = forms.MultipleChoiceField(
        label="Fruit",
        choices=[("apple", "Apple"), ("pear", "Pear"), ("banana", "Banana")],
        widget=GroupedCheckboxSelectMultiple(group_by=lambda value: "Pome" if value in ("apple", "pear") else "Berry"),
    )


def legends(html: str) -> list[str]:
    """The groups' names as they read (a programme's name is marked as Norwegian: <span lang="nb">)."""
    found = re.findall(r'<legend class="ds-label portal-choices__legend">(.*?)</legend>', html, re.S)
    return [re.sub(r"<[^>]+>", "", legend) for legend in found]


def test_plain_choices_are_grouped_in_order_with_one_fieldset_per_group():
    html = str(FruitForm()["fruit"])
    assert legends(html) == ["Pome", "Berry"]
    assert html.count('type="checkbox"') == 3
    # The ids stay unique and every box has its own label.
    for index in range(3):
        assert f'id="id_fruit_{index}"' in html
        assert f'for="id_fruit_{index}"' in html
    assert "<select" not in html


def test_without_group_by_the_options_are_one_flat_list():
    class Flat(forms.Form):
        fruit = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=GroupedCheckboxSelectMultiple())

    html = str(Flat()["fruit"])
    assert legends(html) == []
    assert html.count('type="checkbox"') == 2


def test_the_filter_box_is_in_the_markup_hidden_until_the_script_shows_it():
    html = str(FruitForm()["fruit"])
    filter_box = re.search(r'<div class="ds-field portal-choices__filter"([^>]*)>(.*?)</div>', html, re.S)
    assert filter_box and "hidden" in filter_box.group(1)  # without JavaScript the whole list is simply shown
    assert '<label class="ds-label" for="id_fruit_filter">' in filter_box.group(2)
    assert 'type="search" id="id_fruit_filter"' in filter_box.group(2)
    assert 'aria-controls="id_fruit"' in filter_box.group(2)
    assert "name=" not in filter_box.group(2)  # the filter text is never submitted
    assert 'role="status"' in html
    assert "js/choices_filter.js" in html


def test_an_invalid_form_keeps_the_chosen_values():
    form = FruitForm(data={"fruit": ["pear", "cherry"]})
    assert not form.is_valid()
    html = str(form["fruit"])
    assert re.search(r'value="pear"[^>]*\bchecked\b', html)
    assert not re.search(r'value="apple"[^>]*\bchecked\b', html)


@pytest.fixture
def transport(programme):
    return Nettverk.objects.get(slug="nsc-transport")


def test_the_deltagelse_form_groups_measures_by_innsatsomraade_and_participants_by_unit(programme, saksbehandler):
    form = DeltagelseForm()
    tiltak_html = str(form["tiltak"])
    groups = legends(tiltak_html)
    assert len(groups) == 14  # the programme's innsatsområder, in order
    assert groups[0].startswith("1.1 ") and groups[-1].startswith("4.5 ")
    assert tiltak_html.count('type="checkbox"') == 45
    assert f"{saksbehandler.enhet}" in legends(str(form["deltakere"]))


def test_a_re_rendered_invalid_deltagelse_form_keeps_the_chosen_measures(client, programme, saksbehandler, transport):
    client.force_login(saksbehandler)
    chosen = list(programme.omraader.get(nummer=2).innsatsomraader.get(nummer=1).tiltak.values_list("pk", flat=True))
    form = {
        "nettverk": transport.pk,
        "tittel": "Møte",
        "type": "moete",
        "start": "2023-05-10",
        "end": "2023-05-09",  # before the first day: invalid
        "nivaa": "administrativ",
        "tiltak": chosen,
        "deltakere": [saksbehandler.pk],
    }
    response = client.post(reverse("nettverk:deltagelse_create"), form)
    assert response.status_code == 400
    html = response.content.decode()
    checked = re.findall(r'<input type="checkbox" name="tiltak" value="(\d+)"[^>]*\bchecked\b', html)
    assert sorted(map(int, checked)) == sorted(chosen)
    assert re.search(rf'name="deltakere" value="{saksbehandler.pk}"[^>]*\bchecked\b', html)
    assert "Ctrl" not in html
    assert not Deltagelse.objects.exists()

    response = client.post(reverse("nettverk:deltagelse_create"), form | {"end": ""})
    assert response.status_code == 302
    assert sorted(Deltagelse.objects.get().tiltak.values_list("pk", flat=True)) == sorted(chosen)
