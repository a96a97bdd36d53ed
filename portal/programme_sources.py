"""Where each fact of the programme file comes from (``kilde`` / ``kilder`` in the file; the file's header says the
format), checked before anything is written and recorded as ``Kilde`` rows.

``sources_validate`` walks the whole file and raises ``ProgrammeFileError`` naming the row and the key for an
unknown key, a fact without a source, an inference without its reasoning or a stated fact without its reference.
``KildeWriter`` records a source for a fact the loader found or created: it creates a missing Kilde, brings a
``dokument``/``utledet`` one up to date with the file, and never touches one a person recorded.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _

from handlingsprogram.models import Kilde

from .programme_text_loader import ProgrammeFileError

# The keys each kind of row takes (besides its sources), and which of its fields or lists take a source in
# ``kilder``: REQUIRED ones must have one whenever the row has the field or a non-empty list.
ROW_KEYS = {
    "aktoerer": {"slug", "navn", "kortnavn", "type", "url", "enheter"},
    "enheter": {"slug", "navn"},
    "styringsdokumenter": {"slug", "tittel", "type", "periode", "url", "maal"},
    "maal": {"nummer", "type", "tekst"},
    "finansieringsprogrammer": {
        "slug",
        "navn",
        "beskrivelse",
        "period_start",
        "period_end",
        "budsjett",
        "budsjett_valuta",
        "budsjett_merknad",
        "url",
        "forelder",
    },
    "omraader": {"nummer", "navn", "slug", "innledning", "baerekraftsmaal", "maal", "innsatsomraader"},
    "innsatsomraader": {"nummer", "navn", "navn_oversikt", "tiltak"},
    "tiltak": {"nummer", "tekst", "baerekraftsmaal", "maal", "ansvar"},
    "ansvar": {"aktoer", "enhet", "rolle"},
    "nettverk": {
        "slug",
        "navn",
        "kortnavn",
        "type",
        "geografi",
        "beskrivelse",
        "url",
        "forelder",
        "omraader",
        "tiltak",
        "medlemskap",
    },
    "medlemskap": {"aktoer", "rolle", "nivaa", "start_date", "end_date", "enhet", "representanter", "merknad"},
    "indikatorer": {
        "tiltak",
        "omraade",
        "navn",
        "maaleenhet",
        "retning",
        "basis_verdi",
        "basis_aar",
        "basis_kilde",
        # Since the export (manage.py export_programme): what the portal adds to the document's figure.
        "beskrivelse",
        "maal_verdi",
        "maal_aar",
    },
}
SOURCED_FIELDS = {
    "ansvar": ("enhet", "rolle"),
    "medlemskap": ("nivaa",),
    "indikatorer": ("basis_verdi", "basis_aar"),
}
# Fields that may have a source of their own but need none (the row's source covers them): a tiltak's text changed
# in a roll-over is the coordinator's (manage.py export_programme writes it so).
OPTIONAL_SOURCED_FIELDS = {
    "tiltak": ("tekst",),
}
SOURCED_LISTS = {
    "omraader": ("baerekraftsmaal", "maal"),
    "tiltak": ("baerekraftsmaal", "maal"),
    "nettverk": ("omraader", "tiltak"),
}
# A level the document does not state carries no source: the value says so.
NOT_STATED = {"nivaa": "ikke_oppgitt"}
ALL_ITEMS = "alle"


# What the record says is written in the county's language, whatever the UI language.
RECORD_LANGUAGE = "nb"
PERSON_KEYS = {"person", "tidspunkt", "navn", "begrunnelse", "referanse"}


@dataclass(frozen=True)
class Source:
    type: str
    reference: str = ""
    reasoning: str = ""
    # A person's source (type person): their username, name and when they recorded it.
    person: str = ""
    person_name: str = ""
    recorded_at: datetime.datetime | None = None


def _person_parse(value: dict, where: str) -> Source:
    """``{ person = "username", tidspunkt = 2026-12-02T14:00:00Z, navn = "…", begrunnelse = "…" }``: a fact a
    person entered or confirmed in a portal, as ``manage.py export_programme`` writes it."""
    if unknown := sorted(set(value) - PERSON_KEYS):
        raise ProgrammeFileError(f"{where}: unknown key(s) of a person's source: {', '.join(unknown)}.")
    person, when = value.get("person"), value.get("tidspunkt")
    if not isinstance(person, str) or not person.strip():
        raise ProgrammeFileError(f"{where}: a person's source needs person (the username).")
    if isinstance(when, str):
        try:
            when = datetime.datetime.fromisoformat(when)
        except ValueError:
            when = None
    if not isinstance(when, datetime.datetime) or when.tzinfo is None:
        raise ProgrammeFileError(f"{where}: a person's source needs tidspunkt, a date and time with its offset.")
    for name in ("navn", "begrunnelse", "referanse"):
        if not isinstance(value.get(name, ""), str):
            raise ProgrammeFileError(f"{where}.{name}: must be a string.")
    return Source(
        Kilde.Type.PERSON,
        reference=value.get("referanse", "").strip(),
        reasoning=value.get("begrunnelse", "").strip(),
        person=person.strip(),
        person_name=value.get("navn", "").strip(),
        recorded_at=when,
    )


def source_parse(value, where: str) -> Source:
    """A source as the file writes it: a reference (stated), ``{ utledet = "reasoning" }`` or a person's source
    (``{ person = …, tidspunkt = … }``, see _person_parse)."""
    if isinstance(value, dict) and "person" in value:
        return _person_parse(value, where)
    if isinstance(value, str):
        if not value.strip():
            raise ProgrammeFileError(f"{where}: a stated source needs its reference in the document (e.g. «kap. 2.2»).")
        return Source(Kilde.Type.DOKUMENT, reference=value.strip())
    if isinstance(value, dict) and set(value) == {"utledet"}:
        reasoning = value["utledet"]
        if not isinstance(reasoning, str) or not reasoning.strip():
            raise ProgrammeFileError(f"{where}: an inferred source (utledet) needs its reasoning.")
        return Source(Kilde.Type.UTLEDET, reasoning=reasoning.strip())
    raise ProgrammeFileError(
        f'{where}: a source is a reference ("kap. 2.2, TILTAK"), {{ utledet = "reasoning" }} or '
        f"{{ person = …, tidspunkt = … }}, not {value!r}."
    )


def list_sources(value, items: list, where: str) -> dict[str, Source]:
    """The source of each item of a relation list, keyed by the item as written (``str(item)``)."""
    keys = [str(item) for item in items]
    if isinstance(value, str) or (isinstance(value, dict) and (set(value) == {"utledet"} or "person" in value)):
        source = source_parse(value, where)
        return dict.fromkeys(keys, source)
    if not isinstance(value, dict):
        raise ProgrammeFileError(f"{where}: give one source for the list or a table of sources per item.")
    if unknown := sorted(set(value) - set(keys) - {ALL_ITEMS}):
        raise ProgrammeFileError(f"{where}: {', '.join(unknown)} not in the list.")
    default = source_parse(value[ALL_ITEMS], f"{where}.{ALL_ITEMS}") if ALL_ITEMS in value else None
    sources = {}
    for key in keys:
        if key in value:
            sources[key] = source_parse(value[key], f"{where}.{key}")
        elif default is not None:
            sources[key] = default
        else:
            raise ProgrammeFileError(f"{where}: no source for {key} (give it one or an «{ALL_ITEMS}» source).")
    return sources


def row_sources(kind: str, row: dict, where: str) -> tuple[Source, dict[str, Source], dict[str, dict[str, Source]]]:
    """Check one row's keys and sources; return its own source, its fields' sources and its lists' sources."""
    if not isinstance(row, dict):
        raise ProgrammeFileError(f"{where}: a row is a table of keys.")
    allowed = ROW_KEYS[kind] | {"kilde", "kilder"}
    if unknown := sorted(set(row) - allowed):
        raise ProgrammeFileError(f"{where}: unknown key(s): {', '.join(unknown)}.")
    if "kilde" not in row:
        raise ProgrammeFileError(f"{where}: missing kilde (where in the document the row comes from, or utledet).")
    own = source_parse(row["kilde"], f"{where}.kilde")
    given = row.get("kilder", {})
    if not isinstance(given, dict):
        raise ProgrammeFileError(f"{where}.kilder: a table of sources per field or list.")
    fields_allowed, lists_allowed = SOURCED_FIELDS.get(kind, ()), SOURCED_LISTS.get(kind, ())
    optional = OPTIONAL_SOURCED_FIELDS.get(kind, ())
    if unknown := sorted(set(given) - set(fields_allowed) - set(lists_allowed) - set(optional)):
        raise ProgrammeFileError(f"{where}.kilder: unknown key(s): {', '.join(unknown)}.")
    fields: dict[str, Source] = {}
    for name in optional:
        if name in given:
            if row.get(name) in (None, ""):
                raise ProgrammeFileError(f"{where}.kilder.{name}: the row has no {name} to give a source for.")
            fields[name] = source_parse(given[name], f"{where}.kilder.{name}")
    for name in fields_allowed:
        present = row.get(name) not in (None, "") and row.get(name) != NOT_STATED.get(name)
        if name in given:
            if not present:
                raise ProgrammeFileError(f"{where}.kilder.{name}: the row has no {name} to give a source for.")
            fields[name] = source_parse(given[name], f"{where}.kilder.{name}")
        elif present:
            raise ProgrammeFileError(f"{where}: missing kilder.{name} (the source of {name} = {row[name]!r}).")
    lists: dict[str, dict[str, Source]] = {}
    for name in lists_allowed:
        items = row.get(name) or []
        if name in given:
            if not items:
                raise ProgrammeFileError(f"{where}.kilder.{name}: the row has no {name} to give a source for.")
            lists[name] = list_sources(given[name], items, f"{where}.kilder.{name}")
        elif items:
            raise ProgrammeFileError(f"{where}: missing kilder.{name} (the source of the {name} list).")
    return own, fields, lists


def sources_validate(data: dict) -> None:
    """Raise ProgrammeFileError for the first row of the file whose keys or sources are wrong."""

    def rows(kind: str, parent: dict, key: str, where: str):
        for index, row in enumerate(parent.get(key, []) or [], start=1):
            label = f"{where}{key}[{index}]"
            if isinstance(row, dict):
                name = row.get("slug") or row.get("nummer") or row.get("aktoer") or row.get("navn")
                if name is not None:
                    label += f" ({name})"
            row_sources(kind, row, label)
            yield row, label + "."

    for aktoer, where in rows("aktoerer", data, "aktoerer", ""):
        list(rows("enheter", aktoer, "enheter", where))
    for dokument, where in rows("styringsdokumenter", data, "styringsdokumenter", ""):
        list(rows("maal", dokument, "maal", where))
    list(rows("finansieringsprogrammer", data, "finansieringsprogrammer", ""))
    for omraade, where in rows("omraader", data.get("handlingsprogram", {}), "omraader", "handlingsprogram."):
        for innsats, where_i in rows("innsatsomraader", omraade, "innsatsomraader", where):
            for tiltak, where_t in rows("tiltak", innsats, "tiltak", where_i):
                list(rows("ansvar", tiltak, "ansvar", where_t))
    for nettverk, where in rows("nettverk", data, "nettverk", ""):
        list(rows("medlemskap", nettverk, "medlemskap", where))
    list(rows("indikatorer", data, "indikatorer", ""))


class KildeWriter:
    """Records the file's sources for the facts the loader found or created (``counts`` says what it did)."""

    def __init__(self):
        self.counts = {"created": 0, "updated": 0, "kept": 0}
        self.users: dict[str, object] = {}

    def _person_resolved(self, source: Source) -> tuple[Source, object]:
        """A person's source as a person's Kilde when the username is a user here. Otherwise the fact cannot say
        who stands behind it here: an inference, whose reasoning names the person, the time and their reasoning
        (never shown as a person's word, and a coordinator can confirm it)."""
        if source.person not in self.users:
            self.users[source.person] = get_user_model().objects.filter(username=source.person).first()
        user = self.users[source.person]
        if user is not None:
            return source, user
        who = f"{source.person_name} ({source.person})" if source.person_name else source.person
        with translation.override(RECORD_LANGUAGE):
            reasoning = _(
                "Recorded by %(who)s on %(date)s in the portal the file was exported from; there is no such user here."
            ) % {"who": who, "date": f"{source.recorded_at:%d.%m.%Y}"}
            if source.reasoning:
                reasoning += " " + _("Their reasoning: %(reasoning)s") % {"reasoning": source.reasoning}
        return Source(Kilde.Type.UTLEDET, reference=source.reference, reasoning=reasoning), None

    def record(self, fact, source: Source, field_name: str = "", related_id: int | None = None) -> None:
        user = None
        if source.type == Kilde.Type.PERSON:
            source, user = self._person_resolved(source)
        content_type = ContentType.objects.get_for_model(fact)
        kilde = Kilde.objects.filter(
            content_type=content_type, object_id=fact.pk, field_name=field_name, related_id=related_id
        ).first()
        if kilde is None:
            kilde = Kilde(content_type=content_type, object_id=fact.pk, field_name=field_name, related_id=related_id)
            self.counts["created"] += 1
        elif kilde.type == Kilde.Type.PERSON:
            # A coordinator confirmed or corrected this fact: the file no longer speaks for it.
            self.counts["kept"] += 1
            return
        elif (kilde.type, kilde.reference, kilde.reasoning) == (source.type, source.reference, source.reasoning):
            self.counts["kept"] += 1
            return
        else:
            self.counts["updated"] += 1
        kilde.type, kilde.reference, kilde.reasoning = source.type, source.reference, source.reasoning
        kilde.recorded_by, kilde.recorded_at = (user, source.recorded_at) if user is not None else (None, None)
        kilde.full_clean()
        kilde.save()

    def record_row(self, fact, row: dict, kind: str) -> None:
        """The row's own source and its fields' (the row is valid: sources_validate)."""
        own, fields, _ = row_sources(kind, row, kind)
        self.record(fact, own)
        for name, source in fields.items():
            self.record(fact, source, field_name=name)

    def record_links(self, fact, row: dict, kind: str, name: str, linked: dict[str, int]) -> None:
        """The sources of the links of list ``name`` that exist: ``linked`` maps an item as written in the file
        to the linked row's pk, for the links the fact has (a link a coordinator removed gets no source)."""
        _, _, lists = row_sources(kind, row, kind)
        for item, source in lists.get(name, {}).items():
            if item in linked:
                self.record(fact, source, field_name=name, related_id=linked[item])
