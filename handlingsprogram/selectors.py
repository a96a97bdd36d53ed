"""Reads for the programme app. Every function returns with its relations loaded, so that the number of
queries a page runs does not depend on how many areas, tiltak or goals there are."""

from dataclasses import dataclass, field

from allauth.socialaccount.models import SocialAccount
from django.db.models import Prefetch, Q, QuerySet

from .models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    EntraGruppe,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
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
    return programme.styringsdokumenter.prefetch_related(
        Prefetch("maal", queryset=Maal.objects.prefetch_related("omraader").order_by("nummer"))
    ).order_by("rekkefoelge", "tittel")


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
        )
        .order_by("handlingsprogram__start_year", "handlingsprogram_id", "nummer")
    )


def innsatsomraader_for_api() -> QuerySet[Innsatsomraade]:
    return (
        Innsatsomraade.objects.exclude(omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("omraade__handlingsprogram")
        .order_by("omraade__handlingsprogram__start_year", "omraade__handlingsprogram_id", "omraade__nummer", "nummer")
    )


def aktoerer_for_api() -> QuerySet[Aktoer]:
    return Aktoer.objects.prefetch_related(Prefetch("enheter", queryset=Enhet.objects.order_by("navn"))).order_by(
        "navn"
    )


def baerekraftsmaal_for_api() -> QuerySet[Baerekraftsmaal]:
    return Baerekraftsmaal.objects.order_by("nummer")


def styringsdokumenter_for_api() -> QuerySet[Styringsdokument]:
    return Styringsdokument.objects.prefetch_related(
        Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument").order_by("nummer"))
    ).order_by("rekkefoelge", "tittel")


def finansieringsprogrammer_for_api() -> QuerySet[Finansieringsprogram]:
    return Finansieringsprogram.objects.select_related("forelder").order_by("rekkefoelge", "navn")


def programtekster_for_api() -> QuerySet[Programtekst]:
    return (
        Programtekst.objects.exclude(handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("handlingsprogram", "forelder", "omraade__handlingsprogram")
        .order_by("handlingsprogram__start_year", "handlingsprogram_id", "position")
    )
