from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField, NorwegianDecimalField, all_choice, style_inputs
from felles.language import nb
from felles.widgets import GroupedCheckboxSelectMultiple, NorwegianChoicesSelect
from handlingsprogram.models import Aktoer, Finansieringsprogram, Handlingsprogram, PrioritertOmraade
from tiltak.forms_oversikt import Q_MAX_LENGTH
from tiltak.models import Tiltak

from .models import Indikator, Prosjekt
from .models.prosjekt import Valuta
from .rules import ProsjektData
from .selectors import ProsjektFilter
from .services import MAX_TEXT_LENGTH

YEAR_FIELD = {"min_value": 1900, "max_value": 2100, "widget": forms.NumberInput(attrs={"inputmode": "numeric"})}


class IndikatorForm(forms.Form):
    """An indikator's definition. On a new one, ``maaler`` says what it measures: «t<id>» a tiltak, «o<id>» a
    priority area."""

    maaler = forms.ChoiceField(label=_("What it measures"), widget=NorwegianChoicesSelect)
    navn = forms.CharField(label=_("Name"), max_length=200)
    beskrivelse = forms.CharField(
        label=_("Description"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    maaleenhet = forms.ChoiceField(label=_("Unit of measure"), choices=Indikator.Maaleenhet.choices)
    retning = forms.ChoiceField(label=_("Direction"), choices=Indikator.Retning.choices)
    basis_verdi = NorwegianDecimalField(label=_("Baseline value"))
    basis_aar = forms.IntegerField(label=_("Baseline year"), **YEAR_FIELD)
    basis_kilde = forms.CharField(
        label=_("Baseline source"), max_length=500, help_text=_("E.g. the programme document and its chapter.")
    )
    maal_verdi = NorwegianDecimalField(label=_("Target value"), required=False)
    maal_aar = forms.IntegerField(label=_("Target year"), required=False, **YEAR_FIELD)

    def __init__(self, *args, programme=None, indikator: Indikator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if indikator is not None:
            del self.fields["maaler"]
            return
        # A priority area by its number («2. Utdanning og kompetanse»), a measure by its code («2.1.2 …»): the
        # programme's own names, marked as Norwegian (an option can hold no markup for an English word beside them).
        choices = [("", _("Choose a measure or a priority area"))]
        for omraade in programme.omraader.order_by("nummer"):
            choices.append((f"o{omraade.pk}", f"{omraade.nummer}. {omraade.navn}"))
        tiltak_list = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
            "innsatsomraade__omraade"
        )
        choices += [(f"t{t.pk}", f"{t.kode} {t.tekst[:90]}") for t in tiltak_list]
        self.fields["maaler"].choices = choices
        self._tiltak = {t.pk: t for t in tiltak_list}
        self._omraader = {o.pk: o for o in programme.omraader.all()}

    def clean_maaler(self):
        value = self.cleaned_data["maaler"]
        kind, pk = value[:1], value[1:]
        if kind == "t" and pk.isdigit() and int(pk) in self._tiltak:
            return {"tiltak": self._tiltak[int(pk)]}
        if kind == "o" and pk.isdigit() and int(pk) in self._omraader:
            return {"omraade": self._omraader[int(pk)]}
        raise forms.ValidationError(_("Choose a measure or a priority area from the list."))


class IndikatorverdiForm(forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int)
    verdi = NorwegianDecimalField(label=_("Value"))
    kilde = forms.CharField(label=_("Source"), max_length=500, help_text=_("Where the figure comes from."))
    kommentar = forms.CharField(
        label=_("Comment"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [(aar, str(aar)) for aar in reversed(years)]
        self.fields["verdi"].help_text = _(
            "A value already recorded for the year is corrected; the change history keeps the old one."
        )


class ProsjektForm(forms.Form):
    ekstern_id = forms.CharField(
        label=_("Project number"),
        max_length=100,
        help_text=_("The funding programme's project or grant agreement number. Imports match rows by it."),
    )
    navn = forms.CharField(label=_("Name"), max_length=300)
    akronym = forms.CharField(label=_("Acronym"), max_length=50, required=False)
    finansieringsprogram = forms.ModelChoiceField(
        label=_("Funding programme"),
        queryset=Finansieringsprogram.objects.select_related("forelder"),
        widget=NorwegianChoicesSelect,
    )
    utlysning = forms.CharField(
        label=_("Sub-programme or call"), max_length=200, required=False, help_text=_("E.g. «KA1 mobility in VET».")
    )
    rolle = forms.ChoiceField(label=_("Trøndelag's role"), choices=Prosjekt.Rolle.choices)
    aktoerer = forms.ModelMultipleChoiceField(
        label=_("Trøndelag organisations"),
        queryset=Aktoer.objects.order_by("navn"),
        required=False,
        widget=GroupedCheckboxSelectMultiple(),
    )
    start_date = DateField(label=_("Start"))
    end_date = DateField(label=_("End"))
    status = forms.ChoiceField(label=_("Status"), choices=Prosjekt.Status.choices)
    totalbudsjett = NorwegianDecimalField(label=_("Total budget"))
    innvilget_trondelag = NorwegianDecimalField(
        label=_("Granted to Trøndelag partners"), help_text=_("In the same currency as the total budget.")
    )
    valuta = forms.ChoiceField(label=_("Currency"), choices=Valuta.choices)
    tiltak = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=Tiltak.objects.none(),
        required=False,
        widget=GroupedCheckboxSelectMultiple(group_by=lambda tiltak: nb(tiltak.innsatsomraade)),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finansieringsprogram"].label_from_instance = lambda fp: (
            f"{fp.forelder.navn} – {fp.navn}" if fp.forelder_id else fp.navn
        )
        self.fields["tiltak"].queryset = Tiltak.objects.filter(
            innsatsomraade__omraade__handlingsprogram=programme
        ).select_related("innsatsomraade__omraade")
        self.fields["tiltak"].label_from_instance = lambda t: format_html("{} {}", t.kode, nb(t.tekst[:80]))
        self.fields["aktoerer"].label_from_instance = nb

    @staticmethod
    def initial_from(prosjekt: Prosjekt) -> dict:
        initial = {name: getattr(prosjekt, name) for name in ProsjektData.SCALAR_FIELDS}
        return initial | {"aktoerer": list(prosjekt.aktoerer.all()), "tiltak": list(prosjekt.tiltak.all())}

    def prosjekt_data(self) -> ProsjektData:
        data = dict(self.cleaned_data)
        data["aktoerer"] = list(data["aktoerer"])
        data["tiltak"] = list(data["tiltak"])
        for name in ("ekstern_id", "navn", "akronym", "utlysning"):
            data[name] = data[name].strip()
        return ProsjektData(**data)


class ProsjektImportForm(forms.Form):
    fil = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("The same columns as the project export. Download the export to get a template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_fil(self):
        # By the size the upload reports, before the view reads the file into memory.
        fil = self.cleaned_data["fil"]
        limit = settings.PROSJEKT_IMPORT_MAX_BYTES
        if fil.size > limit:
            raise forms.ValidationError(
                _("The file is too large (at most %(max)s MB)."), code="too_large", params={"max": limit // 1024**2}
            )
        return fil


class ValutakursForm(forms.Form):
    aar = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    valuta = forms.ChoiceField(label=_("Currency"), choices=[c for c in Valuta.choices if c[0] != Valuta.NOK])
    kurs = NorwegianDecimalField(label=_("NOK per unit"), help_text=_("E.g. Norges Bank's annual average: 10,72."))
    kilde = forms.CharField(label=_("Source"), max_length=300, required=False)


class ProsjektFilterForm(forms.Form):
    """The project list's filters. An invalid field carries its error and is ignored."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=Q_MAX_LENGTH, help_text=_("Name, acronym or project number.")
    )
    finansieringsprogram = forms.ModelChoiceField(
        label=_("Funding programme"),
        queryset=Finansieringsprogram.objects.select_related("forelder"),
        required=False,
        empty_label=_("All"),
        widget=NorwegianChoicesSelect,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=all_choice() + list(Prosjekt.Status.choices))
    aar = forms.TypedChoiceField(label=_("Start year"), coerce=int, required=False, empty_value=None)
    omraade = forms.ModelChoiceField(
        label=_("Priority area"),
        queryset=PrioritertOmraade.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=NorwegianChoicesSelect,
    )

    def __init__(self, data=None, *, programme: Handlingsprogram, years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["finansieringsprogram"].label_from_instance = lambda fp: (
            f"{fp.forelder.navn} – {fp.navn}" if fp.forelder_id else fp.navn
        )
        self.fields["aar"].choices = all_choice() + [(year, str(year)) for year in years]
        self.fields["omraade"].queryset = programme.omraader.order_by("nummer")
        self.fields["omraade"].label_from_instance = lambda omraade: f"{omraade.nummer}. {omraade.navn}"
        style_inputs(self)

    def to_filter(self) -> ProsjektFilter:
        if not self.is_bound:
            return ProsjektFilter()
        self.is_valid()
        data = self.cleaned_data
        return ProsjektFilter(
            finansieringsprogram=data["finansieringsprogram"].pk if data.get("finansieringsprogram") else None,
            status=data.get("status") or "",
            aar=data.get("aar"),
            omraade=data["omraade"].pk if data.get("omraade") else None,
            q=data.get("q") or "",
        )


class FundingYearForm(forms.Form):
    """The funding page: all years, or the projects that started in one."""

    aar = forms.TypedChoiceField(label=_("Start year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["aar"].choices = [("", _("All years"))] + [(year, str(year)) for year in years]
        style_inputs(self)

    @property
    def year(self) -> int | None:
        return self.cleaned_data.get("aar") if self.is_valid() else None
