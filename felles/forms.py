"""Form fields and the messages services and forms share."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formatting import format_number, parse_decimal
from .widgets import DateInput

# What the date picker sends, and what a user types where there is no picker.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateField(forms.DateField):
    """A date from the browser's date picker, or typed as dd.mm.åååå."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class NorwegianDecimalField(forms.DecimalField):
    """A number as Norwegians type it: «926 000», «21,5». Bounds per unit are the service's business."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a number, e.g. 926 000 or 21,5."), code="invalid") from None

    def validate(self, value):
        forms.Field.validate(self, value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, language="nb").replace("\u00a0", " ")
        return value


def text_too_long(limit: int) -> str:
    """The message for a text over ``limit`` characters, as services put it in their ValidationError."""
    return gettext("The text is too long (at most %(max)s characters).") % {"max": format_number(limit)}


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one of the form's fields, else at
    the top. Views call services after ``form.is_valid()``; the rules that hold whoever calls live there."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def all_choice(label=None) -> list[tuple[str, str]]:
    """The empty first choice of a filter select: «Alle» (or ``label``)."""
    return [("", label or _("All"))]


def style_inputs(form: forms.Form) -> None:
    """Give every field of a filter form Designsystemet's input look."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "ds-input")


class MultipleDocumentInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Zero or more documents chosen at once (a list of uploads); each is checked by ``felles.vedlegg.check_upload``
    in the service that stores it, so the form only collects them."""

    widget = MultipleDocumentInput

    def __init__(self, **kwargs):
        from .vedlegg import ACCEPT

        kwargs.setdefault("widget", MultipleDocumentInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            super().clean(None, initial)  # "required" when the field is
            return []
        return [super(DocumentsField, self).clean(item, initial) for item in items]
