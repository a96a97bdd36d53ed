import datetime
import io
import itertools
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from handlingsprogram.models import Finansieringsprogram, Handlingsprogram, User
from portal.demo import demo_statusmeldinger_create, demo_users_create
from resultater.models import Indikator, Indikatorverdi, Prosjekt
from tests.conftest import PROGRAMME_SLUG
from tiltak.models import Statusmelding, Tiltak

YEAR = 2021


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored PDFs go to a throwaway directory, never the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def get_tiltak(programme, code: str) -> Tiltak:
    return Tiltak.objects.by_code(programme, code).select_related("innsatsomraade__omraade__handlingsprogram").get()


def report(tiltak, author, date, status, vurdering, gjennomfoert, resultater="", **extra) -> Statusmelding:
    return Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date=date,
        status=status,
        vurdering=vurdering,
        gjennomfoert=gjennomfoert,
        resultater=resultater,
        **extra,
    )


_project_numbers = itertools.count(1)


def prosjekt(
    programme,
    *,
    finansieringsprogram: str = "erasmus-plus",
    start: datetime.date,
    innvilget: int | str,
    valuta: str = "NOK",
    status: str = Prosjekt.Status.INNVILGET,
    tiltak: tuple[str, ...] = (),
    rolle: str = Prosjekt.Rolle.PARTNER,
    **extra,
) -> Prosjekt:
    number = next(_project_numbers)
    project = Prosjekt.objects.create(
        ekstern_id=f"TEST-{number}",
        navn=extra.pop("navn", f"Testprosjekt {number}"),
        finansieringsprogram=Finansieringsprogram.objects.get(slug=finansieringsprogram),
        rolle=rolle,
        start_date=start,
        end_date=start + datetime.timedelta(days=700),
        status=status,
        totalbudsjett=Decimal(innvilget) * 4,
        innvilget_trondelag=Decimal(innvilget),
        valuta=valuta,
        **extra,
    )
    project.tiltak.set([get_tiltak(programme, code) for code in tiltak])
    return project


def indikator(programme, navn: str) -> Indikator:
    """One of the programme's indikatorer (the programme file gives five, with the document's baselines)."""
    return Indikator.objects.get(
        Q(tiltak__innsatsomraade__omraade__handlingsprogram=programme) | Q(omraade__handlingsprogram=programme),
        navn=navn,
    )


def verdi(indikator: Indikator, aar: int, value, user) -> Indikatorverdi:
    return Indikatorverdi.objects.create(
        indikator=indikator, aar=aar, verdi=Decimal(value), kilde="Testkilde", created_by=user
    )


def pdf_text(pdf: bytes) -> str:
    """All the PDF's text on one line: hyphenation at line ends undone, whitespace collapsed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def demo_document(django_db_setup, django_db_blocker):
    """The 2021 report built and rendered once per module from the demo statusmeldinger (plus one withdrawn
    report and one internal remark); the data is rolled back afterwards."""
    from rapportering import rendering, selectors

    with django_db_blocker.unblock(), transaction.atomic():
        demo_users_create()
        assert demo_statusmeldinger_create() > 100
        programme = Handlingsprogram.objects.get(slug=PROGRAMME_SLUG)
        author = User.objects.get(username="koordinator")
        report(
            get_tiltak(programme, "1.1.1"),
            author,
            datetime.date(YEAR, 11, 30),
            "paagaar",
            "risiko",
            "TRUKKET-TILBAKE-TEKST",
            withdrawn_at=timezone.now(),
            withdrawn_by=author,
            trukket_tilbake_begrunnelse="Feil.",
        )
        report(
            get_tiltak(programme, "2.1.2"),
            author,
            datetime.date(YEAR, 12, 1),
            "paagaar",
            "i_rute",
            "Workshop i Levanger om Erasmus-pluss",
            "Tre skoler fikk mobilitetsmidler",
            intern_merknad="HEMMELIG-INTERN-MERKNAD",
        )
        document = selectors.live_document(programme=programme, year=YEAR)
        meldinger = list(
            Statusmelding.objects.filter(
                tiltak__innsatsomraade__omraade__handlingsprogram=programme,
                date__year=YEAR,
                withdrawn_at__isnull=True,
            ).values_list("gjennomfoert", "resultater")
        )
        areas = list(programme.omraader.order_by("nummer").values_list("nummer", "navn"))
        codes = [t.kode for t in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)]
        pdf = rendering.render_pdf(document)
        html = rendering.render_html(document)
        transaction.set_rollback(True)
    return {"document": document, "pdf": pdf, "html": html, "meldinger": meldinger, "areas": areas, "codes": codes}
