"""Wrong old passwords on the password-change page count as failed logins (django-axes): after the limit the page
answers with the lockout page, even to the right old password (issue 20, finding 8)."""

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from handlingsprogram.models import User

PASSWORD = "a-long-test-password"  # the conftest make_user password
NEW_PASSWORD = "Fjordhest-og-nordlys-2024"


def change_password(client, old_password, new_password=NEW_PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("konto:password_change"),
        {"old_password": old_password, "new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR=address,
    )


def test_wrong_old_passwords_lock_the_password_change_like_a_login(client, make_user):
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER)
    client.force_login(kari)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        assert change_password(client, f"guess-{attempt}").status_code == 200, attempt
    assert change_password(client, "guess-last").status_code == 429

    response = change_password(client, PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede innlogginger" in response.content.decode()
    kari.refresh_from_db()
    assert kari.check_password(PASSWORD)
    assert not kari.check_password(NEW_PASSWORD)

    # The same counter as the login page: the account is locked there too …
    client.logout()
    login = client.post(reverse("konto:login"), {"username": "kari", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert login.status_code == 429
    # … and the record a coordinator sees in the admin holds none of the passwords typed.
    recorded = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "kari" in AccessAttempt.objects.values_list("username", flat=True)
    assert "guess" not in recorded and NEW_PASSWORD not in recorded and PASSWORD not in recorded


def test_the_right_old_password_below_the_limit_still_changes_it(client, make_user):
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER)
    client.force_login(kari)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        assert change_password(client, f"guess-{attempt}").status_code == 200
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.check_password(NEW_PASSWORD)
    assert "_auth_user_id" in client.session  # still logged in (Django keeps the session after a change)
