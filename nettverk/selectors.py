"""Reads for networks. The register is small (dozens of rows), so the hierarchy is built in Python from
one query for networks and one for memberships, whatever its depth."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from tiltak.models import Tiltak

from .models import Medlemskap, Nettverk


@dataclass
class NettverkNode:
    nettverk: Nettverk
    children: list["NettverkNode"] = field(default_factory=list)


def _all_nettverk():
    return Nettverk.objects.prefetch_related(
        Prefetch("medlemskap", queryset=Medlemskap.objects.select_related("aktoer", "enhet__aktoer")),
    ).order_by("rekkefoelge", "navn")


def nettverk_tree() -> list[NettverkNode]:
    """All networks as a forest, roots first, each node's children in register order."""
    nodes = {n.pk: NettverkNode(n) for n in _all_nettverk()}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.nettverk.forelder_id)
        (parent.children if parent else roots).append(node)
    return roots


@dataclass
class NettverkDetail:
    nettverk: Nettverk
    ancestors: list[Nettverk]
    children: list[Nettverk]
    tiltak: list[Tiltak]


def nettverk_detail(*, slug: str) -> NettverkDetail | None:
    everything = {n.pk: n for n in Nettverk.objects.order_by("rekkefoelge", "navn")}
    nettverk = next((n for n in everything.values() if n.slug == slug), None)
    if nettverk is None:
        return None
    nettverk = Nettverk.objects.prefetch_related(
        Prefetch("medlemskap", queryset=Medlemskap.objects.select_related("aktoer", "enhet__aktoer")),
        "omraader",
    ).get(pk=nettverk.pk)
    ancestors = []
    parent_id = nettverk.forelder_id
    while parent_id is not None and parent_id in everything and len(ancestors) < len(everything):
        ancestors.insert(0, everything[parent_id])
        parent_id = everything[parent_id].forelder_id
    children = [n for n in everything.values() if n.forelder_id == nettverk.pk]
    tiltak = list(
        nettverk.tiltak.select_related("innsatsomraade__omraade__handlingsprogram").order_by(
            "innsatsomraade__omraade__handlingsprogram__start_year",
            "innsatsomraade__omraade__nummer",
            "innsatsomraade__nummer",
            "nummer",
        )
    )
    return NettverkDetail(nettverk=nettverk, ancestors=ancestors, children=children, tiltak=tiltak)


def nettverk_for_api() -> QuerySet[Nettverk]:
    """Every network with its parent, areas, tiltak and memberships, in a fixed number of queries."""
    return (
        Nettverk.objects.select_related("forelder")
        .prefetch_related(
            "omraader__handlingsprogram",
            Prefetch("tiltak", queryset=Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram")),
            Prefetch("medlemskap", queryset=Medlemskap.objects.select_related("aktoer", "enhet")),
        )
        .order_by("rekkefoelge", "navn")
    )
