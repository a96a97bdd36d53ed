"""Sections that apps above tiltak add to a tiltak's page, so that tiltak shows their data without importing them
(the layers in DESIGN.md run the other way). An app registers its section once, in its ``AppConfig.ready()``;
``tiltak_detail`` renders the sections in ``order`` after the statusmeldinger.

A section is a template and a function that returns its context for a tiltak and the requesting user. The
function must run a fixed number of queries, however much data the tiltak has (the page's count is pinned by
tests/handlingsprogram/test_views.py::test_tiltak_page_queries_are_constant)."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Tiltak


@dataclass(frozen=True)
class TiltakPageSection:
    key: str  # unique; registering the same key again replaces the section (autoreload, tests)
    order: int
    template: str
    context: Callable[..., dict]  # context(*, tiltak, user) -> dict, or {} to leave the section out


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict


_sections: dict[str, TiltakPageSection] = {}


def register(section: TiltakPageSection) -> None:
    _sections[section.key] = section


def sections_for(*, tiltak: Tiltak, user) -> list[RenderedSection]:
    rendered = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(tiltak=tiltak, user=user)
        if context:
            rendered.append(RenderedSection(template=section.template, context=context))
    return rendered
