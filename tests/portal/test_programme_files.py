"""Loading a programme other than 2020–2023 from a file, and writing a programme back out (issue 16: «Start a
programme from a file»): the round trip export → load into an empty database keeps the structure and the sources."""

import copy
import io
import tomllib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from handlingsprogram.models import Handlingsprogram, Innsatsomraade, Kilde, PrioritertOmraade, Programtekst, User
from nettverk.models import Medlemskap, Nettverk
from portal.loader import ProgrammeFileError, programme_data_load, programme_file_load
from portal.programme_export import programme_export, programme_export_toml
from resultater.models import Indikator
from tests.conftest import PROGRAMME_SLUG
from tiltak import rullering_services
from tiltak.models import Ansvar, Tiltak, TiltakRullering

NEW_SLUG = "internasjonalt-handlingsprogram-2024-2027"


def successor_data(programme) -> dict:
    """The 2020–2023 programme as a file, renamed 2024–2027 with one measure's text changed and no state."""
    data = programme_export(programme=programme)
    row = data["handlingsprogram"]
    row.update(slug=NEW_SLUG, navn="Internasjonalt handlingsprogram 2024–2027", start_year=2024, end_year=2027)
    for name in ("state", "vedtak"):
        row.pop(name, None)
    row["omraader"][0]["innsatsomraader"][0]["tiltak"][0]["tekst"] = "Et nytt tiltak for 2024–2027"
    return data


def structure(slug: str) -> dict:
    """A programme as plain values, with no database ids: what a round trip must keep."""
    programme = Handlingsprogram.objects.get(slug=slug)
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
        "innsatsomraade__omraade"
    )
    return {
        "programme": (programme.navn, programme.start_year, programme.end_year, programme.state, programme.innledning),
        "omraader": sorted(
            (o.nummer, o.navn, o.slug, o.innledning, tuple(sorted(b.nummer for b in o.baerekraftsmaal.all())))
            for o in programme.omraader.all()
        ),
        "innsats": sorted(
            (i.kode, i.navn, i.navn_oversikt)
            for i in Innsatsomraade.objects.filter(omraade__handlingsprogram=programme)
        ),
        "tiltak": sorted(
            (
                t.kode,
                t.tekst,
                tuple(sorted(b.nummer for b in t.baerekraftsmaal.all())),
                tuple(sorted(f"{m.styringsdokument.slug}#{m.nummer}" for m in t.maal.all())),
                tuple(sorted((a.aktoer.slug, a.enhet.slug if a.enhet else "", a.rolle) for a in t.ansvar.all())),
                tuple(sorted(n.slug for n in t.nettverk.all())),
            )
            for t in tiltak
        ),
        "area_networks": sorted(
            (n.slug, o.nummer) for n in Nettverk.objects.all() for o in n.omraader.filter(handlingsprogram=programme)
        ),
        "indikatorer": sorted(
            (i.tiltak.kode if i.tiltak_id else f"område {i.omraade.nummer}", i.navn, i.basis_verdi, i.basis_aar)
            for i in Indikator.objects.filter(tiltak__in=tiltak)
            | Indikator.objects.filter(omraade__handlingsprogram=programme)
        ),
        "tekster": list(programme.tekster.values_list("key", "type", "title", "text", "source", "position")),
        "sources": sources_of(programme),
    }


def sources_of(programme) -> list:
    """Every Kilde of the programme's rows (and of the networks' links to them), by natural keys."""

    def key(obj):
        match obj:
            case Tiltak():
                return obj.kode
            case Ansvar():
                return (obj.tiltak.kode, obj.aktoer.slug, obj.enhet.slug if obj.enhet else "")
            case PrioritertOmraade():
                return obj.nummer
            case Innsatsomraade():
                return obj.kode
            case Indikator():
                return (obj.tiltak.kode if obj.tiltak_id else obj.omraade.nummer, obj.navn)
            case Nettverk():
                return obj.slug
        raise AssertionError(obj)

    rows = []
    for model in (PrioritertOmraade, Innsatsomraade, Tiltak, Ansvar, Indikator, Nettverk):
        content_type = ContentType.objects.get_for_model(model)
        for kilde in Kilde.objects.filter(content_type=content_type).select_related("recorded_by"):
            fact = model.objects.filter(pk=kilde.object_id).first()
            assert fact is not None, (model, kilde.field_name, kilde.related_id, kilde.reasoning)
            related = None
            if kilde.related_id is not None:
                related_model = model._meta.get_field(kilde.field_name).related_model
                linked = related_model.objects.get(pk=kilde.related_id)
                in_programme = {
                    PrioritertOmraade: lambda o: o.handlingsprogram_id,
                    Tiltak: lambda t: t.innsatsomraade.omraade.handlingsprogram_id,
                }.get(related_model)
                if in_programme and in_programme(linked) != programme.pk:
                    continue
                related = key(linked) if in_programme else str(linked.pk if related_model is None else linked)
            owner = {
                PrioritertOmraade: lambda o: o.handlingsprogram_id,
                Innsatsomraade: lambda i: i.omraade.handlingsprogram_id,
                Tiltak: lambda t: t.innsatsomraade.omraade.handlingsprogram_id,
                Ansvar: lambda a: a.tiltak.innsatsomraade.omraade.handlingsprogram_id,
                Indikator: lambda i: i.handlingsprogram.pk,
            }.get(model)
            if owner and owner(fact) != programme.pk:
                continue
            if model is Nettverk and related is None:
                continue  # the network's own source is reference data, not the programme's
            rows.append(
                (
                    model.__name__,
                    key(fact),
                    kilde.field_name,
                    related,
                    kilde.type,
                    kilde.reference,
                    kilde.reasoning,
                    kilde.recorded_by.username if kilde.recorded_by else None,
                    kilde.recorded_at,
                )
            )
    return sorted(rows, key=repr)


def database_snapshot() -> dict:
    tiltak = list(Tiltak.objects.order_by("pk").values())
    return {
        "programmes": list(Handlingsprogram.objects.order_by("pk").values()),
        "tiltak": tiltak,
        "ansvar": list(Ansvar.objects.order_by("pk").values()),
        "kilder": list(Kilde.objects.order_by("pk").values()),
        "nettverk_tiltak": sorted(Nettverk.tiltak.through.objects.values_list("nettverk_id", "tiltak_id")),
        "nettverk_omraader": sorted(
            Nettverk.omraader.through.objects.values_list("nettverk_id", "prioritertomraade_id")
        ),
        "medlemskap": list(Medlemskap.objects.order_by("pk").values()),
        "indikatorer": list(Indikator.objects.order_by("pk").values()),
        "tekster": list(Programtekst.objects.order_by("pk").values()),
    }


def test_a_new_programme_loads_beside_2020_2023_as_a_draft_with_codes_of_its_own(programme):
    before = database_snapshot()
    old_structure = structure(PROGRAMME_SLUG)

    result = programme_data_load(data=successor_data(programme))

    new = Handlingsprogram.objects.get(slug=NEW_SLUG)
    assert new.state == Handlingsprogram.State.UTKAST and not new.is_closed
    assert Handlingsprogram.objects.current() == programme  # a loaded draft is not the current programme
    created = {model: result.created[str(model._meta.verbose_name_plural)] for model in (Tiltak, Handlingsprogram)}
    assert created == {Tiltak: 45, Handlingsprogram: 1}
    # Reference data is shared: nothing of it was created again.
    assert result.created[str(Nettverk._meta.verbose_name_plural)] == 0
    assert result.existing[str(Nettverk._meta.verbose_name_plural)] == 32
    # The same codes, other rows; the old programme is as it was.
    assert Tiltak.objects.by_code(new, "1.1.1").get().tekst == "Et nytt tiltak for 2024–2027"
    assert Tiltak.objects.by_code(programme, "1.1.1").get().tekst != "Et nytt tiltak for 2024–2027"
    assert structure(PROGRAMME_SLUG) == old_structure
    assert database_snapshot()["tiltak"][: len(before["tiltak"])] == before["tiltak"]
    # The networks' links to the new programme's rows are made, with their sources.
    naboer = Nettverk.objects.get(slug="naboer-ab")
    new_412 = Tiltak.objects.by_code(new, "4.1.2").get()
    assert set(naboer.tiltak.values_list("pk", flat=True)) == {
        Tiltak.objects.by_code(programme, "4.1.2").get().pk,
        new_412.pk,
    }
    assert naboer.kilder.filter(field_name="tiltak", related_id=new_412.pk).get().reference == "kap. 2.4, TILTAK"
    new_structure = structure(NEW_SLUG)
    assert len(new_structure["indikatorer"]) == 5 and len(new_structure["tekster"]) == 27
    assert [row[1:] for row in new_structure["tiltak"] if row[0] != "1.1.1"] == [
        row[1:] for row in old_structure["tiltak"] if row[0] != "1.1.1"
    ]

    # A second load of the same file changes nothing.
    again = database_snapshot()
    result = programme_data_load(data=successor_data(programme))
    assert sum(result.created.values()) == 0
    assert database_snapshot() == again


def test_the_file_says_the_state(programme):
    data = successor_data(programme)
    data["handlingsprogram"] |= {"adopted_on": "2024-02-20", "case_number": "12/24", "forgjenger": PROGRAMME_SLUG}
    programme_data_load(data=data)
    new = Handlingsprogram.objects.get(slug=NEW_SLUG)
    assert (new.state, str(new.adopted_on), new.case_number) == ("vedtatt", "2024-02-20", "12/24")


def adopted_successor(programme, **extra) -> dict:
    data = successor_data(programme)
    data["handlingsprogram"] |= {"state": "vedtatt", "adopted_on": "2024-02-20", "case_number": "12/24"} | extra
    return data


def test_loading_an_adopted_successor_closes_its_predecessor_as_adopting_in_the_portal_does(programme, tmp_path):
    import tomli_w

    path = tmp_path / "ihp-2024-2027.toml"
    path.write_text(tomli_w.dumps(adopted_successor(programme, forgjenger=PROGRAMME_SLUG)), encoding="utf-8")
    call_command("load_programme", str(path), stdout=io.StringIO())

    new = Handlingsprogram.objects.get(slug=NEW_SLUG)
    programme.refresh_from_db()
    assert (new.state, new.forgjenger) == (Handlingsprogram.State.VEDTATT, programme)
    assert (programme.state, programme.is_closed) == (Handlingsprogram.State.AVSLUTTET, True)
    assert Handlingsprogram.objects.current() == new
    assert programme.history.latest().state == Handlingsprogram.State.AVSLUTTET  # in the audit history

    # Loading the same file again changes nothing (the programme is there; its predecessor is not touched).
    before = database_snapshot()
    call_command("load_programme", str(path), stdout=io.StringIO())
    assert database_snapshot() == before


def test_an_adopted_programme_that_names_no_predecessor_is_refused_while_another_is_adopted(programme):
    before = database_snapshot()
    with pytest.raises(ProgrammeFileError) as raised:
        programme_data_load(data=adopted_successor(programme))
    assert f'forgjenger = "{PROGRAMME_SLUG}"' in str(raised.value)
    assert database_snapshot() == before
    assert Handlingsprogram.objects.get(pk=programme.pk).state == Handlingsprogram.State.VEDTATT


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"forgjenger": "finnes-ikke"}, "[handlingsprogram].forgjenger: no programme 'finnes-ikke' in the database."),
        ({"forgjenger": PROGRAMME_SLUG, "start_year": 2019, "end_year": 2022}, "the programme that follows it must"),
        ({"forgjenger": PROGRAMME_SLUG, "state": "avsluttet"}, "a closed programme can only follow a closed one"),
    ],
)
def test_a_predecessor_it_cannot_follow_is_refused(programme, extra, message):
    before = database_snapshot()
    with pytest.raises(ProgrammeFileError) as raised:
        programme_data_load(data=adopted_successor(programme, **extra))
    assert message in str(raised.value)
    assert database_snapshot() == before


def test_a_failure_after_the_predecessor_was_closed_leaves_it_open(programme):
    data = adopted_successor(programme, forgjenger=PROGRAMME_SLUG)
    data["handlingsprogram"]["omraader"][3]["navn"] = "x" * 300  # refused by the model, after the programme row
    with pytest.raises(ProgrammeFileError, match="prioritertomraade"):
        programme_data_load(data=data)
    assert Handlingsprogram.objects.get(pk=programme.pk).state == Handlingsprogram.State.VEDTATT
    assert not Handlingsprogram.objects.filter(slug=NEW_SLUG).exists()


def test_a_draft_names_its_predecessor_and_leaves_it_current(programme):
    data = successor_data(programme)
    data["handlingsprogram"]["forgjenger"] = PROGRAMME_SLUG
    programme_data_load(data=data)
    new = Handlingsprogram.objects.get(slug=NEW_SLUG)
    assert (new.state, new.forgjenger) == (Handlingsprogram.State.UTKAST, programme)
    assert Handlingsprogram.objects.get(pk=programme.pk).state == Handlingsprogram.State.VEDTATT
    with pytest.raises(ProgrammeFileError, match="already has a successor"):
        other = successor_data(programme)
        other["handlingsprogram"] |= {"slug": "en-annen", "forgjenger": PROGRAMME_SLUG}
        programme_data_load(data=other)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["handlingsprogram"].update(state="vedtatt"), "an adopted programme needs adopted_on"),
        (lambda d: d["handlingsprogram"].update(state="godkjent"), "[handlingsprogram].state: 'godkjent' is not"),
        (lambda d: d["handlingsprogram"].update(vedtatt_dato="2024-01-01"), "unknown key(s): vedtatt_dato"),
        (
            lambda d: d["handlingsprogram"]["omraader"][1]["innsatsomraader"][0]["tiltak"][0]["ansvar"][0].update(
                aktoer="finnes-ikke"
            ),
            "handlingsprogram.omraader[2] (2).innsatsomraader[1] (1).tiltak[1] (1).ansvar[1].aktoer: no actor",
        ),
        (
            lambda d: d["handlingsprogram"]["omraader"][0]["innsatsomraader"][0]["tiltak"][1].update(nummer=1),
            "tiltak[2] (1): the code 1.1.1 is used twice.",
        ),
        (lambda d: d["nettverk"][0].update(tiltak=["9.9.9"]), "nettverk[1] (naboer-ab).tiltak: the programme has no"),
        (lambda d: d["indikatorer"][0].update(tiltak="7.1.1"), "indikatorer[1] ("),
        (
            lambda d: d["handlingsprogram"]["omraader"][0].update(
                baerekraftsmaal=[18], kilder=d["handlingsprogram"]["omraader"][0]["kilder"] | {"baerekraftsmaal": "x"}
            ),
            "no sustainable development goal 18",
        ),
        (
            lambda d: d["handlingsprogram"].update(start_year=1200),
            "handlingsprogram (slug=internasjonalt-handlingsprogram-2024-2027)",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_place_and_nothing_is_written(programme, change, message):
    data = successor_data(programme)
    change(data)
    before = database_snapshot()
    with pytest.raises(ProgrammeFileError) as raised:
        programme_data_load(data=data)
    assert message in str(raised.value)
    assert database_snapshot() == before


def test_the_command_says_in_bokmaal_what_is_wrong_without_a_traceback(programme, tmp_path):
    broken = tmp_path / "program.toml"
    broken.write_text('[handlingsprogram]\nslug = "x"\nnavn = \n', encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"Programfila ble ikke lastet inn, og ingenting ble endret\. program\.toml: not valid TOML"
    ):
        call_command("load_programme", str(broken))
    data = successor_data(programme)
    data["nettverk"][0]["tiltak"] = ["9.9.9"]
    import tomli_w

    broken.write_text(tomli_w.dumps(data), encoding="utf-8")
    count = Tiltak.objects.count()
    with pytest.raises(CommandError, match=r"ingenting ble endret\. nettverk\[1\] \(naboer-ab\)\.tiltak"):
        call_command("load_programme", str(broken))
    assert Tiltak.objects.count() == count


def test_exporting_2020_2023_and_loading_it_again_changes_nothing(programme, koordinator, tmp_path):
    # A coordinator's confirmed fact is exported as a person's source, and stays theirs.
    tiltak = Tiltak.objects.by_code(programme, "2.1.2").get()
    kilde = tiltak.kilder.get(field_name="")
    kilde.type, kilde.reference, kilde.reasoning = Kilde.Type.PERSON, "", "Bekreftet i møte"
    kilde.recorded_by, kilde.recorded_at = koordinator, kilde.created_at
    kilde.save()
    path = tmp_path / "ihp-2020-2023.toml"
    call_command("export_programme", PROGRAMME_SLUG, "-o", str(path))
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    exported = data["handlingsprogram"]["omraader"][1]["innsatsomraader"][0]["tiltak"][1]
    assert exported["nummer"] == 2
    assert exported["kilde"] == {
        "person": "koordinator-test",
        "tidspunkt": kilde.recorded_at,
        "begrunnelse": "Bekreftet i møte",
    }
    before = database_snapshot()
    result = programme_file_load(path=path)
    assert sum(result.created.values()) == 0
    assert database_snapshot() == before


def roll_over_with_decisions(programme, koordinator):
    draft = rullering_services.programme_roll_over(
        user=koordinator,
        programme=programme,
        navn="Internasjonalt handlingsprogram 2024–2027",
        slug=NEW_SLUG,
        start_year=2024,
        end_year=2027,
    )

    def decide(code, **kwargs):
        rullering = Tiltak.objects.by_code(programme, code).get().rullering
        rullering_services.tiltak_rullering_decide(user=koordinator, rullering=rullering, **kwargs)

    decide("1.1.1", decision=TiltakRullering.Decision.ENDRET, tekst="Endret tekst for 2024–2027")
    decide(
        "1.2.1", decision=TiltakRullering.Decision.SLAATT_SAMMEN, target=Tiltak.objects.by_code(draft, "1.2.2").get()
    )
    decide("2.3.3", decision=TiltakRullering.Decision.DELT, split_texts=["Første del", "Andre del"])
    decide("4.1.2", decision=TiltakRullering.Decision.AVSLUTTET, reason="Nettverket er avviklet")
    return draft


def test_round_trip_of_a_rolled_over_draft_into_an_empty_database(programme_loaded_transactional, tmp_path):
    programme = Handlingsprogram.objects.get(slug=PROGRAMME_SLUG)
    koordinator = User.objects.create_user(username="koordinator-rt", password="x-long-password-1", rolle="koordinator")
    draft = roll_over_with_decisions(programme, koordinator)
    path = tmp_path / "ihp-2024-2027.toml"
    out = io.StringIO()
    call_command("export_programme", draft.slug, stdout=out)
    path.write_text(out.getvalue(), encoding="utf-8")
    expected = structure(draft.slug)
    assert "Endret tekst for 2024–2027" in repr(expected["tiltak"])
    assert len(expected["tekster"]) == 27 and expected["indikatorer"]

    call_command("flush", interactive=False)
    assert not Handlingsprogram.objects.exists()
    User.objects.create_user(username="koordinator-rt", password="x-long-password-1", rolle="koordinator")
    call_command("load_programme", str(path), stdout=io.StringIO())

    loaded = structure(NEW_SLUG)
    missing = sorted(set(expected["sources"]) - set(loaded["sources"]), key=repr)
    extra = sorted(set(loaded["sources"]) - set(expected["sources"]), key=repr)
    assert (missing[:3], extra[:3], len(missing), len(extra)) == ([], [], 0, 0)
    assert loaded == expected
    assert Handlingsprogram.objects.get().state == Handlingsprogram.State.UTKAST
    # The copies' sources are the coordinator's, as in the portal the file came from.
    assert {row[7] for row in loaded["sources"] if row[0] == "Tiltak"} == {"koordinator-rt"}


def test_a_person_unknown_here_becomes_an_inference_that_names_them(programme, koordinator):
    draft = roll_over_with_decisions(programme, koordinator)
    text = programme_export_toml(programme=draft).replace('person = "koordinator-test"', 'person = "ukjent-person"')
    data = tomllib.loads(text.replace(f'slug = "{NEW_SLUG}"', 'slug = "en-annen-kopi"'))
    programme_data_load(data=copy.deepcopy(data))
    other = Handlingsprogram.objects.get(slug="en-annen-kopi")
    kilde = Tiltak.objects.by_code(other, "1.1.1").get().kilder.get(field_name="")
    assert kilde.type == Kilde.Type.UTLEDET and kilde.recorded_by is None
    assert kilde.reasoning.startswith("Registrert av ukjent-person ")
    assert "Videreført fra Internasjonalt handlingsprogram 2020–2023 1.1.1" in kilde.reasoning


def test_coordinators_download_the_draft_as_a_programme_file(client, programme, koordinator, saksbehandler):
    draft = roll_over_with_decisions(programme, koordinator)
    url = reverse("portal:programme_export", kwargs={"program": draft.slug})
    client.force_login(saksbehandler)
    assert client.get(url).status_code == 403
    client.force_login(koordinator)
    page = client.get(reverse("tiltak:rullering", kwargs={"program": draft.slug})).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{draft.slug}.toml"'
    data = tomllib.loads(response.content.decode())
    assert data["handlingsprogram"]["slug"] == draft.slug and data["handlingsprogram"]["state"] == "utkast"
