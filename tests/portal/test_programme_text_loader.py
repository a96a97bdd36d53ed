"""Loading the programme document's text: twice changes nothing, and a malformed part stops the load, before anything
is written, with a message that says which part and what is wrong."""

import copy
import tomllib

import pytest
from django.core.management import CommandError, call_command

from handlingsprogram.models import Programtekst
from portal.loader import ProgrammeFileError, programme_data_load, programme_file_load
from tests.conftest import PROGRAMME_FILE

TEXTS_FILE = PROGRAMME_FILE.parent / "handlingsprogram-2020-2023-tekst.toml"
PARTS = "programme texts"  # LoadResult counts by the model's plural name, in the active language


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def snapshot():
    return list(Programtekst.objects.order_by("pk").values())


def test_second_load_changes_no_part(programme):
    before = snapshot()
    assert len(before) == 27
    result = programme_file_load(path=PROGRAMME_FILE)
    assert result.created[PARTS] == 0 and result.existing[PARTS] == 27
    assert snapshot() == before  # not even updated_at moved


def test_reload_keeps_an_edited_part_and_restores_a_deleted_one(programme):
    chapter = programme.tekster.get(key="1.3")
    chapter.text = "Rettet av koordinator"
    chapter.save()
    programme.tekster.get(key="vedlegg-5").delete()

    result = programme_file_load(path=PROGRAMME_FILE)

    assert result.created[PARTS] == 1
    assert programme.tekster.get(key="1.3").text == "Rettet av koordinator"
    restored = programme.tekster.get(key="vedlegg-5")
    assert restored.position == 27 and "‘China 2022’" in restored.text


@pytest.fixture
def programme_data():
    """The programme file with its texts read in, as programme_data_load takes it."""
    with PROGRAMME_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    with TEXTS_FILE.open("rb") as handle:
        data["handlingsprogram"]["tekster"] = tomllib.load(handle)["tekster"]
    return data


def parts_of(data):
    return data["handlingsprogram"]["tekster"]


def part(data, key):
    return next(row for row in parts_of(data) if row["key"] == key)


def broken(data, change):
    data = copy.deepcopy(data)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: part(d, "1.4").pop("source"), "tekster[10] ('1.4'): missing required key(s): source."),
        (lambda d: part(d, "1.4").pop("title"), "tekster[10] ('1.4'): missing required key: title"),
        (lambda d: part(d, "fotnote-2").update(text=" "), "('fotnote-2'): missing required key: text"),
        (lambda d: part(d, "vedlegg-5").update(key="vedlegg-4"), "('vedlegg-4'): the key is used twice"),
        (lambda d: part(d, "vedlegg-5").update(key="Vedlegg 5"), "('Vedlegg 5'): the key must be lower-case"),
        (lambda d: part(d, "vedlegg-5").update(type="kapitel"), "unknown type 'kapitel'; one of: faktaboks, figur,"),
        (lambda d: part(d, "vedlegg-2").update(modelled_as="program"), "unknown modelled_as 'program'"),
        (lambda d: part(d, "1.4").update(tittel="x"), "('1.4'): unknown key(s): tittel."),
        (lambda d: part(d, "1.4").update(forelder="9"), "('1.4'): forelder '9' is not the key of a part listed before"),
        (lambda d: part(d, "1.1").update(forelder="1.4"), "('1.1'): forelder '1.4' is not the key of a part listed"),
        (lambda d: part(d, "2.1").update(omraade=9), "('2.1'): omraade 9 is not the number of an area"),
        (lambda d: part(d, "2.1").pop("omraade"), "('2.1'): omraade (the area's number) goes with modelled_as"),
        (lambda d: part(d, "fotnote-2").update(refers_to="LIFE3"), "('fotnote-2'): refers_to 'LIFE3' must occur"),
        # «regionen» is in 2.4's text many times: the footnote's place would be a guess.
        (lambda d: part(d, "fotnote-3").update(refers_to="regionen"), "must occur exactly once in the text of '2.4'"),
        (lambda d: part(d, "1.1").update(refers_to="x"), "('1.1'): refers_to is only for footnotes."),
        (lambda d: part(d, "1.4").update(number=4), "('1.4'): number must be a string."),
        (lambda d: part(d, "fotnote-1").pop("number"), "('fotnote-1'): a footnote's number is required"),
        (lambda d: d["handlingsprogram"].update(tekster="tekst.toml"), "must be a list of parts or the name of a file"),
    ],
)
def test_a_malformed_part_stops_the_load_before_anything_is_written(db, programme_data, change, message):
    Programtekst.objects.all().delete()
    with pytest.raises(ProgrammeFileError) as raised:
        programme_data_load(data=broken(programme_data, change))
    assert message in str(raised.value)
    assert not Programtekst.objects.exists()


def test_the_texts_file_must_be_there(tmp_path):
    programme_file = tmp_path / "program.toml"
    programme_file.write_text('[handlingsprogram]\nslug = "x"\ntekster = "mangler.toml"\n', encoding="utf-8")
    with pytest.raises(ProgrammeFileError, match="names 'mangler.toml': no such file"):
        programme_file_load(path=programme_file)


def test_the_command_reports_a_malformed_file_as_an_error(db, tmp_path):
    (tmp_path / "tekst.toml").write_text('[[tekster]]\nkey = "1"\ntype = "kapittel"\n', encoding="utf-8")
    programme_file = tmp_path / "program.toml"
    programme_file.write_text(
        '[handlingsprogram]\nslug = "x"\nnavn = "X"\nstart_year = 2020\nend_year = 2023\ntekster = "tekst.toml"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"tekster\[1\] \('1'\): missing required key\(s\): source."):
        call_command("load_programme", str(programme_file))
