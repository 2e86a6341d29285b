"""Login throttling (django-axes, accounts/throttle.py): five wrong passwords for one account or
from one address pause logging in, with a clear message; a paused attempt hashes no password;
the Bappeda above the officer lifts the pause; a good login forgets the failures."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory

PASSWORD = "rahasia-uji-123"


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is checked (the expensive step in production)."""

    algorithm = "counting_md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def hasher(settings, village_operator, neighbour_village_operator):
    settings.PASSWORD_HASHERS = ["tests.test_login_throttle.CountingHasher"]
    for officer in (village_operator, neighbour_village_operator):
        officer.set_password(PASSWORD)
        officer.save(update_fields=["password"])
    CountingHasher.checks = 0


def attempt(client, username, password, address="203.0.113.7"):
    return client.post(
        "/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_five_wrong_passwords_pause_the_account_with_a_clear_message(client, village_operator):
    for _ in range(4):
        assert attempt(client, village_operator.username, "salah").status_code == 200  # the form, with its error
    assert attempt(client, village_operator.username, "salah").status_code == 429  # the fifth pauses

    refused = attempt(client, village_operator.username, PASSWORD)  # even the right one, now

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed logins" in page and "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session
    # The attempt during the pause counts too (and restarts the wait).
    assert AccessAttempt.objects.get(username=village_operator.username).failures_since_start == 6


def test_the_message_is_in_indonesian_by_default(client, village_operator):
    for _ in range(5):
        client.post("/masuk/", {"username": village_operator.username, "password": "salah"})
    page = client.post("/masuk/", {"username": village_operator.username, "password": PASSWORD})
    assert page.status_code == 429 and "Terlalu banyak" in page.content.decode()


def test_a_paused_attempt_checks_no_password(client, village_operator):
    for _ in range(5):
        attempt(client, village_operator.username, "salah")
    checked = CountingHasher.checks
    for _ in range(20):
        assert attempt(client, village_operator.username, "salah").status_code == 429
    assert CountingHasher.checks == checked  # twenty refusals, no hashing


def test_the_pause_holds_for_the_account_from_any_address_and_for_the_address_with_any_account(
    client, village_operator, neighbour_village_operator
):
    for _ in range(5):
        attempt(client, village_operator.username, "salah", address="203.0.113.7")
    # The account, from elsewhere:
    assert attempt(client, village_operator.username, PASSWORD, address="198.51.100.9").status_code == 429
    # The address, for another account:
    assert attempt(client, neighbour_village_operator.username, PASSWORD, address="203.0.113.7").status_code == 429
    # Another account from another address logs in.
    assert attempt(client, neighbour_village_operator.username, PASSWORD, address="198.51.100.9").status_code == 302


def test_a_good_login_forgets_the_earlier_failures(client, village_operator):
    for _ in range(4):
        attempt(client, village_operator.username, "salah")
    assert attempt(client, village_operator.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, village_operator.username, "salah")
    assert attempt(client, village_operator.username, PASSWORD).status_code == 302


def test_the_bappeda_above_lifts_the_pause(client, village_operator, bappeda_kabupaten):
    for _ in range(5):
        attempt(client, village_operator.username, "salah")
    client.force_login(bappeda_kabupaten)
    edit = client.get(f"/akun/{village_operator.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Logging in is paused after too many failed attempts" in edit

    response = client.post(f"/akun/{village_operator.pk}/buka-kunci/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=village_operator.username).exists()
    client.logout()
    assert attempt(client, village_operator.username, PASSWORD, address="198.51.100.9").status_code == 302


def test_only_the_officers_manager_may_lift_it(client, village_operator, other_bappeda_kabupaten, kecamatan_operator):
    for _ in range(5):
        attempt(client, village_operator.username, "salah")
    client.force_login(other_bappeda_kabupaten)
    assert client.post(f"/akun/{village_operator.pk}/buka-kunci/").status_code == 404
    client.force_login(kecamatan_operator)
    assert client.post(f"/akun/{village_operator.pk}/buka-kunci/").status_code in (403, 404)
    assert AccessAttempt.objects.get(username=village_operator.username).failures_since_start == 5


def test_a_login_in_code_needs_the_request(village_operator):
    # Django's test client logs in without a request; axes needs one to count by address.
    from django.contrib.auth import authenticate

    request = RequestFactory().post("/masuk/", REMOTE_ADDR="203.0.113.7")
    assert authenticate(request=request, username=village_operator.username, password=PASSWORD) == village_operator
