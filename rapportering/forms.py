from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField

from .services import MAX_TEXT_LENGTH


class AarsrapportCreateForm(forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [(year, str(year)) for year in range(programme.start_year, programme.end_year + 1)]


class AarsrapportForm(forms.Form):
    """The editorial parts of a draft; one assessment field per priority area (``vurdering_<pk>``)."""

    sammendrag = forms.CharField(
        label=_("Summary"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
    endrede_forutsetninger = forms.CharField(
        label=_("Changed conditions and assumptions"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Conditions and assumptions that have changed since the programme or the last annual report."),
    )
    fu_meeting_date = DateField(label=_("Meeting date in Fylkesutvalget"), required=False)
    fu_saksnummer = forms.CharField(
        label=_("Case number in Fylkesutvalget"),
        required=False,
        max_length=40,
        help_text=_("For example 21/01234."),
    )

    def __init__(self, *args, omraader, **kwargs):
        super().__init__(*args, **kwargs)
        self.omraader = list(omraader)
        for omraade in self.omraader:
            self.fields[f"vurdering_{omraade.pk}"] = forms.CharField(
                label=gettext("Assessment of %(area)s") % {"area": f"{omraade.nummer}. {omraade.navn}"},
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def vurderinger(self) -> dict[int, str]:
        return {omraade.pk: self.cleaned_data[f"vurdering_{omraade.pk}"] for omraade in self.omraader}

    @staticmethod
    def initial_for(aarsrapport) -> dict:
        initial = {
            "sammendrag": aarsrapport.sammendrag,
            "endrede_forutsetninger": aarsrapport.endrede_forutsetninger,
            "fu_meeting_date": aarsrapport.fu_meeting_date,
            "fu_saksnummer": aarsrapport.fu_saksnummer,
        }
        initial.update({f"vurdering_{v.omraade_id}": v.tekst for v in aarsrapport.vurderinger.all()})
        return initial


class ReopenForm(forms.Form):
    reopened_reason = forms.CharField(
        label=_("Why is the report reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the new version. The approved version stays available."),
    )
