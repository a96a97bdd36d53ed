import html

from django import forms
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (åååå-mm-dd), whatever the page's language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NorwegianChoicesSelect(forms.Select):
    """A select whose choices are the programme's own names (areas, funding programmes): each option but the
    empty one is marked ``lang="nb"`` (an option holds no markup, so the mark is on the option itself)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in ("", None):
            option["attrs"]["lang"] = "nb"
        return option


def escape(value) -> str:
    """django.utils.html.conditional_escape without its checks for lazy arguments, for the hundreds of options of
    a long list: safe HTML as it is, anything else escaped as Django escapes it."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A long multiple choice as a list of checkboxes, one fieldset per group, with a filter box.

    A <select multiple> asks the user to hold Ctrl (impossible on a phone) and shows a few rows of a long list.
    Here every option is a checkbox; ``group_by`` (called with each choice's model instance, or its value for
    plain choices) names the group it is shown under, in the order the choices come. The filter box is hidden in
    the markup and shown by static/js/choices_filter.js, so without JavaScript the whole list is simply there.
    The field's label is the legend of the fieldset _form_field.html puts around the list. A label or group name
    may be safe HTML, so that the programme's own names in it are marked as Norwegian (felles.language.nb)."""

    template_name = "felles/widgets/grouped_checkboxes.html"
    renders_own_options = True  # _form_field.html renders the widget itself instead of looping over options

    def __init__(self, *, group_by=None, attrs=None):
        super().__init__(attrs)
        self.group_by = group_by

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        for _group_name, options, _index in groups:
            for option in options:
                option["html"] = self.option_html(option)
        if self.group_by is None:
            return groups
        regrouped = {}
        for group_name, options, _index in groups:
            for option in options:
                choice = option["value"]
                key = self.group_by(getattr(choice, "instance", choice)) if choice not in ("", None) else group_name
                regrouped.setdefault(key, []).append(option)
        return [(key, options, index) for index, (key, options) in enumerate(regrouped.items())]

    @staticmethod
    def option_html(option) -> str:
        """One checkbox and its label, built here rather than by a template loop per option: the deltagelse form
        lists every tiltak (450 at 10× the programme), and the template took about 0.3 ms an option."""
        attrs = "".join(
            f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
            for name, value in option["attrs"].items()
            if name != "class" and value is not False
        )
        return mark_safe(  # noqa: S308 -- every part is escaped above or below
            f'<input type="checkbox" name="{escape(option["name"])}" value="{escape(str(option["value"]))}" '
            f'class="ds-input"{attrs}>\n        <label class="ds-label" data-weight="regular" '
            f'for="{escape(str(option["attrs"].get("id", "")))}">{escape(str(option["label"]))}</label>'
        )
