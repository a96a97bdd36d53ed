"""In-app notifications (issue 18): the list, marking read, the header's count and the e-mail seam."""

import pytest
from django.test import Client
from django.urls import reverse

from varsler import selectors
from varsler.models import Varsel
from varsler.services import varsler_create


def _notify(user, count):
    return [
        Varsel.objects.create(user=user, kind=Varsel.Kind.FORESPOERSEL, text=f"Varsel {i}", link="/mine-tiltak/")
        for i in range(count)
    ]


def test_each_user_once_and_only_local_links(saksbehandler):
    from django.core.exceptions import ValidationError

    made = varsler_create(users=[saksbehandler, saksbehandler], kind=Varsel.Kind.FORESPOERSEL, text="Hei", link="/x/")
    assert len(made) == 1
    with pytest.raises(ValidationError):
        varsler_create(users=[saksbehandler], kind=Varsel.Kind.FORESPOERSEL, text="Hei", link="https://example.com/")


def test_list_newest_first_and_count_in_the_header(client, saksbehandler, leser):
    _notify(saksbehandler, 3)
    Varsel.objects.create(user=leser, kind=Varsel.Kind.FORESPOERSEL, text="Ikke din")
    client.force_login(saksbehandler)
    page = client.get(reverse("varsler:list")).content.decode()
    assert "Ikke din" not in page
    assert page.index("Varsel 2") < page.index("Varsel 1") < page.index("Varsel 0")
    assert "(3 uleste)" in page  # the header, on every page
    assert "(3 uleste)" in client.get(reverse("tiltak:mine")).content.decode()


def test_mark_read_is_a_post_with_csrf_and_only_ones_own(saksbehandler, leser):
    (varsel, *_) = _notify(saksbehandler, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(saksbehandler)
    assert strict.post(reverse("varsler:read", args=[varsel.pk])).status_code == 403  # no CSRF token
    varsel.refresh_from_db()
    assert not varsel.is_read

    client = Client()
    client.force_login(leser)
    assert client.post(reverse("varsler:read", args=[varsel.pk])).status_code == 404
    client.force_login(saksbehandler)
    response = client.post(reverse("varsler:read", args=[varsel.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/mine-tiltak/"
    varsel.refresh_from_db()
    assert varsel.is_read
    assert client.post(reverse("varsler:read_all")).status_code == 302
    assert selectors.unread_count(user=saksbehandler) == 0


def test_email_seam_lists_unread_unsent_to_users_with_an_address(saksbehandler, leser):
    saksbehandler.email = "kari@example.com"
    saksbehandler.save()
    first, second = _notify(saksbehandler, 2)
    _notify(leser, 1)  # no address
    second.read_at = second.created_at
    second.save()
    assert list(selectors.varsler_due_for_email()) == [first]
    assert list(selectors.varsler_due_for_email(kinds=[Varsel.Kind.RUNDE_AAPNET])) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_are_constant(client, saksbehandler, rows, django_assert_num_queries):
    _notify(saksbehandler, rows)
    client.force_login(saksbehandler)
    # session, user, the unread count (once, though the menu is drawn twice), the page count, the page, the banner
    with django_assert_num_queries(6):
        assert client.get(reverse("varsler:list")).status_code == 200
