"""Reads for the programme app. Every function returns with its relations loaded, so that the number of
queries a page runs does not depend on how many areas, tiltak or goals there are."""

from django.db.models import Prefetch, QuerySet

from tiltak.models import Ansvar, Tiltak

from .models import Finansieringsprogram, Handlingsprogram, Innsatsomraade, Maal, PrioritertOmraade, Styringsdokument


def programme_current() -> Handlingsprogram | None:
    return Handlingsprogram.objects.current()


def programme_get(*, slug: str) -> Handlingsprogram | None:
    return Handlingsprogram.objects.filter(slug=slug).first()


def _ansvar_prefetch() -> Prefetch:
    return Prefetch("ansvar", queryset=Ansvar.objects.select_related("aktoer", "enhet__aktoer"))


def _innsatsomraader_prefetch() -> Prefetch:
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").prefetch_related(
        _ansvar_prefetch()
    )
    return Prefetch(
        "innsatsomraader",
        queryset=Innsatsomraade.objects.select_related("omraade").prefetch_related(Prefetch("tiltak", queryset=tiltak)),
    )


def omraader_with_tiltak(*, programme: Handlingsprogram) -> QuerySet[PrioritertOmraade]:
    """The programme's areas → innsatsområder → tiltak → ansvar, and each area's SDGs."""
    return (
        programme.omraader.select_related("handlingsprogram")
        .prefetch_related("baerekraftsmaal", _innsatsomraader_prefetch())
        .order_by("nummer")
    )


def omraade_get(*, programme: Handlingsprogram, slug: str) -> PrioritertOmraade | None:
    return (
        omraader_with_tiltak(programme=programme)
        .prefetch_related(
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            "nettverk",
        )
        .filter(slug=slug)
        .first()
    )


def styringsdokumenter_with_maal(*, programme: Handlingsprogram) -> QuerySet[Styringsdokument]:
    return programme.styringsdokumenter.prefetch_related(
        Prefetch("maal", queryset=Maal.objects.prefetch_related("omraader").order_by("nummer"))
    ).order_by("rekkefoelge", "tittel")


def finansieringsprogrammer_tree() -> list[Finansieringsprogram]:
    """Top-level funding programmes, each with its sub-programmes in ``delprogrammer``."""
    return list(
        Finansieringsprogram.objects.filter(forelder__isnull=True).prefetch_related(
            Prefetch("delprogrammer", queryset=Finansieringsprogram.objects.order_by("rekkefoelge", "navn"))
        )
    )
