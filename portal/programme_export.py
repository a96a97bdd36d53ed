"""Writing a programme back out to the programme file format (``manage.py export_programme``), so that a programme
made in the portal (a rolled-over draft) can be loaded elsewhere by ``load_programme``: export, load into an empty
database, and the structure is the same.

The file holds what the programme needs to load into an empty database: the reference data (SDGs, actors and their
units, governing documents and goals, funding programmes, networks and memberships) and the programme itself with
its text (``tekster``, inline), areas, innsatsområder, tiltak, ansvar, links and indikatorer. Every fact's source
comes from its ``Kilde`` as the format writes it: a reference, ``{ utledet = … }``, or a person's
``{ person = "username", navn = …, tidspunkt = …, begrunnelse = … }`` (see programme_sources). A fact with no
Kilde in the portal is written as an inference that says so, never as the document's word.
"""

import datetime
import decimal

import tomli_w
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

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

from .programme_sources import NOT_STATED, OPTIONAL_SOURCED_FIELDS, RECORD_LANGUAGE, SOURCED_FIELDS

HEADER = """\
# {navn} — written by `manage.py export_programme` on {today} from the portal's database.
# The programme file format of fixtures/handlingsprogram-2020-2023.toml (its header explains the sources); load it
# with `manage.py load_programme <file>`. A source written {{ person = "username", tidspunkt = … }} is a fact a
# person entered or confirmed in the portal; loaded where that user does not exist, it becomes an inference that
# names them.

"""


class _Sources:
    """Every Kilde of the exported facts, read once, written as the file writes a source."""

    def __init__(self, models):
        types = ContentType.objects.get_for_models(*models)
        self.type_of = {model: content_type.pk for model, content_type in types.items()}
        self.kilder = {
            (k.content_type_id, k.object_id, k.field_name, k.related_id): k
            for k in Kilde.objects.filter(content_type__in=types.values()).select_related("recorded_by")
        }
        with translation.override(RECORD_LANGUAGE):
            self.none = {"utledet": _("No source is recorded in the portal for this fact.")}

    def of(self, fact, field_name: str = "", related_id: int | None = None):
        kilde = self.kilder.get((self.type_of[type(fact)], fact.pk, field_name, related_id))
        if kilde is None:
            return self.none
        if kilde.type == Kilde.Type.DOKUMENT:
            return kilde.reference
        if kilde.type == Kilde.Type.UTLEDET:
            return {"utledet": kilde.reasoning}
        person = {"person": kilde.recorded_by.username}
        if name := kilde.recorded_by.get_full_name():
            person["navn"] = name
        person["tidspunkt"] = kilde.recorded_at
        if kilde.reasoning:
            person["begrunnelse"] = kilde.reasoning
        if kilde.reference:
            person["referanse"] = kilde.reference
        return person

    def row(self, fact, row: dict, kind: str) -> dict:
        """``row`` with its own source and its fields' (those the format sources that the row has)."""
        out = {"kilde": self.of(fact)}
        fields = {
            name: self.of(fact, name)
            for name in SOURCED_FIELDS.get(kind, ())
            if row.get(name) not in (None, "") and row.get(name) != NOT_STATED.get(name)
        }
        for name in OPTIONAL_SOURCED_FIELDS.get(kind, ()):
            if (self.type_of[type(fact)], fact.pk, name, None) in self.kilder:
                fields[name] = self.of(fact, name)
        if fields:
            out["kilder"] = fields
        return out | row

    def links(self, fact, row: dict, name: str, items: list[tuple[str | int, int]]) -> None:
        """The list ``name`` (items as written, with the linked pk) and its sources into ``row``."""
        if not items:
            return
        row[name] = [item for item, _pk in items]
        sources = {str(item): self.of(fact, name, pk) for item, pk in items}
        distinct = {repr(source) for source in sources.values()}
        row.setdefault("kilder", {})[name] = next(iter(sources.values())) if len(distinct) == 1 else sources


def _fields(obj, names) -> dict:
    """The fields that have a value (the loader leaves the others at their defaults)."""
    out = {}
    for name in names:
        value = getattr(obj, name)
        if value in (None, ""):
            continue
        if isinstance(value, decimal.Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        out[name] = value
    return out


def _parents_first(rows, parent_of):
    """Rows ordered so that each comes after its parent (the loader looks a parent up by slug)."""
    done, ordered = set(), []

    def visit(row):
        if row.pk in done:
            return
        parent = parent_of(row)
        if parent is not None:
            visit(parent)
        done.add(row.pk)
        ordered.append(row)

    by_pk = {row.pk: row for row in rows}
    for row in rows:
        visit(row)
    return [row for row in ordered if row.pk in by_pk]


def programme_export(*, programme: Handlingsprogram) -> dict:
    """The programme and the reference data it needs, as the programme file's data."""
    sources = _Sources(
        [
            Aktoer,
            Enhet,
            Styringsdokument,
            Maal,
            Finansieringsprogram,
            PrioritertOmraade,
            Innsatsomraade,
            Tiltak,
            Ansvar,
            Nettverk,
            Medlemskap,
            Indikator,
        ]
    )
    data: dict = {
        "baerekraftsmaal": [{"nummer": b.nummer, "navn": b.navn} for b in Baerekraftsmaal.objects.order_by("nummer")]
    }
    data["aktoerer"] = []
    for aktoer in Aktoer.objects.prefetch_related("enheter").order_by("pk"):
        row = sources.row(aktoer, _fields(aktoer, ("slug", "navn", "kortnavn", "type", "url")), "aktoerer")
        enheter = [
            sources.row(enhet, _fields(enhet, ("slug", "navn")), "enheter")
            for enhet in sorted(aktoer.enheter.all(), key=lambda e: e.pk)
        ]
        if enheter:
            row["enheter"] = enheter
        data["aktoerer"].append(row)
    data["styringsdokumenter"] = []
    for dokument in Styringsdokument.objects.prefetch_related("maal").order_by("rekkefoelge", "pk"):
        row = sources.row(
            dokument, _fields(dokument, ("slug", "tittel", "type", "periode", "url")), "styringsdokumenter"
        )
        maal = [
            sources.row(m, _fields(m, ("nummer", "type", "tekst")), "maal")
            for m in sorted(dokument.maal.all(), key=lambda m: m.nummer)
        ]
        if maal:
            row["maal"] = maal
        data["styringsdokumenter"].append(row)
    programs = list(Finansieringsprogram.objects.select_related("forelder").order_by("rekkefoelge", "pk"))
    data["finansieringsprogrammer"] = [
        sources.row(
            program,
            _fields(
                program,
                (
                    "slug",
                    "navn",
                    "beskrivelse",
                    "period_start",
                    "period_end",
                    "budsjett",
                    "budsjett_valuta",
                    "budsjett_merknad",
                    "url",
                ),
            )
            | ({"forelder": program.forelder.slug} if program.forelder_id else {}),
            "finansieringsprogrammer",
        )
        for program in _parents_first(programs, lambda p: p.forelder)
    ]
    data["handlingsprogram"] = _programme_row(programme, sources)
    data["nettverk"] = _networks(programme, sources)
    data["indikatorer"] = _indicators(programme, sources)
    return data


def _programme_row(programme: Handlingsprogram, sources: _Sources) -> dict:
    row = _fields(programme, ("slug", "navn", "start_year", "end_year", "state", "adopted_on", "case_number", "vedtak"))
    row |= _fields(programme, ("innledning",))
    row["eiere"] = list(programme.eiere.order_by("pk").values_list("slug", flat=True))
    row["styringsdokumenter"] = list(
        programme.styringsdokumenter.order_by("rekkefoelge", "pk").values_list("slug", flat=True)
    )
    tekster = []
    for part in programme.tekster.select_related("forelder", "omraade").order_by("position"):
        text = {"key": part.key} | _fields(
            part, ("type", "source", "number", "title", "text", "refers_to", "modelled_as", "source_url")
        )
        if part.forelder_id:
            text["forelder"] = part.forelder.key
        if part.omraade_id:
            text["omraade"] = part.omraade.nummer
        tekster.append(text)
    if tekster:
        row["tekster"] = tekster
    areas = programme.omraader.prefetch_related(
        "baerekraftsmaal",
        "maal__styringsdokument",
        "innsatsomraader__tiltak__baerekraftsmaal",
        "innsatsomraader__tiltak__maal__styringsdokument",
        "innsatsomraader__tiltak__ansvar__aktoer",
        "innsatsomraader__tiltak__ansvar__enhet",
    ).order_by("nummer")
    row["omraader"] = []
    for area in areas:
        area_row = sources.row(area, _fields(area, ("nummer", "navn", "slug", "innledning")), "omraader")
        _tags(sources, area, area_row)
        area_row["innsatsomraader"] = []
        for innsats in sorted(area.innsatsomraader.all(), key=lambda i: i.nummer):
            innsats_row = sources.row(innsats, _fields(innsats, ("nummer", "navn", "navn_oversikt")), "innsatsomraader")
            innsats_row["tiltak"] = []
            for tiltak in sorted(innsats.tiltak.all(), key=lambda t: t.nummer):
                tiltak_row = sources.row(tiltak, _fields(tiltak, ("nummer", "tekst")), "tiltak")
                _tags(sources, tiltak, tiltak_row)
                ansvar_rows = []
                for ansvar in sorted(tiltak.ansvar.all(), key=lambda a: a.pk):
                    values = {"aktoer": ansvar.aktoer.slug, "rolle": ansvar.rolle}
                    if ansvar.enhet_id:
                        values["enhet"] = ansvar.enhet.slug
                    ansvar_rows.append(sources.row(ansvar, values, "ansvar"))
                if ansvar_rows:
                    tiltak_row["ansvar"] = ansvar_rows
                innsats_row["tiltak"].append(tiltak_row)
            area_row["innsatsomraader"].append(innsats_row)
        row["omraader"].append(area_row)
    return row


def _tags(sources: _Sources, fact, row: dict) -> None:
    sdgs = sorted((b.nummer, b.pk) for b in fact.baerekraftsmaal.all())
    sources.links(fact, row, "baerekraftsmaal", sdgs)
    goals = sorted(
        ((f"{m.styringsdokument.slug}#{m.nummer}", m.pk) for m in fact.maal.all()),
        key=lambda item: item[0],
    )
    sources.links(fact, row, "maal", goals)


def _networks(programme: Handlingsprogram, sources: _Sources) -> list[dict]:
    networks = list(
        Nettverk.objects.select_related("forelder")
        .prefetch_related("omraader", "tiltak__innsatsomraade__omraade", "medlemskap__aktoer", "medlemskap__enhet")
        .order_by("rekkefoelge", "pk")
    )
    rows = []
    for nettverk in _parents_first(networks, lambda n: n.forelder):
        row = sources.row(
            nettverk,
            _fields(nettverk, ("slug", "navn", "kortnavn", "type", "geografi", "beskrivelse", "url"))
            | ({"forelder": nettverk.forelder.slug} if nettverk.forelder_id else {}),
            "nettverk",
        )
        # Only the links to this programme's areas and tiltak: the file speaks for one programme.
        areas = sorted((o.nummer, o.pk) for o in nettverk.omraader.all() if o.handlingsprogram_id == programme.pk)
        sources.links(nettverk, row, "omraader", areas)
        codes = sorted(
            (t.kode, t.pk)
            for t in nettverk.tiltak.all()
            if t.innsatsomraade.omraade.handlingsprogram_id == programme.pk
        )
        sources.links(nettverk, row, "tiltak", codes)
        medlemskap = []
        for m in sorted(nettverk.medlemskap.all(), key=lambda m: m.pk):
            values = {"aktoer": m.aktoer.slug, "rolle": m.rolle, "nivaa": m.nivaa}
            if m.enhet_id:
                values["enhet"] = m.enhet.slug
            values |= _fields(m, ("start_date", "end_date", "representanter", "merknad"))
            medlemskap.append(sources.row(m, values, "medlemskap"))
        if medlemskap:
            row["medlemskap"] = medlemskap
        rows.append(row)
    return rows


def _indicators(programme: Handlingsprogram, sources: _Sources) -> list[dict]:
    indikatorer = (
        Indikator.objects.filter(
            Q(tiltak__innsatsomraade__omraade__handlingsprogram=programme) | Q(omraade__handlingsprogram=programme)
        )
        .select_related("tiltak__innsatsomraade__omraade", "omraade")
        .order_by("rekkefoelge", "pk")
    )
    rows = []
    for indikator in indikatorer:
        owner = {"tiltak": indikator.tiltak.kode} if indikator.tiltak_id else {"omraade": indikator.omraade.nummer}
        values = owner | _fields(
            indikator,
            (
                "navn",
                "beskrivelse",
                "maaleenhet",
                "retning",
                "basis_verdi",
                "basis_aar",
                "basis_kilde",
                "maal_verdi",
                "maal_aar",
            ),
        )
        rows.append(sources.row(indikator, values, "indikatorer"))
    return rows


def programme_export_toml(*, programme: Handlingsprogram) -> str:
    """The programme file as text (UTF-8 TOML)."""
    header = HEADER.format(navn=programme.navn, today=datetime.date.today().isoformat())
    return header + tomli_w.dumps(programme_export(programme=programme), multiline_strings=True)
