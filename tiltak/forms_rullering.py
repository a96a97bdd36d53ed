"""Input for rolling a programme over, the rollover decisions and the adoption. The rules live in
rullering_services; these forms only parse and check shape."""

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField
from felles.widgets import NorwegianChoicesSelect

from .models import TiltakRullering

MAX_TEXT_LENGTH = 5000


class RollOverForm(forms.Form):
    navn = forms.CharField(label=_("Name of the new programme"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=100,
        help_text=_("Lower-case letters, digits and hyphens, e.g. internasjonalt-handlingsprogram-2024-2027."),
    )
    start_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=TiltakRullering.Decision.choices, widget=forms.RadioSelect
    )
    tekst = forms.CharField(
        label=_("Text of the measure in the new programme"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a changed measure (and, if you like, the first part of a split one)."),
    )
    target = forms.ChoiceField(
        label=_("Merged into"),
        required=False,
        widget=NorwegianChoicesSelect,
        help_text=_("For a merged measure: the measure of the new programme it becomes part of."),
    )
    split_texts = forms.CharField(
        label=_("Further measures it is split into"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a split measure: one new measure per line."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is closed."),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Choose a measure"))] + [
            (str(t.pk), f"{t.kode} {t.tekst[:90]}") for t in targets
        ]


class AdoptForm(forms.Form):
    decided_on = DateField(label=_("Date of Fylkesutvalget's decision"))
    case_number = forms.CharField(label=_("Case number"), max_length=50)
