"""Demo content for development and trying the portal: clearly separate from the programme data."""

import datetime
import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from handlingsprogram.models import Enhet, Handlingsprogram, User

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.toml"


def _flag_demo(model, pks) -> None:
    """Mark rows just created (or overwritten) by the demo as demo, with their audit history rows, inside the
    caller's transaction: the services staff use stay unaware of demo content, and no demo row is ever
    committed unflagged."""
    pks = list(pks)
    model.objects.filter(pk__in=pks).update(demo=True)
    if hasattr(model, "history"):
        model.history.filter(id__in=pks).update(demo=True)
    if model._meta.label == "tiltak.Statusmelding":
        from tiltak.services import current_status_refresh

        # The update sends no signal: the tiltak's kept current status must now say it is demo content.
        current_status_refresh(tiltak_ids=model.objects.filter(pk__in=pks).values_list("tiltak_id", flat=True))


@transaction.atomic
def demo_users_create(*, path: Path = DEMO_FILE) -> list[str]:
    """Create the demo users that are missing; existing accounts are left as they are."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    created = []
    for row in data["users"]:
        if User.objects.filter(username=row["username"]).exists():
            continue
        enhet = Enhet.objects.get(aktoer__slug=row["aktoer"], slug=row["enhet"]) if row.get("enhet") else None
        user = User(
            username=row["username"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            rolle=row["rolle"],
            enhet=enhet,
        )
        user.set_password(data["password"])
        user.full_clean()
        user.demo = True
        user.save()
        created.append(user.username)
    return created


DEMO_ACTIVITIES = [
    "Møte med partnerne i Trøndelag om oppfølging av tiltaket",
    "Informasjonsmøte for kommuner og næringsliv",
    "Deltatt på europeisk partnersøkseminar og kartlagt mulige samarbeidsprosjekter",
    "Utarbeidet søknad sammen med regionale partnere",
    "Workshop med skoler og opplæringskontor",
    "Dialog med Trøndelags Europakontor om aktuelle utlysninger",
]
DEMO_RESULTS = [
    "To nye prosjektsøknader sendt.",
    "Økt kjennskap til programmene blant deltakerne.",
    "Avtale om videre samarbeid med to partnerregioner.",
    "",
]
DEMO_NEXT = [
    "Følge opp søknadene og rapportere resultat.",
    "Planlegge neste møte i nettverket.",
    "Vurdere om tiltaket skal justeres ved rullering.",
    "",
]
# (status, assessment) choices per year of the programme: the programme starts slowly and most measures
# are under way or done by its last year.
DEMO_PROGRESSION = {
    0: [("ikke_startet", "i_rute"), ("paagaar", "i_rute"), ("paagaar", "risiko")],
    1: [("paagaar", "i_rute"), ("paagaar", "risiko"), ("utsatt", "avvik")],
    2: [("paagaar", "i_rute"), ("fullfoert", "i_rute"), ("paagaar", "avvik"), ("utsatt", "risiko")],
    3: [("fullfoert", "i_rute"), ("paagaar", "risiko"), ("avbrutt", "avvik"), ("fullfoert", "i_rute")],
}


@transaction.atomic
def demo_statusmeldinger_create(*, seed: int = 2020) -> int:
    """Statusmeldinger over the programme's years, written by the demo users through the same service staff
    use. Each text says it is demo content. Created only once: skipped when demo users already reported."""
    import datetime
    import random

    from handlingsprogram.models import Handlingsprogram
    from tiltak.models import Statusmelding, Tiltak
    from tiltak.permissions import can_log_on
    from tiltak.services import statusmelding_create

    demo_users = list(
        User.objects.filter(username__in=["saksbehandler-utdanning", "saksbehandler-naering", "koordinator"])
    )
    programme = Handlingsprogram.objects.current()
    if programme is None or not demo_users or Statusmelding.objects.filter(author__in=demo_users).exists():
        return 0
    koordinator = next((u for u in demo_users if u.is_koordinator), demo_users[0])
    staff = [u for u in demo_users if not u.is_koordinator]
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo content, not security
    created = []
    tiltak_list = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
        "innsatsomraade__omraade__handlingsprogram"
    )
    for tiltak in tiltak_list:
        author = next((u for u in staff if can_log_on(u, tiltak)), koordinator)
        for index, year in enumerate(range(programme.start_year, programme.end_year + 1)):
            # About one year in six goes unreported, so the dashboard has gaps to chase.
            if rng.random() < 0.17:
                continue
            for _ in range(rng.choice([1, 1, 2])):
                status, vurdering = rng.choice(DEMO_PROGRESSION[min(index, 3)])
                melding = statusmelding_create(
                    tiltak=tiltak,
                    user=author,
                    date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    status=status,
                    vurdering=vurdering,
                    gjennomfoert=f"(Demo) {rng.choice(DEMO_ACTIVITIES)}.",
                    resultater=rng.choice(DEMO_RESULTS),
                    neste_steg=rng.choice(DEMO_NEXT),
                    intern_merknad=rng.choice(["", "(Demo) Intern merknad: avklar ressursbruk med leder."]),
                )
                created.append(melding.pk)
    _flag_demo(Statusmelding, created)
    return len(created)


DEMO_MEETINGS = [
    ("nsc-transport", "Arbeidsgruppemøte om TEN-T-korridorene", "administrativ", "Brussel"),
    ("nordsjokommisjonen", "Generalforsamling i Nordsjøkommisjonen", "politisk", "Bergen"),
    ("nsc-marine-ressurser", "Arbeidsgruppemøte om havbruk", "administrativ", "Aberdeen"),
    ("cpmr", "CPMRs generalforsamling", "politisk", "Brussel"),
    ("europapolitisk-forum", "Europapolitisk forum", "politisk", "Oslo"),
]


@transaction.atomic
def demo_deltagelser_create(*, today=None) -> int:
    """Participation in the programme's arenas for trying the pages: reported meetings over the programme years,
    one held a month ago and not yet reported (so the dashboard has a report-back to chase), and two upcoming
    (for the calendar feed). Through the same services staff use; every text says it is demo content. Created
    only once."""
    import datetime

    from django.utils import timezone

    from nettverk import services
    from nettverk.models import Deltagelse, Nettverk

    koordinator = User.objects.filter(username="koordinator").first()
    staff = User.objects.filter(username="saksbehandler-naering").first() or koordinator
    if koordinator is None or Deltagelse.objects.filter(created_by__in=[koordinator, staff]).exists():
        return 0
    today = today or timezone.localdate()
    networks = {n.slug: n for n in Nettverk.objects.filter(slug__in=[m[0] for m in DEMO_MEETINGS])}
    created = 0
    plan = [(datetime.date(year, month, 12), True) for year in range(2020, 2024) for month in (3, 10)]
    plan += [(today - datetime.timedelta(days=30), False), (today + datetime.timedelta(days=20), False)]
    plan += [(today + datetime.timedelta(days=45), False)]
    for index, (start, reported) in enumerate(plan):
        slug, title, nivaa, sted = DEMO_MEETINGS[index % len(DEMO_MEETINGS)]
        if slug not in networks:
            continue
        author = staff if nivaa == "administrativ" else koordinator
        deltagelse = services.deltagelse_create(
            user=author,
            data={
                "nettverk": networks[slug],
                "tittel": f"(Demo) {title}",
                "type": Deltagelse.Type.MOETE,
                "start": start,
                "sted": sted,
                "nivaa": nivaa,
                "formaal": "(Demo) Fremme Trøndelags interesser og hente kunnskap til tiltakene.",
                "posisjoner": "(Demo) Trøndelag støtter forslaget, med forbehold om finansiering.",
                "forberedelser": "(Demo) Notat til fylkesrådet og avklaring med Innovasjon Norge.",
            },
            deltakere=[author],
        )
        if reported:
            services.deltagelse_update(
                deltagelse=deltagelse,
                user=author,
                data={
                    "referat": "(Demo) Arbeidsgruppen vedtok en felles uttalelse; Trøndelags innspill kom med.",
                    "laering": "(Demo) Tidlig kontakt med sekretariatet ga gjennomslag.",
                    "deling": "(Demo) Delt med Innovasjon Norge og fagavdelingene på e-post.",
                },
            )
        # The status follows from what is filled in: reported with the report-back, held once the day has come.
        _flag_demo(Deltagelse, [deltagelse.pk])
        created += 1
    return created


# Exchange rates close to Norges Bank's annual averages, rounded; marked as demo so nobody reports with them.
DEMO_RATES = {
    ("EUR", 2019): "9.85",
    ("EUR", 2020): "10.72",
    ("EUR", 2021): "10.16",
    ("EUR", 2022): "10.10",
    ("EUR", 2023): "11.42",
    ("SEK", 2021): "1.00",
    ("SEK", 2022): "0.95",
}
# (indikator name prefix, {year: value})
DEMO_VALUES = [
    ("Erasmus+-midler til mobilitet", {2020: 1_010_000, 2021: 1_240_000, 2022: 1_390_000, 2023: 1_455_000}),
    ("Elever som tar Vg2 i utlandet", {2020: 12, 2021: 19, 2022: 38, 2023: 43}),
    ("Trøndelags plassering", {2021: 13, 2023: 11}),
]
# (ekstern_id, navn, akronym, finansieringsprogram, utlysning, rolle, aktører, start, slutt, status, total, innvilget,
#  valuta, tiltak)
DEMO_PROJECTS = [
    (
        "DEMO-2020-KA102",
        "Mobilitet i fag- og yrkesopplæringen",
        "MOBY",
        "erasmus-plus",
        "KA102",
        "koordinator",
        ["trondelag-fylkeskommune"],
        (2020, 6, 1),
        (2022, 5, 31),
        "avsluttet",
        "1010000",
        "1010000",
        "EUR",
        ["2.3.3"],
    ),
    (
        "DEMO-2021-KA121",
        "Akkreditert mobilitet i yrkesfag",
        "AKKMOB",
        "erasmus-plus",
        "KA121 VET",
        "koordinator",
        ["trondelag-fylkeskommune"],
        (2021, 9, 1),
        (2023, 8, 31),
        "innvilget",
        "1240000",
        "1240000",
        "EUR",
        ["2.3.3", "2.3.4"],
    ),
    (
        "DEMO-2021-SE-NO",
        "Grenseløs arbeidsmarkedsregion",
        "GRENS",
        "interreg-sverige-norge",
        "Delområde Nordens Gröna Bälte",
        "partner",
        ["trondelag-fylkeskommune", "region-jamtland-harjedalen"],
        (2021, 3, 1),
        (2023, 12, 31),
        "innvilget",
        "24000000",
        "6500000",
        "SEK",
        ["4.1.2"],
    ),
    (
        "DEMO-2022-NSR",
        "Grønne havner i Nordsjøregionen",
        "GREENPORT",
        "nordsjoprogrammet",
        "Prioritet 2",
        "partner",
        ["trondelag-fylkeskommune", "sintef"],
        (2022, 1, 1),
        (2025, 6, 30),
        "innvilget",
        "4800000",
        "620000",
        "EUR",
        ["1.2.2"],
    ),
    (
        "DEMO-2022-H2020",
        "Byen som levende laboratorium for mobilitet",
        "CITYLAB",
        "horisont-2020",
        "Smart cities",
        "partner",
        ["ntnu", "trondheim-kommune"],
        (2022, 5, 1),
        (2025, 4, 30),
        "innvilget",
        "9800000",
        "1150000",
        "EUR",
        ["1.1.1", "1.3.4"],
    ),
    (
        "DEMO-2023-KA220",
        "Internasjonalisering som skoleutvikling",
        "SKOLINT",
        "erasmus-plus",
        "KA220-SCH",
        "partner",
        ["trondelag-fylkeskommune"],
        (2023, 11, 1),
        (2025, 10, 31),
        "soekt",
        "250000",
        "60000",
        "EUR",
        ["2.2.2"],
    ),
]


@transaction.atomic
def demo_resultater_create() -> int:
    """Exchange rates, indikator values and projects for trying the result pages, through the services staff use.
    Every source says it is demo content. Created only once: returns 0 when the demo projects are there."""
    from decimal import Decimal

    from handlingsprogram.models import Aktoer, Finansieringsprogram
    from resultater import services
    from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
    from tiltak.models import Tiltak

    koordinator = User.objects.filter(username="koordinator").first()
    if koordinator is None or Prosjekt.objects.filter(ekstern_id__startswith="DEMO-").exists():
        return 0
    for (valuta, aar), kurs in DEMO_RATES.items():
        # A rate that was there is overwritten with the demo's (the service keeps its history), so it is demo now.
        rate, _created = services.valutakurs_save(
            user=koordinator, aar=aar, valuta=valuta, kurs=Decimal(kurs), kilde="(Demo) Avrundet"
        )
        _flag_demo(Valutakurs, [rate.pk])
    for prefix, values in DEMO_VALUES:
        indikator = Indikator.objects.filter(navn__startswith=prefix).first()
        if indikator is None:
            continue
        for aar, verdi in values.items():
            value, _created = services.indikatorverdi_save(
                indikator=indikator, user=koordinator, aar=aar, verdi=Decimal(verdi), kilde="(Demo) Oppdiktet tall"
            )
            _flag_demo(Indikatorverdi, [value.pk])
    programme = Handlingsprogram.objects.current()
    created = 0
    for row in DEMO_PROJECTS:
        (
            ekstern_id,
            navn,
            akronym,
            fp,
            utlysning,
            rolle,
            aktoerer,
            start,
            slutt,
            status,
            total,
            innvilget,
            valuta,
            koder,
        ) = row
        prosjekt = services.prosjekt_save(
            user=koordinator,
            data=services.ProsjektData(
                ekstern_id=ekstern_id,
                navn=f"(Demo) {navn}",
                akronym=akronym,
                finansieringsprogram=Finansieringsprogram.objects.get(slug=fp),
                utlysning=utlysning,
                rolle=rolle,
                aktoerer=list(Aktoer.objects.filter(slug__in=aktoerer)),
                start_date=datetime.date(*start),
                end_date=datetime.date(*slutt),
                status=status,
                totalbudsjett=Decimal(total),
                innvilget_trondelag=Decimal(innvilget),
                valuta=valuta,
                tiltak=[t for kode in koder if (t := Tiltak.objects.by_code(programme, kode).first())],
            ),
        )
        _flag_demo(Prosjekt, [prosjekt.pk])
        created += 1
    return created


def demo_oppfoelging_create(*, today: datetime.date | None = None) -> int:
    """One open reporting round for the reporting year (the current year, or the programme's nearest) with a
    deadline a month ahead, and one open request for an update on a tiltak of Avdeling for utdanning, made by the
    demo coordinator through the services staff use, so their notifications are made too. The demo
    statusmeldinger leave some units done in that year and some not. Created only once. Returns how many rows
    (round and request) were made."""
    from django.utils import timezone

    from tiltak import oppfoelging_services
    from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde, Tiltak
    from tiltak.selectors import reporting_year

    koordinator = User.objects.filter(username="koordinator").first()
    programme = Handlingsprogram.objects.current()
    if (
        koordinator is None
        or programme is None
        or programme.is_closed
        or Rapporteringsrunde.objects.filter(demo=True).exists()
        or Oppfoelgingsforespoersel.objects.filter(demo=True).exists()
    ):
        return 0
    today = today or timezone.localdate()
    year = reporting_year(programme, today)
    with transaction.atomic():
        oppfoelging_services.runde_open(
            user=koordinator,
            handlingsprogram=programme,
            navn=f"Årsrapport {year} (demo)",
            aar=year,
            frist=today + datetime.timedelta(days=30),
            today=today,
            demo=True,
        )
        tiltak = (
            Tiltak.objects.filter(
                innsatsomraade__omraade__handlingsprogram=programme,
                ansvar__enhet__slug="avdeling-for-utdanning",
            )
            .select_related("innsatsomraade__omraade__handlingsprogram")
            .first()
        )
        if tiltak is None:
            return 1
        oppfoelging_services.forespoersel_create(
            tiltak=tiltak,
            user=koordinator,
            melding="(Demo) Kan dere gi en kort oppdatering på tiltaket før årsrapporten skrives?",
            demo=True,
        )
    return 2


DEMO_SUCCESSOR = {
    "navn": "Internasjonalt handlingsprogram 2024–2027 (demo)",
    "slug": "internasjonalt-handlingsprogram-2024-2027-demo",
    "start_year": 2024,
    "end_year": 2027,
}
# A few of each decision, so that the lineage shows on the tiltak pages of both programmes at once. Codes are the
# 2020–2023 programme's; a merge names the code (in the draft) it goes into.
DEMO_DECISIONS = [
    ("1.1.1", {"decision": "endret", "tekst": "(Demo) Trøndelag som levende laboratorium for det grønne skiftet"}),
    ("2.1.2", {"decision": "endret", "tekst": "(Demo) Flere elever og lærlinger på utveksling i Europa"}),
    ("1.2.1", {"decision": "slaatt_sammen", "target": "1.2.2"}),
    ("3.3.4", {"decision": "slaatt_sammen", "target": "3.3.5"}),
    ("2.3.3", {"decision": "delt", "split_texts": ["(Demo) Mobilitet for lærlinger og instruktører"]}),
    ("4.4.1", {"decision": "delt", "split_texts": ["(Demo) Nordisk samarbeid", "(Demo) Arktisk samarbeid"]}),
    ("4.1.2", {"decision": "avsluttet", "reason": "(Demo) Målet er nådd; arbeidet videreføres i 4.1.1."}),
    ("3.1.4", {"decision": "avsluttet", "reason": "(Demo) Programmet tiltaket bygde på er avsluttet."}),
]


@transaction.atomic
def demo_successor_create() -> Handlingsprogram | None:
    """A draft successor 2024–2027 rolled over from the current programme through the coordinators' services (the
    same copies, decisions and provenance as a real roll-over), flagged as demo. Created once: nothing is done when
    the current programme already has a successor (this one or a real one). Returns the draft it made, or None."""
    from tiltak import rullering_services
    from tiltak.models import Tiltak

    programme = Handlingsprogram.objects.current()
    koordinator = User.objects.filter(username="koordinator", demo=True).first()
    if (
        programme is None
        or koordinator is None
        or programme.state != Handlingsprogram.State.VEDTATT
        or Handlingsprogram.objects.filter(forgjenger=programme).exists()
        or Handlingsprogram.objects.filter(slug=DEMO_SUCCESSOR["slug"]).exists()
    ):
        return None
    draft = rullering_services.programme_roll_over(user=koordinator, programme=programme, **DEMO_SUCCESSOR)
    for code, decision in DEMO_DECISIONS:
        old = Tiltak.objects.by_code(programme, code).select_related("rullering").first()
        if old is None:
            continue
        arguments = dict(decision)
        if "target" in arguments:
            arguments["target"] = Tiltak.objects.by_code(draft, arguments["target"]).first()
        rullering_services.tiltak_rullering_decide(user=koordinator, rullering=old.rullering, **arguments)
    _flag_demo(Handlingsprogram, [draft.pk])
    return draft


# The demo final evaluation's recommendations: those the demo successor's decisions above carry out.
DEMO_RECOMMENDATIONS = {"endret": "endres", "delt": "endres", "slaatt_sammen": "slaas_sammen", "avsluttet": "avsluttes"}


@transaction.atomic
def demo_sluttevaluering_create() -> int:
    """A draft final evaluation of the current programme, written by the demo coordinator through the services
    coordinators use, its texts marked «(Demo)» and the row flagged demo: an overall evaluation, one per area, and a
    recommendation for each tiltak the demo successor decides on. Created once. Returns 1 if it made one, else 0."""
    from rapportering import services as rapportering_services
    from rapportering.models import Sluttevaluering
    from tiltak.models import Tiltak

    programme = Handlingsprogram.objects.current()
    koordinator = User.objects.filter(username="koordinator", demo=True).first()
    if (
        programme is None
        or koordinator is None
        or not rapportering_services.evaluation_may_start(programme)
        or Sluttevaluering.objects.filter(handlingsprogram=programme).exists()
    ):
        return 0
    evaluation = rapportering_services.sluttevaluering_create(programme=programme, user=koordinator)
    tiltak = {}
    for code, decision in DEMO_DECISIONS:
        found = Tiltak.objects.by_code(programme, code).first()
        if found is not None:
            tiltak[found.pk] = (DEMO_RECOMMENDATIONS[decision["decision"]], "(Demo) Som i forslaget til rullering.")
    rapportering_services.sluttevaluering_update(
        sluttevaluering=evaluation,
        user=koordinator,
        overall_assessment=(
            "(Demo) Programmet har gitt flere og bedre koordinerte internasjonale prosjekter, men deltagelsen i "
            "nettverkene er ujevnt fulgt opp. Det anbefales rullert med færre og tydeligere tiltak."
        ),
        programme_recommendation=Sluttevaluering.Anbefaling.RULLERES,
        programme_reasoning="(Demo) De fleste tiltakene er i gang og trenger en ny periode for å gi resultater.",
        fu_meeting_date=None,
        fu_saksnummer="",
        omraader={
            area.pk: f"(Demo) Vurdering av området «{area.navn}» for hele perioden."
            for area in programme.omraader.order_by("nummer")
        },
        tiltak=tiltak,
    )
    _flag_demo(Sluttevaluering, [evaluation.pk])
    return 1
