"""Following networks and priority areas (issue 18): staff follow a network (and with it its sub-networks) or a
priority area from its page, and get a notification when a report-back is saved for it; a leser may not follow,
the one who reported is not told, and nobody is told twice."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import PrioritertOmraade, User
from nettverk import services
from nettverk.models import Deltagelse, Nettverk
from varsler import selectors as varsler_selectors
from varsler import services as varsler_services
from varsler.models import Foelging, Varsel

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BEFORE = {"formaal": "Påvirke TEN-T", "forberedelser": "Notat til fylkesrådet"}
AFTER = {"referat": "Korridoren ble utvidet", "deling": "Delt med Innovasjon Norge"}


@pytest.fixture
def nsc(programme):
    return Nettverk.objects.get(slug="nordsjokommisjonen")


@pytest.fixture
def follower(make_user, enhet_utdanning):
    return make_user("foelger", User.Rolle.SAKSBEHANDLER, enhet_utdanning)


def report_back(user, slug, *, title="Arbeidsgruppemøte") -> Deltagelse:
    deltagelse = services.deltagelse_create(
        user=user,
        data={
            "nettverk": Nettverk.objects.get(slug=slug),
            "tittel": title,
            "type": Deltagelse.Type.MOETE,
            "start": TODAY - datetime.timedelta(days=2),
            "sted": "Brussel",
            "nivaa": "administrativ",
            **BEFORE,
        },
    )
    assert deltagelse.status == Deltagelse.Status.GJENNOMFOERT
    return services.deltagelse_update(deltagelse=deltagelse, user=user, data=AFTER)


def tilbakerapporteringer(user):
    return list(Varsel.objects.filter(user=user, kind=Varsel.Kind.TILBAKERAPPORTERING).values_list("text", "link"))


def test_a_follower_of_a_network_is_told_of_report_backs_from_it_and_its_sub_networks_only(
    nsc, follower, saksbehandler
):
    varsler_services.foelging_start(user=follower, followed=nsc)
    own = report_back(saksbehandler, "nordsjokommisjonen", title="Årsmøte NSC")
    child = report_back(saksbehandler, "nsc-transport", title="Transportgruppen")
    report_back(saksbehandler, "cpmr", title="CPMR generalforsamling")  # the parent: not followed
    assert sorted(tilbakerapporteringer(follower)) == sorted(
        [
            (
                f"Ny tilbakerapportering fra Nordsjøkommisjonen: «Årsmøte NSC» ({own.start:%d.%m.%Y})",
                own.get_absolute_url(),
            ),
            (
                f"Ny tilbakerapportering fra {child.nettverk.navn}: «Transportgruppen» ({child.start:%d.%m.%Y})",
                child.get_absolute_url(),
            ),
        ]
    )
    assert tilbakerapporteringer(saksbehandler) == [], "not the one who reported"


def test_a_follower_of_an_area_is_told_once_even_when_following_the_network_too(nsc, follower, saksbehandler):
    area = nsc.omraader.get()
    varsler_services.foelging_start(user=follower, followed=area)
    varsler_services.foelging_start(user=follower, followed=nsc)
    varsler_services.foelging_start(user=follower, followed=nsc)  # twice is once
    assert Foelging.objects.filter(user=follower).count() == 2
    deltagelse = report_back(saksbehandler, "nsc-transport")
    assert len(tilbakerapporteringer(follower)) == 1
    # Back a step and reported again: no second notification of the same report-back.
    services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="gjennomfoert")
    services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="rapportert")
    assert len(tilbakerapporteringer(follower)) == 1


def test_other_areas_unfollowed_and_inactive_users_are_not_told(nsc, follower, saksbehandler, koordinator):
    other_area = PrioritertOmraade.objects.exclude(pk__in=nsc.omraader.all()).filter(
        handlingsprogram=nsc.omraader.get().handlingsprogram
    )[0]
    varsler_services.foelging_start(user=follower, followed=other_area)
    varsler_services.foelging_start(user=koordinator, followed=nsc)
    varsler_services.foelging_stop_object(user=koordinator, followed=nsc)
    gone = User.objects.create_user(username="sluttet", password="x" * 20, rolle="saksbehandler")
    varsler_services.foelging_start(user=gone, followed=nsc)
    gone.is_active = False
    gone.save()
    report_back(saksbehandler, "nordsjokommisjonen")
    assert not Varsel.objects.filter(kind=Varsel.Kind.TILBAKERAPPORTERING).exists()


def test_a_leser_may_not_follow(nsc, leser, client):
    with pytest.raises(PermissionDenied):
        varsler_services.foelging_start(user=leser, followed=nsc)
    client.force_login(leser)
    assert client.post(reverse("nettverk:foelg", kwargs={"slug": nsc.slug})).status_code == 403
    assert "Følg" not in client.get(nsc.get_absolute_url()).content.decode().split("<main")[1].split("</h1>")[1][:300]
    assert not Foelging.objects.exists()


def test_follow_and_unfollow_from_the_network_and_area_pages(nsc, follower, client, programme):
    client.force_login(follower)
    url = reverse("nettverk:foelg", kwargs={"slug": nsc.slug})
    page = client.get(nsc.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and "Følg<span" in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == nsc.get_absolute_url()
    assert varsler_selectors.foelging_of(user=follower, followed=nsc) is not None
    page = client.get(nsc.get_absolute_url()).content.decode()
    assert "Du følger Nordsjøkommisjonen" in page and "Slutt å følge" in page
    client.post(url, {"stopp": "1"})
    assert varsler_selectors.foelging_of(user=follower, followed=nsc) is None

    area = programme.omraader.get(nummer=4)
    area_url = reverse("tiltak:omraade_foelg", kwargs={"program": programme.slug, "omraade": area.slug})
    assert f'action="{area_url}"' in client.get(area.get_absolute_url()).content.decode()
    assert client.post(area_url).status_code == 302
    assert [f.followed for f in varsler_selectors.foelginger_for(user=follower)] == [area]
    client.post(area_url, {"stopp": "1"})
    assert varsler_selectors.foelginger_for(user=follower) == []
    assert client.post(reverse("nettverk:foelg", kwargs={"slug": "finnes-ikke"})).status_code == 404
