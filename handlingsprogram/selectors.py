"""Reads for the programme app. Every function returns with its relations loaded, so that the number of
queries a page runs does not depend on how many areas, tiltak or goals there are."""

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from felles.search import SearchText, text_search

from .models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    EntraGruppe,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    Kilde,
    Kommentar,
    Maal,
    PrioritertOmraade,
    Programtekst,
    Styringsdokument,
    User,
)


@dataclass(frozen=True)
class EntraAccess:
    rolle: str
    enhet_id: int | None


ROLE_RANK = {User.Rolle.LESER: 0, User.Rolle.SAKSBEHANDLER: 1, User.Rolle.KOORDINATOR: 2}


def entra_access(group_ids: list[str]) -> EntraAccess | None:
    """What the Entra ID groups give: the highest role of the mapped groups and the unit of the first (by name)
    that names one; None when no group is mapped (no access)."""
    groups = list(EntraGruppe.objects.filter(gruppe_id__in=[g.lower() for g in group_ids]).order_by("navn"))
    if not groups:
        return None
    rolle = max((g.rolle for g in groups), key=ROLE_RANK.__getitem__)
    enhet_id = next((g.enhet_id for g in groups if g.enhet_id), None)
    return EntraAccess(rolle=rolle, enhet_id=enhet_id)


def user_has_entra_login(*, user) -> bool:
    """Whether the account was made by, and logs in through, an Entra ID login (allauth's social account link).
    Entra ID is the only external login, so any link counts."""
    return SocialAccount.objects.filter(user_id=user.pk).exists()


def username_has_entra_login(*, username: str) -> bool:
    """The same, by the username typed on a login form. Case-insensitive, because allauth's authentication
    backend matches usernames that way, and so would log the account in."""
    return SocialAccount.objects.filter(user__username__iexact=username).exists()


def programme_current() -> Handlingsprogram | None:
    return Handlingsprogram.objects.current()


def programme_get(*, slug: str, include_drafts: bool = False) -> Handlingsprogram | None:
    """The programme by its slug; a draft only with ``include_drafts`` (``permissions.user_may_see_drafts``)."""
    programmes = Handlingsprogram.objects.all() if include_drafts else Handlingsprogram.objects.published()
    return programmes.filter(slug=slug).first()


def styringsdokumenter_with_maal(*, programme: Handlingsprogram) -> QuerySet[Styringsdokument]:
    """The programme's governing documents → goals → the areas they are behind, each with where it comes from."""
    omraader = PrioritertOmraade.objects.prefetch_related(kilder_prefetch())
    maal = Maal.objects.prefetch_related(Prefetch("omraader", queryset=omraader), kilder_prefetch()).order_by("nummer")
    return programme.styringsdokumenter.prefetch_related(Prefetch("maal", queryset=maal), kilder_prefetch()).order_by(
        "rekkefoelge", "tittel"
    )


@dataclass
class DocumentPart:
    """A part of the programme document as its page shows it: the part, the level of its heading, and what belongs
    to it (sub-chapters, fact boxes, footnotes), each in document order."""

    tekst: Programtekst
    level: int
    sections: list["DocumentPart"] = field(default_factory=list)
    boxes: list[Programtekst] = field(default_factory=list)
    footnotes: list[Programtekst] = field(default_factory=list)


def programme_document(*, programme: Handlingsprogram) -> list[DocumentPart]:
    """The programme document's top-level parts (the figure, the chapters, the appendices), in document order, each
    with what belongs to it. One query, however many parts."""
    texts = list(programme.tekster.select_related("handlingsprogram", "omraade__handlingsprogram").order_by("position"))
    children: dict[int, list[Programtekst]] = {}
    for tekst in texts:
        children.setdefault(tekst.forelder_id, []).append(tekst)

    def part(tekst: Programtekst, level: int) -> DocumentPart:
        node = DocumentPart(tekst=tekst, level=level)
        for child in children.get(tekst.pk, []):
            if child.type == Programtekst.Type.FOTNOTE:
                node.footnotes.append(child)
            elif child.type == Programtekst.Type.FAKTABOKS:
                node.boxes.append(child)
            else:
                node.sections.append(part(child, level + 1))
        return node

    return [part(tekst, 2) for tekst in children.get(None, [])]


@dataclass
class AreaChapter:
    """What the programme document has for a priority area beyond the area's own text (the area page)."""

    chapter: Programtekst | None = None
    boxes: list[Programtekst] = field(default_factory=list)
    footnotes: list[Programtekst] = field(default_factory=list)


def area_chapter(*, omraade: PrioritertOmraade) -> AreaChapter:
    """The area's chapter in the programme document and the fact boxes and footnotes that belong to it, in
    document order. One query."""
    found = AreaChapter()
    texts = (
        Programtekst.objects.filter(Q(omraade=omraade) | Q(forelder__omraade=omraade))
        .select_related("handlingsprogram")
        .order_by("position")
    )
    for tekst in texts:
        if tekst.omraade_id == omraade.pk:
            found.chapter = tekst
        elif tekst.type == Programtekst.Type.FOTNOTE:
            found.footnotes.append(tekst)
        elif tekst.type == Programtekst.Type.FAKTABOKS:
            found.boxes.append(tekst)
    return found


def finansieringsprogrammer_tree() -> list[Finansieringsprogram]:
    """Top-level funding programmes, each with its sub-programmes in ``delprogrammer``."""
    return list(
        Finansieringsprogram.objects.filter(forelder__isnull=True).prefetch_related(
            Prefetch("delprogrammer", queryset=Finansieringsprogram.objects.order_by("rekkefoelge", "navn"))
        )
    )


# --- The partner API's reads: each returns every row with what its serializer reads, in a fixed number of
# queries whatever the number of rows. -----------------------------------------------------------------------


def programmes_for_api() -> QuerySet[Handlingsprogram]:
    return (
        Handlingsprogram.objects.published()
        .select_related("forgjenger")
        .prefetch_related("eiere", Prefetch("omraader", queryset=PrioritertOmraade.objects.order_by("nummer")))
        .order_by("-start_year", "navn")
    )


def omraader_for_api() -> QuerySet[PrioritertOmraade]:
    return (
        PrioritertOmraade.objects.exclude(handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("handlingsprogram")
        .prefetch_related(
            "baerekraftsmaal",
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            Prefetch("innsatsomraader", queryset=Innsatsomraade.objects.order_by("nummer")),
            Prefetch("kilder", queryset=Kilde.objects.select_related("recorded_by")),
        )
        .order_by("handlingsprogram__start_year", "handlingsprogram_id", "nummer")
    )


def innsatsomraader_for_api() -> QuerySet[Innsatsomraade]:
    return (
        Innsatsomraade.objects.exclude(omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("omraade__handlingsprogram")
        .prefetch_related(kilder_prefetch())
        .order_by("omraade__handlingsprogram__start_year", "omraade__handlingsprogram_id", "omraade__nummer", "nummer")
    )


def aktoerer_for_api() -> QuerySet[Aktoer]:
    return Aktoer.objects.prefetch_related(
        Prefetch("enheter", queryset=Enhet.objects.prefetch_related(kilder_prefetch()).order_by("navn")),
        kilder_prefetch(),
    ).order_by("navn")


def baerekraftsmaal_for_api() -> QuerySet[Baerekraftsmaal]:
    return Baerekraftsmaal.objects.order_by("nummer")


def styringsdokumenter_for_api() -> QuerySet[Styringsdokument]:
    return Styringsdokument.objects.prefetch_related(
        Prefetch(
            "maal",
            queryset=Maal.objects.select_related("styringsdokument")
            .prefetch_related(kilder_prefetch())
            .order_by("nummer"),
        ),
        kilder_prefetch(),
    ).order_by("rekkefoelge", "tittel")


def finansieringsprogrammer_for_api() -> QuerySet[Finansieringsprogram]:
    return (
        Finansieringsprogram.objects.select_related("forelder")
        .prefetch_related(kilder_prefetch())
        .order_by("rekkefoelge", "navn")
    )


def programtekster_for_api() -> QuerySet[Programtekst]:
    return (
        Programtekst.objects.exclude(handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("handlingsprogram", "forelder", "omraade__handlingsprogram")
        .order_by("handlingsprogram__start_year", "handlingsprogram_id", "position")
    )


# --- Provenance ---------------------------------------------------------------------------------------------------


def kilder_prefetch(lookup: str = "kilder") -> Prefetch:
    """Prefetch the kilder of rows (``lookup`` the path to them, e.g. ``"ansvar__kilder"``) with who recorded
    them, so that ``{% kilde_mark %}`` on those rows costs no query."""
    return Prefetch(lookup, queryset=Kilde.objects.select_related("recorded_by"))


def kommentarer_prefetch(lookup: str = "kommentarer") -> Prefetch:
    """Prefetch the comment threads of entries (oldest first, with their authors), so that
    ``{% kommentar_thread %}`` on any number of entries costs one query."""
    return Prefetch(
        lookup, queryset=Kommentar.objects.select_related("author", "hidden_by").order_by("created_at", "id")
    )


@dataclass
class InferredFact:
    """One inferred fact as the review list shows it: the Kilde, the row it is about, the field (None for the
    row itself) and, for a link, the linked row (None if it no longer exists)."""

    kilde: Kilde
    fact: models.Model
    field: models.Field | None
    target: models.Model | None = None

    @property
    def is_link(self) -> bool:
        return self.field is not None and self.field.many_to_many

    @property
    def kind(self) -> str:
        """The kind of fact, e.g. «Ansvar · enhet»: the model's name and the field's."""
        name = str(self.fact._meta.verbose_name).capitalize()
        return f"{name} · {self.field.verbose_name}" if self.field is not None else name

    @property
    def field_label(self) -> str:
        return str(self.field.verbose_name).capitalize() if self.field is not None else ""

    @property
    def value(self) -> str:
        """The fact as it stands: the linked row, the field's value (its label for a choice) or the row."""
        if self.field is None:
            return str(self.fact)
        if self.is_link:
            return str(self.target) if self.target is not None else "–"
        if self.field.choices:
            return str(getattr(self.fact, f"get_{self.field.name}_display")())
        value = getattr(self.fact, self.field.name)
        return "–" if value in (None, "") else str(value)


def _with_related(model, paths) -> QuerySet:
    rows = model._default_manager.all()
    return rows.select_related(*sorted(paths)) if paths else rows


def inferred_count() -> int:
    return Kilde.objects.filter(type=Kilde.Type.UTLEDET).count()


def inferred_facts(
    *, related: Mapping[type, Sequence[str]] | None = None, kilde_ids: Sequence[int] | None = None
) -> list[InferredFact]:
    """Every inferred fact (or those of ``kilde_ids``) with its row and linked row. One query for the kilder, one
    per kind of row and one per kind of link, however many facts: ``related`` says which relations to load with
    each model's rows (the apps that show them know what their names are made of). Kilder whose row, field or
    linked row is gone are left out; they are stale."""
    kilder = Kilde.objects.filter(type=Kilde.Type.UTLEDET).select_related("content_type")
    if kilde_ids is not None:
        kilder = kilder.filter(pk__in=kilde_ids)
    kilder = list(kilder.order_by("content_type_id", "field_name", "object_id", "related_id"))
    by_type: dict[int, list[Kilde]] = {}
    for kilde in kilder:
        by_type.setdefault(kilde.content_type_id, []).append(kilde)
    facts: list[InferredFact] = []
    for kilder_of_type in by_type.values():
        model = kilder_of_type[0].content_type.model_class()
        if model is None:
            continue
        meta_fields = {}
        for name in {k.field_name for k in kilder_of_type if k.field_name}:
            with suppress(FieldDoesNotExist):  # a field since removed leaves its kilder stale
                meta_fields[name] = model._meta.get_field(name)
        paths = set((related or {}).get(model, ()))
        paths |= {f.name for f in meta_fields.values() if isinstance(f, models.ForeignKey)}
        rows = _with_related(model, paths).in_bulk({k.object_id for k in kilder_of_type})
        link_fields = {name: f for name, f in meta_fields.items() if f.many_to_many}
        links: dict[str, set[tuple[int, int]]] = {}
        targets: dict[str, dict[int, models.Model]] = {}
        for name, link_field in link_fields.items():
            wanted = [k for k in kilder_of_type if k.field_name == name]
            through = link_field.remote_field.through
            source, target = link_field.m2m_field_name(), link_field.m2m_reverse_field_name()
            links[name] = set(
                through.objects.filter(**{f"{source}_id__in": [k.object_id for k in wanted]}).values_list(
                    f"{source}_id", f"{target}_id"
                )
            )
            target_paths = set((related or {}).get(link_field.related_model, ()))
            targets[name] = _with_related(link_field.related_model, target_paths).in_bulk(
                {k.related_id for k in wanted if k.related_id is not None}
            )
        for kilde in kilder_of_type:
            row = rows.get(kilde.object_id)
            if row is None:
                continue
            if not kilde.field_name:
                facts.append(InferredFact(kilde=kilde, fact=row, field=None))
                continue
            meta_field = meta_fields.get(kilde.field_name)
            if meta_field is None:
                continue
            if meta_field.many_to_many:
                if (kilde.object_id, kilde.related_id) not in links[kilde.field_name]:
                    continue
                target = targets[kilde.field_name].get(kilde.related_id)
                facts.append(InferredFact(kilde=kilde, fact=row, field=meta_field, target=target))
            else:
                facts.append(InferredFact(kilde=kilde, fact=row, field=meta_field))
    return facts


def demo_rows() -> list[QuerySet]:
    """This app's rows load_demo made (for "does the database hold demo data?")."""
    return [User.objects.filter(demo=True), Handlingsprogram.objects.filter(demo=True)]


# Search (the header's search box, portal/search.py). Each function takes the user, as every search selector does.


def programmes_visible(*, include_drafts: bool) -> QuerySet[Handlingsprogram]:
    """The programmes a user may read: drafts only ``include_drafts`` (``permissions.user_may_see_drafts``)."""
    if include_drafts:
        return Handlingsprogram.objects.all()
    return Handlingsprogram.objects.published()


def _styringsdokument_programme_slug(outer: str):
    """The slug of the published programme whose governing documents page shows the document ``outer`` names (the
    adopted one first, then the newest): the page a hit links to. Drafts have no such page."""
    adopted_first = Case(When(state=Handlingsprogram.State.VEDTATT, then=Value(0)), default=Value(1))
    programmes = Handlingsprogram.objects.published().filter(styringsdokumenter=OuterRef(outer))
    return Subquery(programmes.order_by(adopted_first, "-start_year").values("slug")[:1])


def styringsdokument_search(*, query: SearchText, user) -> QuerySet[Styringsdokument]:
    """Governing documents of a published programme matching ``query`` by title and period, each with
    ``programme_slug``. Public data: the same for every user. One query (and one for a count)."""
    documents = Styringsdokument.objects.annotate(programme_slug=_styringsdokument_programme_slug("pk")).filter(
        programme_slug__isnull=False
    )
    return text_search(documents, query=query, title=["tittel"], body=["periode"])


def maal_search(*, query: SearchText, user) -> QuerySet[Maal]:
    """Goals of a published programme's governing documents matching ``query``, with their document and
    ``programme_slug``. Public data. One query (and one for a count)."""
    goals = (
        Maal.objects.select_related("styringsdokument")
        .annotate(programme_slug=_styringsdokument_programme_slug("styringsdokument"))
        .filter(programme_slug__isnull=False)
    )
    return text_search(goals, query=query, title=["tekst"], body=["styringsdokument__tittel"])


def programme_owners(*, programme: Handlingsprogram) -> list[Aktoer]:
    """The actors who own the programme (Trøndelag fylkeskommune and Innovasjon Norge Trøndelag for 2020–2023)."""
    return list(programme.eiere.order_by("navn"))
