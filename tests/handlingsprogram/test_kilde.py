"""Kilde: the one provenance mechanism. Its constraints hold in the database, and the mark shows each kind."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone

from handlingsprogram.models import Kilde, PrioritertOmraade
from tiltak.models import Tiltak

pytestmark = pytest.mark.django_db


def kilde(fact, **fields):
    return Kilde.objects.create(content_type=ContentType.objects.get_for_model(fact), object_id=fact.pk, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "dokument"},  # no reference
        {"type": "utledet", "reference": "kap. 2.1"},  # no reasoning
        {"type": "person"},  # no who and when
        {"type": "gjettet", "reference": "kap. 2.1"},
    ],
)
def test_a_kilde_must_say_what_its_type_needs(programme, fields):
    tiltak = Tiltak.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        kilde(tiltak, field_name="maal", related_id=1, **fields)


def test_one_kilde_per_fact(programme):
    tiltak = Tiltak.objects.first()
    Kilde.objects.filter(object_id=tiltak.pk, content_type=ContentType.objects.get_for_model(tiltak)).delete()
    kilde(tiltak, type="dokument", reference="kap. 2.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        kilde(tiltak, type="dokument", reference="kap. 2.2")
    kilde(tiltak, field_name="maal", related_id=1, type="utledet", reasoning="r")
    with pytest.raises(IntegrityError), transaction.atomic():
        kilde(tiltak, field_name="maal", related_id=1, type="utledet", reasoning="r2")


def test_kilder_go_with_their_fact(programme):
    omraade = PrioritertOmraade.objects.first()
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade=omraade).first()
    kilde(tiltak, field_name="nonexistent-check", type="utledet", reasoning="r")
    count = Kilde.objects.filter(object_id=tiltak.pk, content_type=ContentType.objects.get_for_model(tiltak)).count()
    assert count >= 1
    tiltak.delete()
    tiltak_type = ContentType.objects.get_for_model(Tiltak)
    assert not Kilde.objects.filter(object_id=tiltak.pk, content_type=tiltak_type).exists()


def render_mark(fact, *args):
    template = Template("{% load kilde %}{% kilde_mark fact " + " ".join(args) + " %}")
    return template.render(Context({"fact": fact}))


def test_the_mark_says_each_kind(programme, django_assert_num_queries, django_user_model):
    user = django_user_model.objects.create(username="k", first_name="Kari", last_name="Koordinator")
    tiltak = Tiltak.objects.first()
    Kilde.objects.filter(object_id=tiltak.pk, content_type=ContentType.objects.get_for_model(tiltak)).delete()
    kilde(tiltak, type="dokument", reference="kap. 2.1, TILTAK")
    kilde(tiltak, field_name="maal", related_id=7, type="utledet", reasoning="Same words as the goal.")
    kilde(tiltak, field_name="maal", related_id=8, type="person", recorded_by=user, recorded_at=timezone.now())
    tiltak = Tiltak.objects.prefetch_related("kilder__recorded_by").get(pk=tiltak.pk)
    with django_assert_num_queries(0):
        assert "kap. 2.1, TILTAK" in render_mark(tiltak)
        inferred = render_mark(tiltak, '"maal"', "7")
        assert "Same words as the goal." in inferred
        assert "Kari Koordinator" in render_mark(tiltak, '"maal"', "8")
        assert render_mark(tiltak, '"maal"', "9").strip() != ""  # not recorded is said, not hidden
        assert "Same words" in render_mark(tiltak, '"maal"', "7", "compact=True")  # for screen readers
        assert render_mark(tiltak, "compact=True").strip() == ""  # the document's word needs no mark in a list
