from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (åååå-mm-dd), whatever the page's language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
