from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_LEVERING, Levering, Varsel


class VarselinnstillingerForm(forms.Form):
    """One choice per kind of notification; the default is marked in the options and said in the help text."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Varsel.Kind.choices:
            default = DEFAULT_LEVERING[kind]
            choices = [
                (value, _("%(choice)s (default)") % {"choice": text} if value == default else text)
                for value, text in Levering.choices
            ]
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=choices,
                initial=current[kind],
                help_text=_("Default: %(choice)s.") % {"choice": Levering(default).label},
            )
