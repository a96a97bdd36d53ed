"""GET forms of the internal overview pages: the year of the status dashboard and the tiltak list's filters.

Both only parse the query string. Whatever it holds, they give the view something to show: a field that does
not validate carries its error and is ignored, and an invalid year falls back to the reporting year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.forms import all_choice, style_inputs
from felles.widgets import NorwegianChoicesSelect
from handlingsprogram.models import Handlingsprogram

from .models import Statusmelding
from .selectors import TiltakFilter, filter_choices, programme_years, reporting_year

NO_STATUS = "ingen"
Q_MAX_LENGTH = 200


class _YearMixin:
    """An ``aar`` select limited to the programme's years, defaulting to the reporting year."""

    def _init_year(self, programme: Handlingsprogram) -> None:
        years = programme_years(programme)
        self.default_year = reporting_year(programme)
        field = self.fields["aar"]
        field.choices = [(year, str(year)) for year in years]
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": _("Choose a year in the programme period %(start)s–%(end)s.")
            % {"start": years[0], "end": years[-1]},
        }
        if self.is_bound and not self.data.get("aar"):
            self.data = self.data.copy()
            self.data["aar"] = str(self.default_year)

    def full_clean(self):
        super().full_clean()
        if self._errors and "aar" in self._errors:
            # The page falls back to the default year; the select shows that year, the error sits next to it.
            self.data = self.data.copy()
            self.data["aar"] = str(self.default_year)

    @property
    def year(self) -> int:
        """The year to show: the valid ``aar``, or the default."""
        if self.is_bound:
            self.is_valid()  # validates once; cleaned_data then holds every field that is valid
            if year := self.cleaned_data.get("aar"):
                return year
        return self.default_year


class YearForm(_YearMixin, forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, programme: Handlingsprogram, **kwargs):
        super().__init__(data, **kwargs)
        self._init_year(programme)
        style_inputs(self)


class TiltakFilterForm(_YearMixin, forms.Form):
    omraade = forms.TypedChoiceField(
        label=_("Priority area"), coerce=int, required=False, empty_value=None, widget=NorwegianChoicesSelect
    )
    innsatsomraade = forms.TypedChoiceField(
        label=_("Focus area"), coerce=int, required=False, empty_value=None, widget=NorwegianChoicesSelect
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=all_choice() + [(NO_STATUS, _("No status report yet"))] + list(Statusmelding.Status.choices),
    )
    vurdering = forms.ChoiceField(
        label=_("Assessment"), required=False, choices=all_choice() + list(Statusmelding.Vurdering.choices)
    )
    aktoer = forms.TypedChoiceField(
        label=_("Actor"), coerce=int, required=False, empty_value=None, widget=NorwegianChoicesSelect
    )
    enhet = forms.TypedChoiceField(
        label=_("Unit"), coerce=int, required=False, empty_value=None, widget=NorwegianChoicesSelect
    )
    baerekraftsmaal = forms.TypedChoiceField(
        label=_("Sustainable development goal"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=NorwegianChoicesSelect,
    )
    ikke_rapportert = forms.BooleanField(label=_("Not reported this year"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=Q_MAX_LENGTH,
        help_text=_("Searches the measure's text, its focus area and what its status reports say was done."),
    )
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    field_order = [
        "aar",
        "q",
        "omraade",
        "innsatsomraade",
        "status",
        "vurdering",
        "aktoer",
        "enhet",
        "baerekraftsmaal",
        "ikke_rapportert",
    ]

    def __init__(self, data=None, *, programme: Handlingsprogram, **kwargs):
        super().__init__(data, **kwargs)
        self._init_year(programme)
        # The choices are the programme's (selectors.filter_choices, kept while the data is unchanged); a value
        # not among them is an invalid choice, so a filter never names a focus area, actor or unit it does not offer.
        choices = filter_choices(programme=programme)
        self.fields["omraade"].choices = all_choice() + choices.omraader
        self.fields["innsatsomraade"].choices = all_choice() + choices.innsatsomraader
        self.fields["aktoer"].choices = all_choice() + choices.aktoerer
        self.fields["enhet"].choices = all_choice() + choices.enheter
        self.fields["baerekraftsmaal"].choices = all_choice() + choices.baerekraftsmaal
        style_inputs(self)

    def to_filter(self) -> TiltakFilter:
        """The filters to apply; with any error, none (the list shows every tiltak, the errors say why)."""
        if not self.is_valid():
            return TiltakFilter()
        data = self.cleaned_data
        return TiltakFilter(
            omraade=data["omraade"],
            innsatsomraade=data["innsatsomraade"],
            status=data["status"] or None,
            vurdering=data["vurdering"] or None,
            aktoer=data["aktoer"],
            enhet=data["enhet"],
            baerekraftsmaal=data["baerekraftsmaal"],
            ikke_rapportert=data["ikke_rapportert"],
            q=data["q"],
        )
