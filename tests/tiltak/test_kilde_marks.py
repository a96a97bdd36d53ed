"""Every page that shows a programme fact says where it comes from: the document's word (where in it), an
inference (marked «Utledet», with the reasoning in the HTML) or a person's entry (who and when), each differently."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import Baerekraftsmaal, Kilde, Maal, User
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2026, 11, 30, 12, 0))


@pytest.fixture
def kari(make_user):
    return make_user("kari", User.Rolle.KOORDINATOR, first_name="Kari", last_name="Koordinator")


@pytest.fixture
def source(kari):
    """source(fact, kind, field_name, related_id, text): set the fact's Kilde to the document (text = the
    reference), an inference (text = the reasoning) or Kari's entry."""

    def make(fact, kind, field_name="", related_id=None, text=""):
        defaults = {"type": kind, "reference": "", "reasoning": "", "recorded_by": None, "recorded_at": None}
        if kind == Kilde.Type.DOKUMENT:
            defaults["reference"] = text
        elif kind == Kilde.Type.UTLEDET:
            defaults["reasoning"] = text
        else:
            defaults.update(recorded_by=kari, recorded_at=WHEN)
        return Kilde.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(fact),
            object_id=fact.pk,
            field_name=field_name,
            related_id=related_id,
            defaults=defaults,
        )[0]

    return make


def main_of(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


RECORDED = "Registrert av Kari Koordinator 30.11.2026"
LEGEND = "betyr at programdokumentet ikke oppgir det"


def test_tiltak_page_marks_actor_unit_and_role_separately(client, tiltak_212, source):
    lead = tiltak_212.ansvar.get(rolle=Ansvar.Rolle.ANSVARLIG)
    source(lead, "dokument", "", text="kap. 2.1, TILTAK")
    source(lead, "utledet", "enhet", text="Utdanning er avdelingens fagfelt.")
    source(lead, "person", "rolle")
    page = main_of(client.get(tiltak_212.get_absolute_url()))
    assert 'Programdokumentet, <span lang="nb">kap. 2.1, TILTAK</span>' in page
    assert 'Ikke oppgitt i programdokumentet: <span lang="nb">Utdanning er avdelingens fagfelt.</span>' in page
    assert RECORDED in page
    assert "portal-kilde--dokument" in page and "portal-kilde--utledet" in page and "portal-kilde--person" in page
    assert LEGEND in page
    assert "Handlingsprogrammet" not in page  # the old blanket label for everything not flagged


def test_tiltak_page_marks_its_sdg_goal_and_network_links(client, tiltak_212, source):
    sdg = Baerekraftsmaal.objects.get(nummer=4)
    maal = Maal.objects.order_by("pk").first()
    nettverk = Nettverk.objects.order_by("pk").first()
    tiltak_212.baerekraftsmaal.add(sdg)
    tiltak_212.maal.add(maal)
    nettverk.tiltak.add(tiltak_212)
    source(tiltak_212, "utledet", "baerekraftsmaal", sdg.pk, text="Kvalitetsutdanning.")
    source(tiltak_212, "person", "maal", maal.pk)
    source(nettverk, "utledet", "tiltak", tiltak_212.pk, text="Nettverket arbeider med utdanning.")
    page = main_of(client.get(tiltak_212.get_absolute_url()))
    assert "Kvalitetsutdanning." in page and "Nettverket arbeider med utdanning." in page
    assert RECORDED in page


def test_overview_and_area_pages_mark_inferences_in_their_lists_only(client, programme, tiltak_212, source):
    omraade = tiltak_212.innsatsomraade.omraade
    lead = tiltak_212.ansvar.get(rolle=Ansvar.Rolle.ANSVARLIG)
    source(lead, "dokument", "", text="kap. 2.1")
    source(lead, "utledet", "enhet", text="Utdanning er avdelingens fagfelt.")
    source(lead, "person", "rolle")
    sdgs = list(omraade.baerekraftsmaal.order_by("nummer")[:2]) or list(Baerekraftsmaal.objects.all()[:2])
    omraade.baerekraftsmaal.add(*sdgs)
    source(omraade, "utledet", "baerekraftsmaal", sdgs[0].pk, text="Ikonet gikk tapt i uttrekket.")
    source(omraade, "dokument", "baerekraftsmaal", sdgs[1].pk, text="kap. 2")
    maal = Maal.objects.order_by("pk").first()
    omraade.maal.add(maal)
    source(omraade, "utledet", "maal", maal.pk, text="Vedlegg 1 nevner området.")
    for url in (reverse("tiltak:programme", kwargs={"program": programme.slug}), omraade.get_absolute_url()):
        page = main_of(client.get(url))
        assert "Utdanning er avdelingens fagfelt." in page
        assert "Ikonet gikk tapt i uttrekket." in page
        # Lists mark only what is not the document's word, compactly; who confirmed the role is on the tiltak page.
        assert "Programdokumentet, kap. 2" not in page and RECORDED not in page
        assert "portal-kilde--compact" in page and LEGEND in page
    assert "Vedlegg 1 nevner området." in main_of(client.get(omraade.get_absolute_url()))


def test_network_pages_mark_membership_levels_and_tiltak_links(client, tiltak_212, source):
    medlemskap = Medlemskap.objects.select_related("nettverk").order_by("pk").first()
    nettverk = medlemskap.nettverk
    source(medlemskap, "utledet", "nivaa", text="Nivået er ikke oppgitt; administrativt antatt.")
    other = nettverk.medlemskap.exclude(pk=medlemskap.pk).first()
    if other is not None:
        source(other, "person", "nivaa")
    nettverk.tiltak.add(tiltak_212)
    source(nettverk, "dokument", "tiltak", tiltak_212.pk, text="Vedlegg 3")
    page = main_of(client.get(nettverk.get_absolute_url()))
    assert "Nivået er ikke oppgitt; administrativt antatt." in page
    assert 'Programdokumentet, <span lang="nb">Vedlegg 3</span>' in page
    assert other is None or RECORDED in page
    assert "Nivået er ikke oppgitt" in main_of(client.get(reverse("nettverk:list")))


def test_governing_documents_page_marks_documents_goals_and_their_areas(client, programme, source):
    dokument = programme.styringsdokumenter.order_by("pk").first()
    maal = dokument.maal.order_by("pk").first()
    omraade = programme.omraader.get(nummer=1)
    omraade.maal.add(maal)
    source(dokument, "dokument", text="Vedlegg 1")
    source(maal, "person")
    source(omraade, "utledet", "maal", maal.pk, text="Målet handler om klima.")
    page = main_of(client.get(reverse("handlingsprogram:styringsdokumenter_current")))
    assert 'Programdokumentet, <span lang="nb">Vedlegg 1</span>' in page
    assert "Målet handler om klima." in page
    assert LEGEND in page
