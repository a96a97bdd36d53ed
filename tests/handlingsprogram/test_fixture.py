"""The programme file holds the 2020–2023 programme exactly as the seed document has it."""

import os
import re
from pathlib import Path

import pytest

from handlingsprogram.models import Baerekraftsmaal, Finansieringsprogram, Innsatsomraade, PrioritertOmraade
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar, Tiltak

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "internasjonalt-handlingsprogram-2020-2023.txt"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tiltak_in_order(programme):
    return list(
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
            "innsatsomraade__omraade"
        )
    )


def test_counts(programme):
    assert PrioritertOmraade.objects.filter(handlingsprogram=programme).count() == 4
    # The seed's four TILTAK boxes have 3 + 3 + 3 + 5 = 14 ▪ headings (DESIGN.md says 15; the document
    # itself is the source of truth here), and 2+2+4 + 6+2+5 + 4+1+5 + 5+3+2+3+1 = 45 measures.
    assert Innsatsomraade.objects.filter(omraade__handlingsprogram=programme).count() == 14
    assert Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).count() == 45
    assert Baerekraftsmaal.objects.count() == 17


def test_tiltak_per_innsatsomraade(programme):
    counts = {
        i.kode: i.tiltak.count()
        for i in Innsatsomraade.objects.filter(omraade__handlingsprogram=programme).select_related("omraade")
    }
    assert counts == {
        "1.1": 2,
        "1.2": 2,
        "1.3": 4,
        "2.1": 6,
        "2.2": 2,
        "2.3": 5,
        "3.1": 4,
        "3.2": 1,
        "3.3": 5,
        "4.1": 5,
        "4.2": 3,
        "4.3": 2,
        "4.4": 3,
        "4.5": 1,
    }


def test_area_names(programme):
    assert [str(o) for o in programme.omraader.order_by("nummer")] == [
        "1 Klima, energi og teknologiutvikling",
        "2 Utdanning og kompetanse",
        "3 Nærings- og samfunnsutvikling",
        "4 Nettverk og organisasjoner",
    ]


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("1.1.1", "Synliggjøre Trøndelag som testarena for internasjonale satsinger."),
        (
            "1.2.1",
            "Utvikling av det sirkulære Trøndelag gjennom åpne innovasjonsprosesser, aktiv deltagelse i internasjonalt "
            "samarbeid og god koordinering av aktører i innovasjonssystemet.",
        ),
        (
            "2.3.4",
            "Legge til rette for at de videregående skolene er i stand til å drive internasjonal mobilitet for elever "
            "og lærere. Dette innebærer at skolene har kompetanse til å søke midler gjennom EU-programmene.",
        ),
        (
            "3.1.4",
            "Aktiv trøndersk næringslivsdeltagelse i Innovasjon Norges internasjonale program: Go Global, workshops "
            "innen Internasjonal Markedsutvikling, Knowlegde Transfer projects, International Business Events, Green "
            "Growth Projects (pilotstudier omkring utfordringene knyttet til FN’s bærekraftsmål) og Eksport-prosjekter "
            "(Global Growth)",
        ),
        (
            "4.4.3",
            "For å få bedre forankring og kunnskap om deltagelsen på internasjonale arenaer politisk og administrativt "
            "skal det utarbeides arbeidsrutiner for deltagelsen som tydeliggjør arbeidet før og etter møtene, samt "
            "deling av erfaringer/kunnskap etter møtene. Det rapporteres årlig og samlet til Fylkesutvalget fra "
            "deltagelsen på internasjonale arenaer.",
        ),
        ("4.5.1", "Nettverk for private og offentlige aktører ang. Kina som marked og samarbeidspartner."),
    ],
)
def test_sample_texts_verbatim(programme, code, text):
    by_code = {t.kode: t for t in tiltak_in_order(programme)}
    assert normalise(by_code[code].tekst) == normalise(text)


def test_every_tiltak_verbatim_and_in_seed_order(programme):
    if not SEED.exists():
        # A developer may have only the checkout; CI must always compare, or a silent skip hides a drifted text.
        message = f"the seed document lies beside the checkout in ../shared/ and is missing: {SEED}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    seed = normalise(SEED.read_text(encoding="utf-8"))
    position = 0
    for tiltak in tiltak_in_order(programme):
        found = seed.find(normalise(tiltak.tekst), position)
        assert found >= 0, f"{tiltak.kode} is not verbatim in the seed, or not after {position}"
        position = found


def test_every_tiltak_has_a_lead(programme):
    without_lead = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).exclude(
        ansvar__rolle=Ansvar.Rolle.ANSVARLIG
    )
    assert list(without_lead) == []


def test_stated_responsibilities_are_not_marked_inferred(programme):
    # 2.1.2: "Regionalt informasjonssamarbeid … mellom Trøndelag fylkeskommune, KS og Fylkesmannen i Trøndelag."
    tiltak = {t.kode: t for t in tiltak_in_order(programme)}["2.1.2"]
    stated = set(
        tiltak.ansvar.filter(kilder__field_name="", kilder__type="dokument").values_list(
            "aktoer__kortnavn", "aktoer__navn"
        )
    )
    names = {name for pair in stated for name in pair}
    assert {"KS"} <= names
    assert any("Fylkesmannen" in name for name in names)


def test_network_hierarchy_and_memberships(programme):
    nsc = Nettverk.objects.get(forelder__kortnavn="CPMR", kortnavn="NSC")
    assert nsc.undernettverk.count() == 4
    trfk_groups = Medlemskap.objects.filter(nettverk__forelder=nsc, aktoer__slug="trondelag-fylkeskommune").values_list(
        "nettverk__navn", "nivaa"
    )
    assert len({name for name, _ in trfk_groups}) == 3
    assert {nivaa for _, nivaa in trfk_groups} == {Medlemskap.Nivaa.POLITISK, Medlemskap.Nivaa.ADMINISTRATIV}

    midt_norden = Medlemskap.objects.get(nettverk__kortnavn="MNK", aktoer__slug="trondelag-fylkeskommune")
    assert midt_norden.end_date.isoformat() == "2020-12-31"

    assert Medlemskap.objects.filter(
        nettverk__navn__icontains="Naboer",
        aktoer__slug="trondelag-fylkeskommune",
        rolle=Medlemskap.Rolle.STYRE,
        nivaa=Medlemskap.Nivaa.POLITISK,
    ).exists()
    assert Medlemskap.objects.filter(
        aktoer__slug="trondelag-fylkeskommune",
        rolle=Medlemskap.Rolle.FORVALTNINGSANSVAR,
        nettverk__navn__icontains="Sverige-Norge",
    ).exists()


def test_clusters_of_vedlegg_4(programme):
    clusters = Nettverk.objects.filter(type=Nettverk.Type.KLYNGE)
    assert clusters.count() == 6


def test_funding_programmes_of_vedlegg_2(db):
    names = set(Finansieringsprogram.objects.filter(forelder__isnull=True).values_list("navn", flat=True))
    for expected in ["Erasmus+", "Interreg", "Kreativt Europa", "LIFE"]:
        assert any(expected in name for name in names), expected
    assert Finansieringsprogram.objects.filter(forelder__slug="interreg").count() == 6
