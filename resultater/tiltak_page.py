"""A tiltak's indikatorer and international projects, as a section of the tiltak's page (tiltak/page_sections.py)."""

from tiltak.page_sections import TiltakPageSection, register

from . import selectors


def tiltak_results(*, tiltak, user) -> dict:
    indikatorer = list(selectors.indikatorer_for_tiltak(tiltak=tiltak))
    prosjekter = list(selectors.prosjekter_for_tiltak(tiltak=tiltak))
    if not (indikatorer or prosjekter):
        return {}
    return {"indikatorer": indikatorer, "prosjekter": prosjekter}


def register_tiltak_page_section() -> None:
    register(
        TiltakPageSection(
            key="resultater", order=10, template="resultater/_tiltak_section.html", context=tiltak_results
        )
    )
