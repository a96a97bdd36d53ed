"""The programme loader (``manage.py load_programme``).

``programme_data_load`` turns the programme file in ``fixtures/`` into rows. It only ever creates what is
missing, matched on natural keys (numbers, slugs, codes), and never changes or deletes an existing row or
its tags: running it again after coordinators have edited the programme in the admin loses nothing and
duplicates nothing.

Every fact's source (``kilde``/``kilder``, see programme_sources) is checked before anything is written and
recorded as a ``Kilde``; a second run brings those sources up to date with the file but never overwrites one a
person recorded. One value is brought up to date too: a membership level that earlier files defaulted to
"administrativ" becomes "ikke_oppgitt" where the file now says the document does not state it.
"""

import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    Kilde,
    Maal,
    PrioritertOmraade,
    Styringsdokument,
)
from nettverk.models import Medlemskap, Nettverk
from resultater.models import Indikator
from tiltak.models import Ansvar, Tiltak

from .programme_references import predecessor_validate, programme_state, references_validate
from .programme_sources import KildeWriter, sources_validate
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
        self.sources = KildeWriter()
        # Whether this run created the file's programme: its links from the (shared) networks are then made too.
        self.programme_created = False

    def sources_record(self, fact, row: dict, kind: str) -> None:
        self.sources.record_row(fact, row, kind)

    def links_record(self, fact, row: dict, kind: str, name: str, linked: dict[str, int]) -> None:
        self.sources.record_links(fact, row, kind, name, linked)

    def get_or_create(self, model, lookup: dict, defaults: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **(defaults or {}))
            try:
                obj.full_clean()
            except ValidationError as error:
                # The checks before writing catch what they can; the model's own rules are the last word. The
                # load is one transaction, so nothing written so far stays.
                raise ProgrammeFileError(f"{_describe(model, lookup)}: {_errors_text(error)}") from error
            obj.save()
        self.result.record(obj, created)
        return obj, created


def _describe(model, lookup: dict) -> str:
    keys = ", ".join(f"{name}={value}" for name, value in lookup.items() if not hasattr(value, "pk"))
    return f"{model._meta.model_name} ({keys})"


def _errors_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


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
    sources_validate(data)
    references_validate(data)
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
        loader.sources_record(aktoer, row, "aktoerer")
        for enhet_row in row.get("enheter", []):
            enhet, _ = get(Enhet, {"aktoer": aktoer, "slug": enhet_row["slug"]}, {"navn": enhet_row["navn"]})
            loader.sources_record(enhet, enhet_row, "enheter")

    for rekkefoelge, row in enumerate(data.get("styringsdokumenter", []), start=1):
        dokument, _ = get(
            Styringsdokument,
            {"slug": row["slug"]},
            {"rekkefoelge": rekkefoelge} | {k: row[k] for k in ("tittel", "type", "periode", "url") if k in row},
        )
        loader.sources_record(dokument, row, "styringsdokumenter")
        for maal_row in row.get("maal", []):
            maal, _ = get(
                Maal,
                {"styringsdokument": dokument, "nummer": maal_row["nummer"]},
                {"tekst": maal_row["tekst"], "type": maal_row.get("type", Maal.Type.MAAL)},
            )
            loader.sources_record(maal, maal_row, "maal")

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
        program, _ = get(Finansieringsprogram, {"slug": row["slug"]}, defaults)
        loader.sources_record(program, row, "finansieringsprogrammer")

    programme = None
    if "handlingsprogram" in data:
        programme = _load_programme(loader, data["handlingsprogram"])

    for rekkefoelge, row in enumerate(data.get("nettverk", []), start=1):
        _load_nettverk(loader, row, rekkefoelge, programme)

    if programme is not None:
        for rekkefoelge, row in enumerate(data.get("indikatorer", []), start=1):
            _load_indikator(loader, row, rekkefoelge, programme)

    kilder = str(Kilde._meta.verbose_name_plural)
    loader.result.created[kilder] += loader.sources.counts["created"]
    loader.result.existing[kilder] += loader.sources.counts["updated"] + loader.sources.counts["kept"]
    return loader.result


def _record_tags(loader: _Loader, fact, row: dict, kind: str) -> None:
    """The sources of an area's or a tiltak's SDG and goal links that exist."""
    sdgs = {str(b.nummer): b.pk for b in fact.baerekraftsmaal.all()}
    loader.links_record(fact, row, kind, "baerekraftsmaal", sdgs)
    goals = {f"{m.styringsdokument.slug}#{m.nummer}": m.pk for m in fact.maal.select_related("styringsdokument")}
    loader.links_record(fact, row, kind, "maal", goals)


def _load_programme(loader: _Loader, row: dict) -> Handlingsprogram:
    get = loader.get_or_create
    predecessor = predecessor_validate(row)
    programme, created = get(
        Handlingsprogram,
        {"slug": row["slug"]},
        {k: row[k] for k in ("navn", "start_year", "end_year", "innledning", "vedtak", "case_number") if k in row}
        | {"state": programme_state(row), "adopted_on": _date(row.get("adopted_on")), "forgjenger": predecessor},
    )
    loader.programme_created = created
    if created and predecessor is not None and programme.state == Handlingsprogram.State.VEDTATT:
        # Adopted outside the portal: as the portal's own adoption, the predecessor is closed (an archive) and the
        # new programme becomes the current one, in this same transaction.
        predecessor.state = Handlingsprogram.State.AVSLUTTET
        predecessor.save(update_fields=["state", "updated_at"])
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
        loader.sources_record(omraade, omraade_row, "omraader")
        _record_tags(loader, omraade, omraade_row, "omraader")

        for innsats_row in omraade_row.get("innsatsomraader", []):
            innsats, _ = get(
                Innsatsomraade,
                {"omraade": omraade, "nummer": innsats_row["nummer"]},
                {k: innsats_row[k] for k in ("navn", "navn_oversikt") if k in innsats_row},
            )
            loader.sources_record(innsats, innsats_row, "innsatsomraader")
            for tiltak_row in innsats_row.get("tiltak", []):
                tiltak, created = get(
                    Tiltak, {"innsatsomraade": innsats, "nummer": tiltak_row["nummer"]}, {"tekst": tiltak_row["tekst"]}
                )
                if created:
                    tiltak.baerekraftsmaal.set(
                        Baerekraftsmaal.objects.filter(nummer__in=tiltak_row.get("baerekraftsmaal", []))
                    )
                    tiltak.maal.set([_maal_by_ref(ref) for ref in tiltak_row.get("maal", [])])
                loader.sources_record(tiltak, tiltak_row, "tiltak")
                _record_tags(loader, tiltak, tiltak_row, "tiltak")
                for ansvar_row in tiltak_row.get("ansvar", []):
                    aktoer = Aktoer.objects.get(slug=ansvar_row["aktoer"])
                    enhet = (
                        Enhet.objects.get(aktoer=aktoer, slug=ansvar_row["enhet"]) if ansvar_row.get("enhet") else None
                    )
                    ansvar, _ = get(
                        Ansvar,
                        {"tiltak": tiltak, "aktoer": aktoer, "enhet": enhet},
                        {"rolle": ansvar_row.get("rolle", Ansvar.Rolle.ANSVARLIG)},
                    )
                    loader.sources_record(ansvar, ansvar_row, "ansvar")
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
    loader.sources_record(nettverk, row, "nettverk")
    if programme is None:
        return _load_medlemskap(loader, nettverk, row)
    # A network is shared by every programme; the file speaks only for its links to this programme's areas and
    # tiltak (the same number or code means another row in another programme). They are made with the network or
    # with the programme, and never again (a link a coordinator removed stays removed).
    if created or loader.programme_created:
        nettverk.omraader.add(*programme.omraader.filter(nummer__in=row.get("omraader", [])))
        nettverk.tiltak.add(*[Tiltak.objects.by_code(programme, code).get() for code in row.get("tiltak", [])])
    areas = {str(o.nummer): o.pk for o in nettverk.omraader.filter(handlingsprogram=programme)}
    loader.links_record(nettverk, row, "nettverk", "omraader", areas)
    codes = {
        t.kode: t.pk
        for t in nettverk.tiltak.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
            "innsatsomraade__omraade"
        )
    }
    loader.links_record(nettverk, row, "nettverk", "tiltak", codes)
    _load_medlemskap(loader, nettverk, row)


def _load_medlemskap(loader: _Loader, nettverk: Nettverk, row: dict) -> None:
    get = loader.get_or_create
    for m in row.get("medlemskap", []):
        aktoer = Aktoer.objects.get(slug=m["aktoer"])
        lookup = {"nettverk": nettverk, "aktoer": aktoer, "rolle": m["rolle"], "start_date": _date(m.get("start_date"))}
        _level_not_stated_update(lookup, m["nivaa"])
        medlemskap, _ = get(
            Medlemskap,
            lookup | {"nivaa": m["nivaa"]},
            {
                "enhet": Enhet.objects.get(aktoer=aktoer, slug=m["enhet"]) if m.get("enhet") else None,
                "end_date": _date(m.get("end_date")),
                "representanter": m.get("representanter", ""),
                "merknad": m.get("merknad", ""),
            },
        )
        loader.sources_record(medlemskap, m, "medlemskap")


def _level_not_stated_update(lookup: dict, nivaa: str) -> None:
    """Earlier programme files said "administrativ" where the document states no level; the file now says
    "ikke_oppgitt". Bring such a membership up to date, unless a person recorded its level (a Kilde of type
    person) or the membership already exists with the new level."""
    if nivaa != Medlemskap.Nivaa.IKKE_OPPGITT or Medlemskap.objects.filter(**lookup, nivaa=nivaa).exists():
        return
    old = Medlemskap.objects.filter(**lookup, nivaa=Medlemskap.Nivaa.ADMINISTRATIV).first()
    if old is None or old.kilder.filter(field_name="nivaa", type=Kilde.Type.PERSON).exists():
        return
    old.nivaa = nivaa
    old.full_clean()
    old.save(update_fields=["nivaa", "updated_at"])


def _load_indikator(loader: _Loader, row: dict, rekkefoelge: int, programme: Handlingsprogram) -> None:
    """An indikator with the document's figure as its baseline, on a tiltak ("2.3.3") or an area (3)."""
    owner = (
        {"tiltak": Tiltak.objects.by_code(programme, row["tiltak"]).get()}
        if "tiltak" in row
        else {"omraade": programme.omraader.get(nummer=row["omraade"])}
    )
    indikator, _ = loader.get_or_create(
        Indikator,
        owner | {"navn": row["navn"]},
        {"rekkefoelge": rekkefoelge}
        | {
            k: row[k]
            for k in (
                "maaleenhet",
                "retning",
                "basis_verdi",
                "basis_aar",
                "basis_kilde",
                "beskrivelse",
                "maal_verdi",
                "maal_aar",
            )
            if k in row
        },
    )
    loader.sources_record(indikator, row, "indikatorer")


def programme_file_load(*, path: Path) -> LoadResult:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ProgrammeFileError(f"{path.name}: not valid TOML ({error}).") from error
    # The document's text may be a file of its own, named relative to the programme file.
    programme_row = data.get("handlingsprogram", {})
    if isinstance(programme_row.get("tekster"), str):
        programme_row["tekster"] = texts_file_read(programme_file=path, name=programme_row["tekster"])
    return programme_data_load(data=data)
