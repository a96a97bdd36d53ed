import html

from django import forms
from django.db.models import F
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField
from felles.language import nb
from felles.vedlegg import ACCEPT
from felles.widgets import GroupedCheckboxSelectMultiple, NorwegianChoicesSelect
from handlingsprogram.models import Handlingsprogram, User
from tiltak import selectors as tiltak_selectors
from tiltak.models import Tiltak

from . import services
from .models import Deltagelse, Nettverk

MAX_TEXT_LENGTH = 20_000


class TiltakChoices:
    """The tiltak a meeting may serve, as the checkboxes' (pk, "2.1.3 text") in the programme document's order,
    with each one's innsatsområde in ``groups``: read as plain values in one query when the form is shown. Model
    instances with their innsatsområde, område and programme took most of the form's time at ten times the
    programme (450 tiltak, 190 ms); the field still checks a submitted choice against its queryset."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.groups: dict[int, str] = {}

    def __call__(self) -> list[tuple[int, str]]:
        rows = tiltak_selectors.tiltak_choice_rows(self.queryset)
        # Built with the standard library's escape (what django.utils.html.escape calls) rather than format_html
        # and nb(), whose lazy-argument checks took a third of the form's time for 900 strings.
        choices = []
        for pk, nummer, tekst, innsats_nummer, innsats_navn, omraade_nummer in rows:
            text = f' <span lang="nb">{html.escape(tekst[:90])}</span>' if tekst else " "
            choices.append((pk, mark_safe(f"{omraade_nummer}.{innsats_nummer}.{nummer}{text}")))  # noqa: S308
            self.groups[pk] = mark_safe(  # noqa: S308 -- escaped here
                f'<span lang="nb">{html.escape(f"{omraade_nummer}.{innsats_nummer} {innsats_navn}")}</span>'
            )
        return choices


class DeltagelseForm(forms.ModelForm):
    """Parses and checks the shape of a deltagelse; the rules (who may, what each status needs) are in services."""

    class Meta:
        model = Deltagelse
        fields = [*services.FIELDS, "deltakere", "tiltak"]  # laid out field by field in the template
        field_classes = {"start": DateField, "end": DateField}
        widgets = {
            "nettverk": NorwegianChoicesSelect,
            "eksterne_deltakere": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT_LENGTH})
                for name in ["formaal", "posisjoner", "forberedelser", "referat", "oppfoelging", "laering", "deling"]
            },
            # Checkbox lists, not <select multiple>: nobody has to hold Ctrl, and they work on a phone.
            # The programme's and units' names are marked as Norwegian in the English interface.
            "deltakere": GroupedCheckboxSelectMultiple(
                group_by=lambda user: nb(user.enhet) if user.enhet else _("No unit")
            ),
            "tiltak": GroupedCheckboxSelectMultiple(),  # grouped by innsatsområde (TiltakChoices)
        }
        help_texts = {
            "posisjoner": _("Internal: only staff see it."),
            "forberedelser": _("Internal: only staff see it."),
            "referat": _("Public: shown on the portal and in the open API."),
            "formaal": _("Public: shown on the portal and in the open API."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nettverk"].queryset = Nettverk.objects.order_by("navn")
        # Grouped by unit, so ordered by it first; users without a unit come last.
        self.fields["deltakere"].queryset = (
            User.objects.filter(is_active=True)
            .select_related("enhet__aktoer")
            .order_by(F("enhet__aktoer__navn").asc(nulls_last=True), "enhet__navn", "first_name", "username")
        )
        self.fields["deltakere"].label_from_instance = lambda u: u.get_full_name() or u.username
        # A meeting serves adopted (or archived) measures, never a draft successor's copies of them.
        self.fields["tiltak"].queryset = Tiltak.objects.exclude(
            innsatsomraade__omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST
        )
        tiltak_choices = TiltakChoices(self.fields["tiltak"].queryset)
        self.fields["tiltak"].choices = tiltak_choices
        self.fields["tiltak"].widget.group_by = tiltak_choices.groups.__getitem__

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        return data

    def _post_clean(self):
        # The model is validated and saved by the service, with the user's permissions; not here.
        pass


class NettverkFilterForm(forms.Form):
    """The register's filters (GET). An unknown value is an error shown next to its field, never a 500."""

    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *Nettverk.Type.choices])
    geografi = forms.ChoiceField(
        label=_("Geography"), required=False, choices=[("", _("All")), *Nettverk.Geografi.choices]
    )
    omraade = forms.ModelChoiceField(
        label=_("Priority area"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("All areas"),
        widget=NorwegianChoicesSelect,
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        from handlingsprogram.models import PrioritertOmraade

        qs = PrioritertOmraade.objects.order_by("nummer")
        self.fields["omraade"].queryset = qs.filter(handlingsprogram=programme) if programme else qs.none()

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


class VedleggForm(forms.Form):
    fil = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG. Only staff can open it."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
