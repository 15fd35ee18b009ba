import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.logins import logs_in

pytestmark = pytest.mark.django_db


def ensure_admin():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_the_admin_account_gets_the_password_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "a long chosen password")

    ensure_admin()

    assert logs_in(client, "admin", "a long chosen password")


def test_a_generated_password_is_printed_once_and_works(monkeypatch, client):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)

    first = ensure_admin()
    second = ensure_admin()

    password = re.search(r"password: (\S+)", first).group(1)
    assert logs_in(client, "admin", password)
    assert password not in second
    assert "already exists" in second
    assert "manage.py changepassword admin" in second
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_the_admin_lists_posts_tags_and_featured_slots(monkeypatch, client):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "a long chosen password")
    ensure_admin()
    assert logs_in(client, "admin", "a long chosen password")

    page = client.get("/admin/").content.decode()

    for url in ("/admin/blog/post/", "/admin/blog/tag/", "/admin/blog/featuredslot/"):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
