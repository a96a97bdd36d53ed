from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField
from felles.language import nb

from .models import Sluttevaluering, SluttevalueringTiltak
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
                # The area's name marked as Norwegian (the rest is the catalogue's, the name escaped by nb()).
                label=mark_safe(gettext("Assessment of %(area)s") % {"area": nb(f"{omraade.nummer}. {omraade.navn}")}),  # noqa: S308
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


class SluttevalueringForm(forms.Form):
    """The final evaluation's texts: the overall evaluation, one per priority area (``omraade_<pk>``), a
    recommendation and a comment per tiltak (``anbefaling_<pk>``, ``kommentar_<pk>``), and the recommendation
    for the programme. The tiltak fields are grouped per area and innsatsområde by ``groups``."""

    overall_assessment = forms.CharField(
        label=_("Overall evaluation"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    programme_recommendation = forms.ChoiceField(
        label=_("Recommendation for the programme"), required=False, choices=()
    )
    programme_reasoning = forms.CharField(
        label=_("Reasoning for the recommendation"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
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
        self.fields["programme_recommendation"].choices = [("", gettext("Not decided"))] + list(
            Sluttevaluering.Anbefaling.choices
        )
        self.omraader = list(omraader)
        self.tiltak = []
        recommendations = [("", gettext("Not decided"))] + list(SluttevalueringTiltak.Anbefaling.choices)
        for omraade in self.omraader:
            self.fields[f"omraade_{omraade.pk}"] = forms.CharField(
                # The area's name marked as Norwegian (the rest is the catalogue's, the name escaped by nb()).
                label=mark_safe(gettext("Evaluation of %(area)s") % {"area": nb(f"{omraade.nummer}. {omraade.navn}")}),  # noqa: S308
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            for innsats in sorted(omraade.innsatsomraader.all(), key=lambda i: i.nummer):
                for tiltak in sorted(innsats.tiltak.all(), key=lambda t: t.nummer):
                    self.tiltak.append(tiltak)
                    self.fields[f"anbefaling_{tiltak.pk}"] = forms.ChoiceField(
                        label=gettext("Recommendation"), required=False, choices=recommendations
                    )
                    self.fields[f"kommentar_{tiltak.pk}"] = forms.CharField(
                        label=gettext("Comment"),
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )

    def groups(self):
        """Per area: its evaluation field, and per tiltak its two fields, for the template."""
        for omraade in self.omraader:
            rows = [
                (tiltak, self[f"anbefaling_{tiltak.pk}"], self[f"kommentar_{tiltak.pk}"])
                for tiltak in self.tiltak
                if tiltak.innsatsomraade.omraade_id == omraade.pk
            ]
            yield omraade, self[f"omraade_{omraade.pk}"], rows

    def omraade_texts(self) -> dict[int, str]:
        return {omraade.pk: self.cleaned_data[f"omraade_{omraade.pk}"] for omraade in self.omraader}

    def tiltak_recommendations(self) -> dict[int, tuple[str, str]]:
        return {
            tiltak.pk: (self.cleaned_data[f"anbefaling_{tiltak.pk}"], self.cleaned_data[f"kommentar_{tiltak.pk}"])
            for tiltak in self.tiltak
        }

    @staticmethod
    def initial_for(sluttevaluering) -> dict:
        initial = {
            "overall_assessment": sluttevaluering.overall_assessment,
            "programme_recommendation": sluttevaluering.programme_recommendation,
            "programme_reasoning": sluttevaluering.programme_reasoning,
            "fu_meeting_date": sluttevaluering.fu_meeting_date,
            "fu_saksnummer": sluttevaluering.fu_saksnummer,
        }
        initial.update({f"omraade_{v.omraade_id}": v.text for v in sluttevaluering.omraadevurderinger.all()})
        for a in sluttevaluering.tiltakanbefalinger.all():
            initial[f"anbefaling_{a.tiltak_id}"] = a.recommendation
            initial[f"kommentar_{a.tiltak_id}"] = a.comment
        return initial


class ApprovalSettingForm(forms.Form):
    """Whether the programme's reports need a second coordinator to approve them (four eyes)."""

    four_eyes_approval = forms.BooleanField(
        label=_("Approval needs a second coordinator"),
        required=False,
        help_text=_(
            "One coordinator marks an annual report or the final evaluation ready for approval, and another "
            "coordinator approves it. Applies to the drafts of this programme."
        ),
    )
