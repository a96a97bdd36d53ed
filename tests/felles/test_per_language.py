"""felles.formatting.per_language: a repeated part of a row, kept per language and arguments."""

from django.utils import translation
from django.utils.translation import gettext as _

from felles.formatting import per_language
from tiltak.templatetags.tiltak_tags import status_tags


def test_a_part_is_computed_once_per_language_and_arguments():
    calls = []

    @per_language
    def label(value):
        calls.append((translation.get_language(), value))
        return f"{_('Yes')} {value}"

    with translation.override("nb"):
        assert label(1) == "Ja 1"
        assert label(1) == "Ja 1"
        assert label(2) == "Ja 2"
    with translation.override("en"):
        assert label(1) == "Yes 1"
    assert calls == [("nb", 1), ("nb", 2), ("en", 1)]


def test_the_status_tags_follow_the_language():
    with translation.override("nb"):
        norwegian = status_tags("paagaar", "risiko", True)
    with translation.override("en"):
        english = status_tags("paagaar", "risiko", True)
    assert ">Pågår</span>" in norwegian and ">Risiko</span>" in norwegian and ">Demo</span>" in norwegian
    assert ">In progress</span>" in english and "Pågår" not in english
