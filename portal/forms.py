"""Forms of the cross-app pages: correcting one inferred fact."""

from django import forms
from django.utils.translation import gettext_lazy as _

from handlingsprogram.services import field_formfield, link_target_queryset


class KildeFieldForm(forms.Form):
    """The one field an inferred field fact is about, as the model's own form field (another unit of the same
    actor, another role, another level …)."""

    def __init__(self, *args, fact, field, **kwargs):
        super().__init__(*args, **kwargs)
        formfield = field_formfield(fact=fact, field=field)
        formfield.label = str(field.verbose_name).capitalize()
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
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REPLACE and not cleaned.get("target"):
            self.add_error("target", _("Choose what the link should point to instead."))
        return cleaned
