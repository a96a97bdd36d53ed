"""The programme file's sources: checked before anything is written, recorded once, never over a person's."""

import tomllib

import pytest
from django.utils import timezone

from handlingsprogram.models import Aktoer, Kilde, PrioritertOmraade
from nettverk.models import Medlemskap, Nettverk
from portal.loader import ProgrammeFileError, programme_data_load, programme_file_load
from tests.conftest import PROGRAMME_FILE
from tiltak.models import Ansvar, Tiltak


def file_data():
    with PROGRAMME_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    data["handlingsprogram"].pop("tekster")
    return data


def first_tiltak(data):
    return data["handlingsprogram"]["omraader"][0]["innsatsomraader"][0]["tiltak"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: first_tiltak(d).pop("kilde"), "missing kilde"),
        (lambda d: first_tiltak(d).update(kilde={"utledet": " "}), "needs its reasoning"),
        (lambda d: first_tiltak(d).update(kilde=""), "needs its reference"),
        (lambda d: first_tiltak(d).update(kidle="kap. 2.1"), "unknown key(s): kidle"),
        (lambda d: first_tiltak(d)["ansvar"][0]["kilder"].pop("rolle"), "missing kilder.rolle"),
        (lambda d: first_tiltak(d).update(kilder={"maal": {"x#1": "kap. 2.1"}}), "x#1 not in the list"),
    ],
)
def test_a_bad_source_stops_the_load_before_anything_is_written(programme, change, message):
    data = file_data()
    data["aktoerer"][0]["kilde"] = "a reference the loader would write first"
    data["aktoerer"].append({"slug": "ny-aktoer", "navn": "Ny aktør", "type": "annen", "kilde": "kap. 1.1"})
    change(data)
    kilder = list(Kilde.objects.values_list("pk", "type", "reference", "reasoning").order_by("pk"))
    with pytest.raises(ProgrammeFileError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        programme_data_load(data=data)
    assert "handlingsprogram.omraader[1]" in str(error.value)
    assert list(Kilde.objects.values_list("pk", "type", "reference", "reasoning").order_by("pk")) == kilder
    assert not Aktoer.objects.filter(slug="ny-aktoer").exists()


def facts_without_kilde():
    """Every programme fact the loader writes, less those with a Kilde."""
    missing = []

    def has(obj, field="", related=None):
        return any(k.field_name == field and k.related_id == related for k in obj.kilder.all())

    for model in (Tiltak, PrioritertOmraade, Nettverk, Medlemskap, Ansvar):
        for obj in model.objects.prefetch_related("kilder"):
            if not has(obj):
                missing.append(obj)
    for ansvar in Ansvar.objects.prefetch_related("kilder"):
        missing += [(ansvar, f) for f in ("rolle", "enhet") if (f == "rolle" or ansvar.enhet_id) and not has(ansvar, f)]
    for medlemskap in Medlemskap.objects.prefetch_related("kilder"):
        if medlemskap.nivaa != Medlemskap.Nivaa.IKKE_OPPGITT and not has(medlemskap, "nivaa"):
            missing.append((medlemskap, "nivaa"))
    for fact in [*PrioritertOmraade.objects.prefetch_related("kilder"), *Tiltak.objects.prefetch_related("kilder")]:
        missing += [(fact, "sdg", b) for b in fact.baerekraftsmaal.all() if not has(fact, "baerekraftsmaal", b.pk)]
        missing += [(fact, "maal", m) for m in fact.maal.all() if not has(fact, "maal", m.pk)]
    for nettverk in Nettverk.objects.prefetch_related("kilder"):
        missing += [(nettverk, t) for t in nettverk.tiltak.all() if not has(nettverk, "tiltak", t.pk)]
        missing += [(nettverk, o) for o in nettverk.omraader.all() if not has(nettverk, "omraader", o.pk)]
    return missing


def test_every_fact_of_the_programme_has_a_kilde(programme):
    assert Tiltak.objects.count() == 45
    assert facts_without_kilde() == []


def test_the_sources_say_what_the_document_states(programme):
    stated = Ansvar.objects.filter(kilder__field_name="", kilder__type=Kilde.Type.DOKUMENT)
    assert len({a.tiltak_id for a in stated}) == 9
    assert not Kilde.objects.filter(field_name__in=["enhet", "rolle"], type=Kilde.Type.DOKUMENT).exists()
    assert Medlemskap.objects.filter(nivaa=Medlemskap.Nivaa.IKKE_OPPGITT).count() == 40


def test_a_second_load_creates_no_kilde_and_keeps_a_persons(programme, django_user_model):
    user = django_user_model.objects.create(username="koordinator")
    tiltak = Tiltak.objects.order_by("pk").first()
    kilde = tiltak.kilder.get(field_name="")
    kilde.type, kilde.reference, kilde.recorded_by, kilde.recorded_at = "person", "", user, timezone.now()
    kilde.save()
    other = Tiltak.objects.order_by("pk").last().kilder.get(field_name="")
    other.reference = "stale"
    other.save()
    count = Kilde.objects.count()

    result = programme_file_load(path=PROGRAMME_FILE)

    assert Kilde.objects.count() == count
    assert result.created["sources"] == 0
    kilde.refresh_from_db()
    other.refresh_from_db()
    assert (kilde.type, kilde.recorded_by) == ("person", user)
    assert other.reference != "stale"


def test_a_level_defaulted_to_administrativ_becomes_not_stated(programme):
    medlemskap = Medlemskap.objects.filter(nivaa=Medlemskap.Nivaa.IKKE_OPPGITT).first()
    Medlemskap.objects.filter(pk=medlemskap.pk).update(nivaa=Medlemskap.Nivaa.ADMINISTRATIV)
    count = Medlemskap.objects.count()
    programme_file_load(path=PROGRAMME_FILE)
    medlemskap.refresh_from_db()
    assert medlemskap.nivaa == Medlemskap.Nivaa.IKKE_OPPGITT
    assert Medlemskap.objects.count() == count
