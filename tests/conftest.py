import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    # The site identity and pages are cached; one test's cache must not
    # leak into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_blog(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def site_identity(db):
    from tests.factories import SiteIdentityFactory

    return SiteIdentityFactory()


@pytest.fixture
def author(db, django_user_model):
    """A superuser who writes posts in the admin."""
    return django_user_model.objects.create_superuser("author", password="pw")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client
