"""The programme loader (``manage.py load_programme``).

``programme_data_load`` turns the programme file in ``fixtures/`` into rows. It only ever creates what is
missing, matched on natural keys (numbers, slugs, codes), and never changes or deletes an existing row or
its tags: running it again after coordinators have edited the programme in the admin loses nothing and
duplicates nothing.
"""

import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    Maal,
    PrioritertOmraade,
    Styringsdokument,
)
from nettverk.models import Medlemskap, Nettverk
from resultater.models import Indikator
from tiltak.models import Ansvar, Tiltak

from .programme_text_loader import ProgrammeFileError, texts_file_read, texts_load, texts_validate

__all__ = ["LoadResult", "ProgrammeFileError", "programme_data_load", "programme_file_load"]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def record(self, obj, created: bool) -> None:
        name = obj._meta.verbose_name_plural
        (self.created if created else self.existing)[str(name)] += 1


class _Loader:
    def __init__(self):
        self.result = LoadResult()

    def get_or_create(self, model, lookup: dict, defaults: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **(defaults or {}))
            obj.full_clean()
            obj.save()
        self.result.record(obj, created)
        return obj, created


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _maal_by_ref(ref: str) -> Maal:
    """A goal is referred to as ``<styringsdokument slug>#<number>``."""
    slug, _, nummer = ref.partition("#")
    return Maal.objects.get(styringsdokument__slug=slug, nummer=int(nummer))


@transaction.atomic
def programme_data_load(*, data: dict) -> LoadResult:
    if "tekster" in data.get("handlingsprogram", {}):
        programme_row = data["handlingsprogram"]
        texts_validate(programme_row["tekster"], omraader=programme_row.get("omraader", []))
    loader = _Loader()
    get = loader.get_or_create

    for row in data.get("baerekraftsmaal", []):
        get(Baerekraftsmaal, {"nummer": row["nummer"]}, {"navn": row["navn"]})

    for row in data.get("aktoerer", []):
        aktoer, _ = get(
            Aktoer,
            {"slug": row["slug"]},
            {k: row[k] for k in ("navn", "kortnavn", "type", "url") if k in row},
        )
        for enhet in row.get("enheter", []):
            get(Enhet, {"aktoer": aktoer, "slug": enhet["slug"]}, {"navn": enhet["navn"]})

    for rekkefoelge, row in enumerate(data.get("styringsdokumenter", []), start=1):
        dokument, _ = get(
            Styringsdokument,
            {"slug": row["slug"]},
            {"rekkefoelge": rekkefoelge} | {k: row[k] for k in ("tittel", "type", "periode", "url") if k in row},
        )
        for maal in row.get("maal", []):
            get(
                Maal,
                {"styringsdokument": dokument, "nummer": maal["nummer"]},
                {"tekst": maal["tekst"], "type": maal.get("type", Maal.Type.MAAL)},
            )

    for rekkefoelge, row in enumerate(data.get("finansieringsprogrammer", []), start=1):
        defaults = {"rekkefoelge": rekkefoelge} | {
            k: row[k]
            for k in (
                "navn",
                "beskrivelse",
                "period_start",
                "period_end",
                "budsjett",
                "budsjett_valuta",
                "budsjett_merknad",
                "url",
            )
            if k in row
        }
        if row.get("forelder"):
            defaults["forelder"] = Finansieringsprogram.objects.get(slug=row["forelder"])
        get(Finansieringsprogram, {"slug": row["slug"]}, defaults)

    programme = None
    if "handlingsprogram" in data:
        programme = _load_programme(loader, data["handlingsprogram"])

    for rekkefoelge, row in enumerate(data.get("nettverk", []), start=1):
        _load_nettverk(loader, row, rekkefoelge, programme)

    if programme is not None:
        for rekkefoelge, row in enumerate(data.get("indikatorer", []), start=1):
            _load_indikator(loader, row, rekkefoelge, programme)

    return loader.result


def _load_programme(loader: _Loader, row: dict) -> Handlingsprogram:
    get = loader.get_or_create
    programme, created = get(
        Handlingsprogram,
        {"slug": row["slug"]},
        {k: row[k] for k in ("navn", "start_year", "end_year", "innledning", "vedtak") if k in row},
    )
    if created:
        programme.eiere.set(Aktoer.objects.filter(slug__in=row.get("eiere", [])))
        programme.styringsdokumenter.set(Styringsdokument.objects.filter(slug__in=row.get("styringsdokumenter", [])))

    for omraade_row in row.get("omraader", []):
        omraade, created = get(
            PrioritertOmraade,
            {"handlingsprogram": programme, "nummer": omraade_row["nummer"]},
            {k: omraade_row[k] for k in ("navn", "slug", "innledning") if k in omraade_row},
        )
        if created:
            omraade.baerekraftsmaal.set(
                Baerekraftsmaal.objects.filter(nummer__in=omraade_row.get("baerekraftsmaal", []))
            )
            omraade.maal.set([_maal_by_ref(ref) for ref in omraade_row.get("maal", [])])

        for innsats_row in omraade_row.get("innsatsomraader", []):
            innsats, _ = get(
                Innsatsomraade,
                {"omraade": omraade, "nummer": innsats_row["nummer"]},
                {k: innsats_row[k] for k in ("navn", "navn_oversikt") if k in innsats_row},
            )
            for tiltak_row in innsats_row.get("tiltak", []):
                tiltak, created = get(
                    Tiltak, {"innsatsomraade": innsats, "nummer": tiltak_row["nummer"]}, {"tekst": tiltak_row["tekst"]}
                )
                if created:
                    tiltak.baerekraftsmaal.set(
                        Baerekraftsmaal.objects.filter(nummer__in=tiltak_row.get("baerekraftsmaal", []))
                    )
                    tiltak.maal.set([_maal_by_ref(ref) for ref in tiltak_row.get("maal", [])])
                for ansvar_row in tiltak_row.get("ansvar", []):
                    aktoer = Aktoer.objects.get(slug=ansvar_row["aktoer"])
                    enhet = (
                        Enhet.objects.get(aktoer=aktoer, slug=ansvar_row["enhet"]) if ansvar_row.get("enhet") else None
                    )
                    get(
                        Ansvar,
                        {"tiltak": tiltak, "aktoer": aktoer, "enhet": enhet},
                        {
                            "rolle": ansvar_row.get("rolle", Ansvar.Rolle.ANSVARLIG),
                            "utledet": ansvar_row.get("utledet", False),
                            "begrunnelse": ansvar_row.get("begrunnelse", ""),
                        },
                    )
    texts_load(loader, programme, row.get("tekster", []))
    return programme


def _load_nettverk(loader: _Loader, row: dict, rekkefoelge: int, programme: Handlingsprogram | None) -> None:
    get = loader.get_or_create
    defaults = {"rekkefoelge": rekkefoelge} | {
        k: row[k] for k in ("navn", "kortnavn", "type", "geografi", "beskrivelse", "url") if k in row
    }
    if row.get("forelder"):
        defaults["forelder"] = Nettverk.objects.get(slug=row["forelder"])
    nettverk, created = get(Nettverk, {"slug": row["slug"]}, defaults)
    if created and programme is not None:
        nettverk.omraader.set(programme.omraader.filter(nummer__in=row.get("omraader", [])))
        nettverk.tiltak.set([Tiltak.objects.by_code(programme, code).get() for code in row.get("tiltak", [])])
    for m in row.get("medlemskap", []):
        aktoer = Aktoer.objects.get(slug=m["aktoer"])
        get(
            Medlemskap,
            {
                "nettverk": nettverk,
                "aktoer": aktoer,
                "rolle": m["rolle"],
                "nivaa": m["nivaa"],
                "start_date": _date(m.get("start_date")),
            },
            {
                "enhet": Enhet.objects.get(aktoer=aktoer, slug=m["enhet"]) if m.get("enhet") else None,
                "end_date": _date(m.get("end_date")),
                "representanter": m.get("representanter", ""),
                "merknad": m.get("merknad", ""),
            },
        )


def _load_indikator(loader: _Loader, row: dict, rekkefoelge: int, programme: Handlingsprogram) -> None:
    """An indikator with the document's figure as its baseline, on a tiltak ("2.3.3") or an area (3)."""
    owner = (
        {"tiltak": Tiltak.objects.by_code(programme, row["tiltak"]).get()}
        if "tiltak" in row
        else {"omraade": programme.omraader.get(nummer=row["omraade"])}
    )
    loader.get_or_create(
        Indikator,
        owner | {"navn": row["navn"]},
        {"rekkefoelge": rekkefoelge}
        | {k: row[k] for k in ("maaleenhet", "retning", "basis_verdi", "basis_aar", "basis_kilde") if k in row},
    )


def programme_file_load(*, path: Path) -> LoadResult:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    # The document's text may be a file of its own, named relative to the programme file.
    programme_row = data.get("handlingsprogram", {})
    if isinstance(programme_row.get("tekster"), str):
        programme_row["tekster"] = texts_file_read(programme_file=path, name=programme_row["tekster"])
    return programme_data_load(data=data)
