"""The programme's and staff's own texts are Norwegian in any language of the interface, and say so: ``nb(text)``
marks one inside English chrome as bokmål (``<span lang="nb">``, WCAG 3.1.2), for a form's choice labels and
group headings as for templates (``{{ value|nb }}``, felles/templatetags/language.py)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString


def nb(value) -> SafeString | str:
    """The value (escaped) in a ``<span lang="nb">``; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html('<span lang="nb">{}</span>', value)
