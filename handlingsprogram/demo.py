"""Demo content for development and trying the portal: clearly separate from the programme data."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Enhet, User

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.toml"


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

    from tiltak.models import Statusmelding, Tiltak
    from tiltak.permissions import can_log_on
    from tiltak.services import statusmelding_create

    from .models import Handlingsprogram

    demo_users = list(
        User.objects.filter(username__in=["saksbehandler-utdanning", "saksbehandler-naering", "koordinator"])
    )
    programme = Handlingsprogram.objects.current()
    if programme is None or not demo_users or Statusmelding.objects.filter(forfatter__in=demo_users).exists():
        return 0
    koordinator = next((u for u in demo_users if u.is_koordinator), demo_users[0])
    staff = [u for u in demo_users if not u.is_koordinator]
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo content, not security
    created = 0
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
                statusmelding_create(
                    tiltak=tiltak,
                    author=author,
                    dato=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    status=status,
                    vurdering=vurdering,
                    gjennomfoert=f"(Demo) {rng.choice(DEMO_ACTIVITIES)}.",
                    resultater=rng.choice(DEMO_RESULTS),
                    neste_steg=rng.choice(DEMO_NEXT),
                    intern_merknad=rng.choice(["", "(Demo) Intern merknad: avklar ressursbruk med leder."]),
                )
                created += 1
    return created


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
    if koordinator is None or Deltagelse.objects.filter(registrert_av__in=[koordinator, staff]).exists():
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
            services.deltagelse_set_status(deltagelse=deltagelse, user=author, status=Deltagelse.Status.RAPPORTERT)
        elif start < today:
            services.deltagelse_set_status(deltagelse=deltagelse, user=author, status=Deltagelse.Status.GJENNOMFOERT)
        created += 1
    return created
