import pytest
from django.core.cache import cache

from blog import shared_cache

# `make test` hands whole files to two workers (pytest-xdist, --dist
# loadfile, --no-loadscope-reorder), in collection order. These files take
# longest (--durations, slowest first): they go first, so that the run never
# ends with one worker on a long file while the other has nothing left.
# xdist's own reorder puts the files with most tests first instead, which
# left the long files of one or two tests (the browser's hostile corpus, the
# HTML checker, the crawl) to the end. A file not listed keeps its place
# after these.
SLOWEST_FILES = [
    "tests/test_hostile_content.py",
    "tests/browser/test_hostile_content.py",
    "tests/test_import_wordpress.py",
    "tests/test_theme_unit_test.py",
    "tests/browser/test_authoring.py",
    "tests/browser/test_editor.py",
    "tests/browser/test_reader.py",
    "tests/test_hostile_identity.py",
    "tests/test_odd_requests.py",
    "tests/test_settings.py",
    "tests/test_feeds.py",
    "tests/test_markdown_files.py",
    "tests/test_serve.py",
    "tests/test_first_run.py",
    "tests/test_html_validity.py",
    "tests/test_make_setup.py",
    "tests/test_migrations.py",
    "tests/test_login_throttle.py",
    "tests/test_revisions.py",
    "tests/test_pathological.py",
    "tests/test_page_cache.py",
    "tests/views/test_deep_pages.py",
    "tests/test_object_storage.py",
    # Collected last (views/ sorts after test_*.py), or a few long browser
    # tests, these ended the run on one worker while the other waited.
    "tests/browser/test_csp.py",
    "tests/browser/test_code_blocks.py",
    "tests/browser/test_wordpress_import.py",
    "tests/views/test_query_budgets.py",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Only under xdist: a run in one process keeps pytest-django's order
    # (the tests that flush the database last). The sort is stable, so each
    # file keeps its own order.
    if not hasattr(config, "workerinput"):
        return
    rank = {path: number for number, path in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(autouse=True)
def empty_cache():
    # The site identity and pages are cached; one test's cache must not
    # leak into the next, nor a pause after a cache failure.
    cache.clear()
    shared_cache.resume()
    yield
    shared_cache.resume()
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
