"""Failed admin logins are throttled per account and per address (django-axes).

Logins go through the admin's form, as a person's do; each request says the
address it comes from.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.logins import log_in, logs_in

pytestmark = pytest.mark.django_db

LIMIT = 5
LOCKED_MESSAGE = "Too many failed logins"
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture(autouse=True)
def defaults(settings):
    # The defaults the README documents, whatever the environment says.
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def accounts(django_user_model):
    for name in ("author", "editor"):
        django_user_model.objects.create_superuser(name, password=f"{name} pass")


def fail(client, username, times, address=HOME):
    for _ in range(times):
        response = log_in(client, username, "wrong", REMOTE_ADDR=address)
        assert response.status_code in {200, 429}


def test_after_the_limit_the_right_password_is_refused_with_a_message(accounts, client):
    fail(client, "author", LIMIT)

    response = log_in(client, "author", "author pass", REMOTE_ADDR=HOME)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_MESSAGE in page
    assert "Wait 15 minutes after the last attempt" in page
    assert "axes_reset" in page
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_only_say_the_password_is_wrong(accounts, client):
    fail(client, "author", LIMIT - 1)

    assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_the_account_is_locked_from_another_address_too(accounts, client):
    fail(client, "author", LIMIT)

    assert not logs_in(client, "author", "author pass", REMOTE_ADDR=ELSEWHERE)


def test_the_address_is_locked_for_another_account_too(accounts, client):
    fail(client, "author", LIMIT)

    assert not logs_in(client, "editor", "editor pass", REMOTE_ADDR=HOME)


def test_another_account_from_another_address_is_not_locked(accounts, client):
    fail(client, "author", LIMIT)

    assert logs_in(client, "editor", "editor pass", REMOTE_ADDR=ELSEWHERE)


def test_guessing_many_accounts_from_one_address_is_locked(accounts, client):
    for number in range(LIMIT):
        fail(client, f"nobody{number}", 1)

    assert not logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_axes_reset_unlocks(accounts, client):
    fail(client, "author", LIMIT)

    call_command("axes_reset", stdout=open("/dev/null", "w"))

    assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_axes_reset_username_unlocks_one_account(accounts, client):
    fail(client, "author", LIMIT, address=ELSEWHERE)

    call_command("axes_reset_username", "author", stdout=open("/dev/null", "w"))

    assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_the_lock_ends_after_the_cool_off(accounts, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, "author", LIMIT)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_a_successful_login_is_not_counted(accounts, client):
    fail(client, "author", LIMIT - 1)

    for _ in range(3):
        assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)
        client.logout()

    assert logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_the_limit_is_a_setting(accounts, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, "author", 2)

    assert not logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_added(
    accounts, client, settings
):
    settings.BEHIND_PROXY = True
    for forged in range(LIMIT):
        # What the client sends comes first; the proxy appends what it saw.
        forwarded = f"203.0.113.{forged}, {ELSEWHERE}"
        log_in(
            client,
            f"nobody{forged}",
            "wrong",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert not logs_in(
        client,
        "author",
        "author pass",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert logs_in(
        client,
        "author",
        "author pass",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=HOME,
    )


def test_without_a_proxy_a_forwarded_address_is_ignored(accounts, client):
    for forged in range(LIMIT):
        log_in(
            client,
            f"nobody{forged}",
            "wrong",
            REMOTE_ADDR=HOME,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{forged}",
        )

    assert not logs_in(client, "author", "author pass", REMOTE_ADDR=HOME)
