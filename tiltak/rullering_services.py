"""Writes for rolling a programme over into its successor (rullering) and adopting that successor.

Each service runs in one transaction: a failure anywhere (a clash, a bad row) leaves nothing half done. Nothing in
the old programme is written by the roll-over or the decisions; adopting it closes it (read-only from then on).
A copied fact is the coordinator's: every copied row and link gets a Kilde of type "person" saying where it came
from, and the old fact's own Kilde stays with the old fact."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from handlingsprogram.models import WHOLE_ROW, Handlingsprogram, Innsatsomraade, Kilde, PrioritertOmraade, Programtekst
from handlingsprogram.permissions import user_may_roll_over

from .models import Ansvar, Tiltak, TiltakRullering

# Sent inside the roll-over's transaction whenever areas or tiltak are copied into a draft, so that the apps above
# this one copy what hangs on them (resultater: the indikatorer) in the same transaction, with provenance:
# ``omraader`` and ``tiltak`` map an old row's pk to its copy's, ``reasonings`` maps (model, old pk) to the text the
# copies' Kilder say, ``provenance`` collects those Kilder (``load_old``, ``copy``) and ``user`` is the coordinator.
rows_copied = Signal()

# What a record of the county says is written in the county's language, whatever the writer's UI language.
RECORD_LANGUAGE = "nb"


def _record_text(message: str, **values) -> str:
    with translation.override(RECORD_LANGUAGE):
        return _(message) % values


class _Provenance:
    """The Kilder of the copies, collected as the copies are made and written in one go at the end."""

    def __init__(self, *, user, now):
        self.user, self.now = user, now
        self.new: dict[tuple, Kilde] = {}
        self.old: dict[tuple[int, int], list[Kilde]] = {}

    def load_old(self, model, ids) -> None:
        content_type = ContentType.objects.get_for_model(model)
        for kilde in Kilde.objects.filter(content_type=content_type, object_id__in=list(ids)):
            self.old.setdefault((content_type.pk, kilde.object_id), []).append(kilde)

    def add(self, obj, *, reasoning: str, field_name: str = WHOLE_ROW, related_id: int | None = None) -> None:
        content_type = ContentType.objects.get_for_model(obj)
        key = (content_type.pk, obj.pk, field_name, related_id)
        self.new[key] = Kilde(
            content_type=content_type,
            object_id=obj.pk,
            field_name=field_name,
            related_id=related_id,
            type=Kilde.Type.PERSON,
            reasoning=reasoning,
            recorded_by=self.user,
            recorded_at=self.now,
        )

    def copy(self, old, new, *, reasoning: str, links: dict[str, list[int]] | None = None) -> None:
        """The copy's row, each of its fields and links the old one had a Kilde for, and every copied link of a
        many-to-many relation to reference data (``links``: relation → linked pks, the same on old and new)."""
        self.add(new, reasoning=reasoning)
        for kilde in self.old.get((ContentType.objects.get_for_model(old).pk, old.pk), []):
            self.add(new, reasoning=reasoning, field_name=kilde.field_name, related_id=kilde.related_id)
        for relation, related_ids in (links or {}).items():
            for related_id in related_ids:
                self.add(new, reasoning=reasoning, field_name=relation, related_id=related_id)

    def save(self) -> None:
        if self.new:
            bulk_create_with_history(list(self.new.values()), Kilde, default_user=self.user)
        self.new = {}


def _network_links(model):
    """The many-to-many relation from the networks (an app above this one) to ``model``: its through model, the
    network's content type and the relation's name on the network, read from the model's meta so that nothing is
    imported from the networks' app."""
    field = model._meta.get_field("nettverk")  # the reverse side of Nettverk.<relation>
    return field.through, ContentType.objects.get_for_model(field.related_model), field.field.name


def _copy_network_links(model, mapping: dict[int, int], provenance: _Provenance, reasonings: dict[int, str]):
    """Link each copy to the networks its original is linked to, each link with its Kilde (kept on the network)."""
    if not mapping:
        return
    through, network_type, relation = _network_links(model)
    own = model._meta.model_name + "_id"
    rows = list(through.objects.filter(**{f"{own}__in": list(mapping)}).values_list("nettverk_id", own))
    through.objects.bulk_create(
        [through(**{"nettverk_id": nettverk_id, own: mapping[old]}) for nettverk_id, old in rows]
    )
    for nettverk_id, old in rows:
        key = (network_type.pk, nettverk_id, relation, mapping[old])
        provenance.new[key] = Kilde(
            content_type=network_type,
            object_id=nettverk_id,
            field_name=relation,
            related_id=mapping[old],
            type=Kilde.Type.PERSON,
            reasoning=reasonings[old],
            recorded_by=provenance.user,
            recorded_at=provenance.now,
        )


def _require_coordinator(user) -> None:
    if not user_may_roll_over(user):
        raise PermissionDenied


def _save(obj, user) -> None:
    obj.full_clean()
    obj._history_user = user
    obj.save()


def _copy_tiltak(
    old: Tiltak, *, innsatsomraade: Innsatsomraade, nummer: int, tekst: str, user, provenance: _Provenance, reasoning
) -> Tiltak:
    """A copy of ``old`` in ``innsatsomraade`` with its SDGs, goals, ansvar and network links, each with a Kilde."""
    copy = Tiltak(innsatsomraade=innsatsomraade, nummer=nummer, tekst=tekst)
    _save(copy, user)
    sdgs = [sdg.pk for sdg in old.baerekraftsmaal.all()]
    goals = [goal.pk for goal in old.maal.all()]
    copy.baerekraftsmaal.set(sdgs)
    copy.maal.set(goals)
    provenance.copy(old, copy, reasoning=reasoning, links={"baerekraftsmaal": sdgs, "maal": goals})
    for ansvar in old.ansvar.all():
        new_ansvar = Ansvar(
            tiltak=copy,
            aktoer_id=ansvar.aktoer_id,
            enhet_id=ansvar.enhet_id,
            rolle=ansvar.rolle,
        )
        _save(new_ansvar, user)
        provenance.copy(ansvar, new_ansvar, reasoning=reasoning)
    _copy_network_links(Tiltak, {old.pk: copy.pk}, provenance, {old.pk: reasoning})
    return copy


def _continued(programme: Handlingsprogram, code: str) -> str:
    return _record_text("Continued from %(programme)s %(code)s", programme=programme.navn, code=code)


@transaction.atomic
def programme_roll_over(*, user, programme: Handlingsprogram, navn: str, slug: str, start_year, end_year):
    """Start the successor of the current ``programme`` as a draft: a copy of its areas, innsatsområder and tiltak
    (with SDGs, goals, ansvar and network links, each copied fact with its Kilde), and for every old tiltak its
    rollover decision, "continued" until the coordinator decides otherwise. Returns the draft."""
    _require_coordinator(user)
    programme = Handlingsprogram.objects.select_for_update().get(pk=programme.pk)
    current = Handlingsprogram.objects.current()
    if current is None or current.pk != programme.pk or programme.state != Handlingsprogram.State.VEDTATT:
        raise ValidationError(_("Only the current programme can be rolled over."), code="not_current")
    successor = Handlingsprogram.objects.filter(forgjenger=programme).first()
    if successor is not None:
        raise ValidationError(
            _("%(name)s has already been rolled over into %(successor)s.")
            % {"name": programme.navn, "successor": successor.navn},
            code="already_rolled_over",
        )
    if isinstance(start_year, int) and start_year <= programme.start_year:
        raise ValidationError(
            {"start_year": _("The new programme must start after %(year)s.") % {"year": programme.start_year}}
        )
    draft = Handlingsprogram(
        navn=navn,
        slug=slug,
        start_year=start_year,
        end_year=end_year,
        innledning=programme.innledning,
        state=Handlingsprogram.State.UTKAST,
        forgjenger=programme,
    )
    _save(draft, user)
    draft.eiere.set(programme.eiere.all())
    draft.styringsdokumenter.set(programme.styringsdokumenter.all())

    areas = list(
        programme.omraader.prefetch_related(
            "baerekraftsmaal",
            "maal",
            "innsatsomraader__tiltak__baerekraftsmaal",
            "innsatsomraader__tiltak__maal",
            "innsatsomraader__tiltak__ansvar",
        ).order_by("nummer")
    )
    provenance = _Provenance(user=user, now=timezone.now())
    all_innsats = [innsats for area in areas for innsats in area.innsatsomraader.all()]
    all_tiltak = [tiltak for innsats in all_innsats for tiltak in innsats.tiltak.all()]
    provenance.load_old(PrioritertOmraade, [area.pk for area in areas])
    provenance.load_old(Innsatsomraade, [innsats.pk for innsats in all_innsats])
    provenance.load_old(Tiltak, [tiltak.pk for tiltak in all_tiltak])
    provenance.load_old(Ansvar, [ansvar.pk for tiltak in all_tiltak for ansvar in tiltak.ansvar.all()])

    area_copies, tiltak_copies, reasonings = {}, {}, {}
    for area in areas:
        reasoning = _continued(programme, str(area.nummer))
        reasonings[(PrioritertOmraade, area.pk)] = reasoning
        copy = PrioritertOmraade(
            handlingsprogram=draft, nummer=area.nummer, navn=area.navn, slug=area.slug, innledning=area.innledning
        )
        _save(copy, user)
        sdgs, goals = [sdg.pk for sdg in area.baerekraftsmaal.all()], [goal.pk for goal in area.maal.all()]
        copy.baerekraftsmaal.set(sdgs)
        copy.maal.set(goals)
        provenance.copy(area, copy, reasoning=reasoning, links={"baerekraftsmaal": sdgs, "maal": goals})
        area_copies[area.pk] = copy.pk
        for innsats in area.innsatsomraader.all():
            innsats_copy = Innsatsomraade(
                omraade=copy, nummer=innsats.nummer, navn=innsats.navn, navn_oversikt=innsats.navn_oversikt
            )
            _save(innsats_copy, user)
            provenance.copy(innsats, innsats_copy, reasoning=_continued(programme, innsats.kode))
            for tiltak in innsats.tiltak.all():
                code = f"{area.nummer}.{innsats.nummer}.{tiltak.nummer}"
                tiltak_copy = _copy_tiltak(
                    tiltak,
                    innsatsomraade=innsats_copy,
                    nummer=tiltak.nummer,
                    tekst=tiltak.tekst,
                    user=user,
                    provenance=provenance,
                    reasoning=_continued(programme, code),
                )
                tiltak_copies[tiltak.pk] = tiltak_copy.pk
                reasonings[(Tiltak, tiltak.pk)] = _continued(programme, code)
                rullering = TiltakRullering(tiltak=tiltak, handlingsprogram=draft, kopi=tiltak_copy, decided_by=user)
                _save(rullering, user)
                rullering.etterfoelgere.set([tiltak_copy])
    _copy_network_links(
        PrioritertOmraade,
        area_copies,
        provenance,
        {area.pk: _continued(programme, str(area.nummer)) for area in areas},
    )
    _copy_texts(programme, draft, area_copies, user)
    rows_copied.send(
        sender=Handlingsprogram,
        omraader=area_copies,
        tiltak=tiltak_copies,
        reasonings=reasonings,
        provenance=provenance,
        user=user,
    )
    provenance.save()
    return draft


def _copy_texts(programme: Handlingsprogram, draft: Handlingsprogram, area_copies: dict[int, int], user) -> None:
    """The programme's own text (Programtekst), part by part, into the draft: the successor's document starts as
    its predecessor's, and each part's source says it was carried over from there (the draft's text is not yet any
    adopted document's)."""
    parts = list(programme.tekster.order_by("position"))
    copies: dict[int, Programtekst] = {}
    for part in parts:
        source = _record_text(
            "Carried over from %(programme)s: %(source)s", programme=programme.navn, source=part.source
        )
        copy = Programtekst(
            handlingsprogram=draft,
            type=part.type,
            key=part.key,
            number=part.number,
            title=part.title,
            text=part.text,
            position=part.position,
            omraade_id=area_copies.get(part.omraade_id),
            refers_to=part.refers_to,
            modelled_as=part.modelled_as,
            source=source[: Programtekst._meta.get_field("source").max_length],
            source_url=part.source_url,
        )
        _save(copy, user)
        copies[part.pk] = copy
    for part in parts:
        if part.forelder_id:
            copy = copies[part.pk]
            copy.forelder = copies[part.forelder_id]
            _save(copy, user)


def _innsatsomraade_in(draft: Handlingsprogram, old: Tiltak) -> Innsatsomraade:
    """The draft's innsatsområde with the old tiltak's area and innsatsområde numbers."""
    found = Innsatsomraade.objects.filter(
        omraade__handlingsprogram=draft,
        omraade__nummer=old.innsatsomraade.omraade.nummer,
        nummer=old.innsatsomraade.nummer,
    ).first()
    if found is None:
        raise ValidationError(
            _("The draft has no focus area %(code)s to put the measure in.") % {"code": old.innsatsomraade.kode},
            code="no_innsatsomraade",
        )
    return found


def _next_number(innsatsomraade: Innsatsomraade, preferred: int | None = None) -> int:
    taken = set(innsatsomraade.tiltak.values_list("nummer", flat=True))
    if preferred is not None and preferred not in taken:
        return preferred
    return (max(taken) if taken else 0) + 1


def _merged_into(tiltak_ids, *, excluding: TiltakRullering) -> bool:
    """Whether another tiltak was merged into one of these."""
    return (
        TiltakRullering.objects.filter(decision=TiltakRullering.Decision.SLAATT_SAMMEN, etterfoelgere__in=tiltak_ids)
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def tiltak_rullering_decide(
    *,
    user,
    rullering: TiltakRullering,
    decision: str,
    reason: str = "",
    tekst: str = "",
    target: Tiltak | None = None,
    split_texts: list[str] | tuple[str, ...] = (),
) -> TiltakRullering:
    """Decide what becomes of one old tiltak in the draft successor:

    - continued: its copy, with the old text;
    - changed: its copy, with ``tekst``;
    - merged: into ``target`` (another tiltak of the draft); its own copy goes;
    - split: its copy (``tekst`` if given) and one more tiltak per text of ``split_texts``, in the same focus area;
    - closed: no successor; ``reason`` is required.

    A decision can be changed while the successor is a draft; the previous one's copies are undone first."""
    _require_coordinator(user)
    rullering = (
        TiltakRullering.objects.select_for_update(of=("self",))
        .select_related("handlingsprogram", "tiltak__innsatsomraade__omraade__handlingsprogram", "kopi")
        .get(pk=rullering.pk)
    )
    draft, old = rullering.handlingsprogram, rullering.tiltak
    Decision = TiltakRullering.Decision
    if not draft.is_draft:
        raise ValidationError(_("The programme has been adopted: its rollover decisions are final."), code="adopted")
    reason, tekst = reason.strip(), tekst.strip()
    split_texts = [text.strip() for text in split_texts if text.strip()]
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose what becomes of the measure.")
    elif decision == Decision.AVSLUTTET and not reason:
        errors["reason"] = _("Say why the measure is closed.")
    elif decision == Decision.ENDRET and not tekst:
        errors["tekst"] = _("Write the changed text of the measure.")
    elif decision == Decision.DELT and not split_texts:
        errors["split_texts"] = _("Write the text of at least one more measure it is split into.")
    elif decision == Decision.SLAATT_SAMMEN:
        if target is None or target.innsatsomraade.omraade.handlingsprogram_id != draft.pk:
            errors["target"] = _("Choose the measure in the new programme it is merged into.")
        elif rullering.kopi_id is not None and target.pk == rullering.kopi_id:
            errors["target"] = _("A measure cannot be merged into itself.")
    if errors:
        raise ValidationError(errors)

    # Undo the previous decision's extra successors (a split's) and, if this one leaves no copy, the copy; refuse
    # if another old tiltak was merged into one of them.
    extras = (
        [t.pk for t in rullering.etterfoelgere.all() if t.pk != rullering.kopi_id]
        if rullering.decision == Decision.DELT
        else []
    )
    leaves_no_copy = decision in (Decision.SLAATT_SAMMEN, Decision.AVSLUTTET)
    going = extras + ([rullering.kopi_id] if rullering.kopi_id and leaves_no_copy else [])
    if going and _merged_into(going, excluding=rullering):
        raise ValidationError(
            _("Other measures are merged into this one's successor: change their decisions first."), code="merge_target"
        )
    if going:
        # A network's link to a copy goes with the copy (the through row by cascade), and so does the link's Kilde,
        # which is kept on the network's side where no cascade reaches it.
        _through, network_type, relation = _network_links(Tiltak)
        Kilde.objects.filter(content_type=network_type, field_name=relation, related_id__in=going).delete()
    Tiltak.objects.filter(pk__in=going).delete()
    rullering.refresh_from_db(fields=["kopi"])

    reasoning = _continued(old.innsatsomraade.omraade.handlingsprogram, old.kode)
    provenance = _Provenance(user=user, now=timezone.now())
    successors = []
    if decision in (Decision.VIDEREFOERT, Decision.ENDRET, Decision.DELT):
        if rullering.kopi is None:
            provenance.load_old(Tiltak, [old.pk])
            provenance.load_old(Ansvar, list(old.ansvar.values_list("pk", flat=True)))
            innsats = _innsatsomraade_in(draft, old)
            rullering.kopi = _copy_tiltak(
                old,
                innsatsomraade=innsats,
                nummer=_next_number(innsats, old.nummer),
                tekst=old.tekst,
                user=user,
                provenance=provenance,
                reasoning=reasoning,
            )
            # The copy made again (after a merge or a closing was undone) brings its indikatorer again too.
            rows_copied.send(
                sender=Handlingsprogram,
                omraader={},
                tiltak={old.pk: rullering.kopi.pk},
                reasonings={(Tiltak, old.pk): reasoning},
                provenance=provenance,
                user=user,
            )
        copy = rullering.kopi
        new_text = old.tekst if decision == Decision.VIDEREFOERT else (tekst or copy.tekst)
        if copy.tekst != new_text:
            copy.tekst = new_text
            _save(copy, user)
            # The copy's own text is the old one's again when continued; a new text is the coordinator's.
            copy.kilder.filter(field_name="tekst").delete()
        if copy.tekst != old.tekst and not copy.kilder.filter(field_name="tekst").exists():
            provenance.add(
                copy,
                field_name="tekst",
                reasoning=_record_text("Changed in the rollover from %(code)s", code=old.kode),
            )
        successors.append(copy)
        for text in split_texts if decision == Decision.DELT else []:
            provenance.load_old(Tiltak, [old.pk])
            provenance.load_old(Ansvar, list(old.ansvar.values_list("pk", flat=True)))
            innsats = copy.innsatsomraade
            extra = _copy_tiltak(
                old,
                innsatsomraade=innsats,
                nummer=_next_number(innsats),
                tekst=text,
                user=user,
                provenance=provenance,
                reasoning=_record_text(
                    "Split from %(programme)s %(code)s",
                    programme=old.innsatsomraade.omraade.handlingsprogram.navn,
                    code=old.kode,
                ),
            )
            successors.append(extra)
    elif decision == Decision.SLAATT_SAMMEN:
        successors.append(target)

    rullering.decision = decision
    rullering.reason = reason
    rullering.decided_by = user
    _save(rullering, user)
    rullering.etterfoelgere.set(successors)
    provenance.save()
    return rullering


@transaction.atomic
def programme_adopt(*, user, programme: Handlingsprogram, decided_on: datetime.date | None, case_number: str):
    """Record Fylkesutvalget's adoption of the draft ``programme``: it becomes the current programme and its
    predecessor (which must be current) is closed, an archive that takes no more status reports."""
    _require_coordinator(user)
    programme = (
        Handlingsprogram.objects.select_for_update(of=("self",)).select_related("forgjenger").get(pk=programme.pk)
    )
    if not programme.is_draft:
        raise ValidationError(_("Only a draft programme can be adopted."), code="not_draft")
    predecessor = programme.forgjenger
    if predecessor is None or predecessor.state != Handlingsprogram.State.VEDTATT:
        raise ValidationError(
            _("Only the successor of the current programme can be adopted."), code="predecessor_not_current"
        )
    case_number = (case_number or "").strip()
    errors = {}
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = _("Give the date of Fylkesutvalget's decision.")
    if not case_number:
        errors["case_number"] = _("Give the case number of Fylkesutvalget's decision.")
    if errors:
        raise ValidationError(errors)
    programme.state = Handlingsprogram.State.VEDTATT
    programme.adopted_on = decided_on
    programme.case_number = case_number
    _save(programme, user)
    predecessor = Handlingsprogram.objects.select_for_update().get(pk=predecessor.pk)
    predecessor.state = Handlingsprogram.State.AVSLUTTET
    _save(predecessor, user)
    return programme
