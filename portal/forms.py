"""Forms of the cross-app pages: correcting one inferred fact, the search box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.search import parse
from felles.widgets import NorwegianChoicesSelect
from handlingsprogram.services import field_formfield, link_target_queryset


class KildeFieldForm(forms.Form):
    """The one field an inferred field fact is about, as the model's own form field (another unit of the same
    actor, another role, another level …)."""

    def __init__(self, *args, fact, field, **kwargs):
        super().__init__(*args, **kwargs)
        formfield = field_formfield(fact=fact, field=field)
        formfield.label = str(field.verbose_name).capitalize()
        if isinstance(formfield, forms.ModelChoiceField):  # the programme's own names (units, actors)
            formfield.widget = NorwegianChoicesSelect()
            formfield.widget.choices = formfield.choices
        current = getattr(fact, field.attname)
        self.fields["value"] = formfield
        self.initial.setdefault("value", current)


class KildeLinkForm(forms.Form):
    """Remove an inferred link, or move it to another row."""

    REMOVE = "remove"
    REPLACE = "replace"

    action = forms.ChoiceField(choices=[(REMOVE, _("Remove the link")), (REPLACE, _("Replace the link"))])

    def __init__(self, *args, field, current_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = forms.ModelChoiceField(
            queryset=link_target_queryset(field).exclude(pk=current_id),
            required=False,
            label=_("Replace with"),
            widget=NorwegianChoicesSelect,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REPLACE and not cleaned.get("target"):
            self.add_error("target", _("Choose what the link should point to instead."))
        return cleaned


class SokForm(forms.Form):
    """The search box (``/sok/?q=``): the query, checked by ``felles.search.parse``, and optionally one type of
    hit to list alone (``&type=tiltak``)."""

    q = forms.CharField(label=_("Search"), required=False, strip=False)
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "")] + [(key, key) for key in types]

    def clean_q(self):
        return parse(self.cleaned_data["q"])
