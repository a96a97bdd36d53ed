from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from felles.forms import DateField, DocumentsField

from .models import Statusmelding
from .models.tiltak import LATEST_FIRST
from .services import MAX_REASON_LENGTH, MAX_TEXT_LENGTH, report_date_error


class StatusmeldingForm(forms.Form):
    """Input for a new statusmelding or a correction. The rules that must hold whoever calls (dates,
    permissions, closed programmes, what may be corrected) live in services.statusmelding_create; this form only
    parses and checks shape."""

    date = DateField(label=_("Date"))
    # An empty first choice: a measure with no status report yet gets none made up; one with a status starts
    # from it (the view's initial values).
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Choose status"))] + Statusmelding.Status.choices)
    vurdering = forms.ChoiceField(
        label=_("Assessment"),
        choices=[("", _("Choose assessment"))] + Statusmelding.Vurdering.choices,
        help_text=_("Is the measure on track to reach what the programme intends?"),
    )
    gjennomfoert = forms.CharField(
        label=_("What was done"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    resultater = forms.CharField(
        label=_("Results"), max_length=MAX_TEXT_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    neste_steg = forms.CharField(
        label=_("Next steps"), max_length=MAX_TEXT_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    intern_merknad = forms.CharField(
        label=_("Internal remark"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only shown to logged-in users; never on public pages or in the open API."),
    )
    korrigerer = forms.ModelChoiceField(
        label=_("Corrects"),
        queryset=Statusmelding.objects.none(),
        required=False,
        empty_label=_("No, this is a new status report"),
        help_text=_("Choose the earlier status report this one corrects, if any."),
    )
    correction_reason = forms.CharField(
        label=_("Why is it corrected? (optional)"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        help_text=_("Shown with the correction, e.g. «Wrong number of schools»."),
    )
    vedlegg = DocumentsField(label=_("Documents (optional)"), required=False)

    def __init__(self, *args, tiltak, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiltak = tiltak
        self.fields["vedlegg"].help_text = _(
            "PDF, Word, Excel, PowerPoint, PNG or JPEG, at most %(mb)s MB in all. Only logged-in users can open them; "
            "they are never public and cannot be removed later."
        ) % {"mb": settings.VEDLEGG_MAX_BYTES // (1024 * 1024)}
        # A withdrawn or already corrected statusmelding is not offered; the service refuses it too.
        self.fields["korrigerer"].queryset = tiltak.statusmeldinger.valid().order_by(*LATEST_FIRST)
        self.fields["korrigerer"].label_from_instance = lambda s: f"{s.date:%d.%m.%Y} – {s.get_status_display()}"

    def clean_date(self):
        date = self.cleaned_data["date"]
        if message := report_date_error(self.tiltak, date):
            raise forms.ValidationError(message)
        return date


class WithdrawForm(forms.Form):
    begrunnelse = forms.CharField(
        label=_("Reason for withdrawal"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
