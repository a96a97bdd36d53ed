"""Forms for reporting rounds and requests for an update. The services validate too; the forms give each field
its label, help and message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField

from .oppfoelging_services import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from .selectors import programme_years, reporting_year


class RundeForm(forms.Form):
    navn = forms.CharField(label=_("Name"), max_length=MAX_NAME_LENGTH, help_text=_("E.g. «Annual report 2024»."))
    aar = forms.TypedChoiceField(label=_("Year reported on"), coerce=int)
    frist = DateField(label=_("Deadline"), help_text=_("Format dd.mm.yyyy."))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        years = programme_years(programme)
        self.fields["aar"].choices = [(year, str(year)) for year in years]
        self.fields["aar"].error_messages["invalid_choice"] = _(
            "Choose a year in the programme period %(start)s–%(end)s."
        ) % {"start": years[0], "end": years[-1]}
        self.fields["aar"].initial = reporting_year(programme)


class ForespoerselForm(forms.Form):
    melding = forms.CharField(
        label=_("Message"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should the responsible unit update or clarify?"),
    )


class SvarForm(forms.Form):
    svar = forms.CharField(label=_("Reply"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
