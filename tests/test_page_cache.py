"""The anonymous page cache: kept pages cost one query, and every change
readers could see shows on the very next request (README, "Caching").
"""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.redirects.models import Redirect
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog import content_changes, content_version, page_cache, services
from blog.content_version import ContentQuerySet
from blog.models import ContentVersion, FeaturedSlot, Page, Post, SiteIdentity
from blog.page_cache import PageCacheMiddleware
from tests.factories import (
    FeaturedSlotFactory,
    PageFactory,
    PostFactory,
    TagFactory,
)
from tests.test_settings import run_check

pytestmark = pytest.mark.django_db


def kept(client, url, **headers):
    """Fetch `url` twice as a reader; check that the second came from the
    cache (one query: the content version) and return its text.
    """
    first = client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers=headers)
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert again.content == first.content
    return again


def text(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def identity(site_identity):
    # Made before the first page: loading it the first time creates the row,
    # a change that bumps the version (and so outdates that first page).
    return site_identity


@pytest.fixture
def post(db):
    return PostFactory(title="First light", slug="first-light")


# Each change readers could see, one by one: warm, change, read again.


def test_a_saved_post_shows_at_once(client, post):
    assert "First light" in text(kept(client, "/"))

    post.title = "Second light"
    services.post_save(post=post)

    assert "Second light" in text(client.get("/"))
    assert "Second light" in text(client.get("/posts/first-light/"))


def test_a_published_draft_shows_at_once(client):
    draft = PostFactory(title="Coming soon", slug="soon", draft=True)
    assert "Coming soon" not in text(kept(client, "/"))
    assert kept(client, "/posts/soon/").status_code == 404

    services.post_publish(posts=Post.objects.filter(pk=draft.pk))

    assert "Coming soon" in text(client.get("/"))
    assert client.get("/posts/soon/").status_code == 200


def test_an_unpublished_post_goes_at_once(client, post):
    FeaturedSlotFactory(post=post)
    assert "First light" in text(kept(client, "/"))
    assert kept(client, "/posts/first-light/").status_code == 200

    services.post_unpublish(posts=Post.objects.filter(pk=post.pk))

    assert "First light" not in text(client.get("/"))
    assert client.get("/posts/first-light/").status_code == 404
    assert "First light" not in text(client.get("/feed/"))


def test_a_deleted_post_goes_at_once(client, post):
    assert kept(client, "/posts/first-light/").status_code == 200
    kept(client, "/feed/")

    post.delete()

    assert client.get("/posts/first-light/").status_code == 404
    assert "First light" not in text(client.get("/feed/"))


def test_a_rerendered_post_shows_at_once(client, post):
    # Stored HTML from an older pipeline, written behind Django's back.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_post SET body_html = %s WHERE id = %s",
            ["<p>Old rendering</p>", post.pk],
        )
    assert "Old rendering" in text(kept(client, "/posts/first-light/"))

    call_command("rerender_posts", stdout=StringIO())

    page = text(client.get("/posts/first-light/"))
    assert "Old rendering" not in page
    assert "<em>Markdown</em>" in page


def test_a_renamed_tag_shows_at_once(client, post):
    tag = TagFactory(name="Compilers", slug="compilers")
    post.tags.add(tag)
    assert "Compilers" in text(kept(client, "/posts/first-light/"))
    assert "Compilers" in text(kept(client, "/tags/"))

    tag.name = "Code generation"
    tag.save()

    assert "Code generation" in text(client.get("/posts/first-light/"))
    assert "Code generation" in text(client.get("/tags/"))


def test_tagging_and_untagging_a_post_shows_at_once(client, post):
    tag = TagFactory(name="Compilers", slug="compilers")
    assert kept(client, "/tags/compilers/").status_code == 404

    post.tags.add(tag)
    assert "First light" in text(kept(client, "/tags/compilers/"))

    post.tags.remove(tag)
    assert client.get("/tags/compilers/").status_code == 404

    post.tags.add(tag)
    assert kept(client, "/tags/compilers/").status_code == 200
    post.tags.clear()
    assert client.get("/tags/compilers/").status_code == 404


def test_a_changed_featured_slot_shows_at_once(client, post):
    assert "Start here" not in text(kept(client, "/"))

    slot = FeaturedSlotFactory(post=post, label="Start here")
    assert "Start here" in text(kept(client, "/"))

    slot.label = "Read this first"
    slot.save()
    assert "Read this first" in text(kept(client, "/"))

    FeaturedSlot.objects.all().delete()
    assert "Read this first" not in text(client.get("/"))


def test_a_changed_old_address_shows_at_once(client, post):
    assert kept(client, "/2019/05/old-post/").status_code == 404

    redirect = Redirect.objects.create(
        site_id=1, old_path="/2019/05/old-post/", new_path="/posts/first-light/"
    )
    response = kept(client, "/2019/05/old-post/")
    assert response.status_code == 301
    assert response["Location"] == "/posts/first-light/"

    redirect.delete()
    assert client.get("/2019/05/old-post/").status_code == 404


def test_a_renamed_post_redirects_from_its_old_slug_at_once(client, post):
    assert kept(client, "/posts/first-light/").status_code == 200

    post.slug = "dawn"
    services.post_save(post=post)

    response = client.get("/posts/first-light/")
    assert response.status_code == 301
    assert response["Location"] == "/posts/dawn/"


def test_a_changed_site_identity_shows_at_once(client, post):
    identity = SiteIdentity.load()
    identity.title = "Notes by Ada"
    identity.save()
    assert "Notes by Ada" in text(kept(client, "/"))
    assert "Notes by Ada" in text(kept(client, "/posts/first-light/"))

    identity.title = "Notes by Grace"
    identity.save()

    assert "Notes by Grace" in text(client.get("/"))
    assert "Notes by Grace" in text(client.get("/posts/first-light/"))
    assert "Notes by Grace" in text(client.get("/feed/"))


def test_a_saved_and_a_deleted_page_show_at_once(client, post):
    page = PageFactory(title="About", slug="about", show_in_navigation=True)
    assert 'href="/about/"' in text(kept(client, "/"))
    assert "About" in text(kept(client, "/about/"))

    page.title = "About me"
    page.save()
    assert "About me" in text(kept(client, "/"))
    assert "About me" in text(kept(client, "/about/"))

    Page.objects.filter(pk=page.pk).delete()
    assert 'href="/about/"' not in text(client.get("/"))
    assert client.get("/about/").status_code == 404


def test_an_author_renamed_shows_in_the_feed_at_once(client, post, author):
    post.author = author
    post.save()
    assert "Ada Lovelace" not in text(kept(client, "/feed/"))

    author.first_name, author.last_name = "Ada", "Lovelace"
    author.save()

    assert "Ada Lovelace" in text(client.get("/feed/"))


def test_an_import_shows_at_once(client, post, tmp_path):
    assert "Imported words" not in text(kept(client, "/"))
    folder = tmp_path / "export"
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "2024-03-05-imported.md").write_text(
        "---\ntitle: Imported words\nslug: imported\n"
        "date: 2024-03-05T10:00:00+00:00\nstatus: published\n---\nHello.\n"
    )

    call_command("import_markdown", str(folder), stdout=StringIO())

    assert "Imported words" in text(client.get("/"))
    assert client.get("/posts/imported/").status_code == 200


def test_a_scheduled_post_shows_when_its_time_comes_without_a_write(client, post):
    publication = timezone.now() + timedelta(hours=1)
    PostFactory(title="At dawn", slug="at-dawn", published_at=publication)
    assert "At dawn" not in text(kept(client, "/"))
    assert kept(client, "/posts/at-dawn/").status_code == 404
    assert ContentVersion.objects.get().next_publication_at == publication

    with time_machine.travel(publication + timedelta(seconds=1)):
        assert "At dawn" in text(client.get("/"))
        assert client.get("/posts/at-dawn/").status_code == 200
        assert "At dawn" in text(kept(client, "/feed/"))

    assert ContentVersion.objects.get().next_publication_at is None


def test_a_bulk_write_bumps_the_version():
    post = PostFactory()
    before = ContentVersion.objects.get().version

    Post.objects.filter(pk=post.pk).update(title="Renamed")

    assert ContentVersion.objects.get().version == before + 1


def test_a_bulk_write_on_any_blog_model_bumps_the_version(client, post):
    FeaturedSlotFactory(post=post, label="Start here")
    assert "Start here" in text(kept(client, "/"))

    FeaturedSlot.objects.update(label="Read this first")
    assert "Read this first" in text(kept(client, "/"))

    SiteIdentity.objects.update(title="Notes by Grace")
    assert "Notes by Grace" in text(client.get("/"))


def test_a_blog_model_whose_bulk_writes_would_not_bump_is_a_start_up_error(
    monkeypatch,
):
    assert content_changes.check_bulk_writes_bump(None) == []

    class Unused(ContentQuerySet):
        pass

    # As if no model used it: each is reported.
    monkeypatch.setattr(content_changes, "ContentQuerySet", Unused)
    errors = content_changes.check_bulk_writes_bump(None)

    assert {error.obj for error in errors} >= {Post, Page, FeaturedSlot}
    assert all(error.id == "inkwell.E001" for error in errors)


def test_a_login_alone_does_not_bump_the_version(author):
    before = ContentVersion.objects.get().version

    author.last_login = timezone.now()
    author.save(update_fields=["last_login"])

    assert ContentVersion.objects.get().version == before


def test_a_missing_version_row_is_made_again_with_a_new_stamp(client, post):
    kept(client, "/")
    old = ContentVersion.objects.get()
    ContentVersion.objects.all().delete()

    # A restored database may count from an old number; the stamp's time
    # still tells its pages from the ones kept before.
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) > 1
    assert ContentVersion.objects.get().changed_at != old.changed_at


# Who gets kept pages, and what a kept page may hold.


def test_staff_never_get_a_kept_page(client, author):
    PostFactory(title="Secret plans", slug="secret", draft=True)
    assert kept(client, "/posts/secret/").status_code == 404

    client.force_login(author)
    response = client.get("/posts/secret/")

    assert response.status_code == 200
    assert "Secret plans" in text(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_page_fetched_by_staff_is_never_kept(client, author, post):
    client.force_login(author)
    client.get("/posts/first-light/")
    client.logout()

    with CaptureQueriesContext(connection) as queries:
        client.get("/posts/first-light/")

    assert len(queries) > 1


def test_a_kept_page_holds_no_cookie_token_or_staff_link(client, author, post):
    PostFactory(title="Secret plans", slug="secret", draft=True)
    client.force_login(author)
    client.get("/")
    client.logout()

    for url in ("/", "/posts/first-light/", "/feed/", "/tags/", "/nowhere/"):
        response = kept(client, url)
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in text(response), url
        assert "/admin/" not in text(response), url
        assert "Secret plans" not in text(response), url


def test_a_reader_with_a_waiting_message_is_not_served_a_kept_page(client, post):
    kept(client, "/")
    client.cookies["messages"] = "anything"

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert len(queries) > 1
    assert "private" in response["Cache-Control"]


def reader_request(path="/"):
    return RequestFactory().get(path)


def test_a_page_with_a_csrf_token_or_a_cookie_is_never_kept(settings):
    form = engines["django"].from_string("<form>{% csrf_token %}</form>")
    made = []

    def with_token(request):
        made.append(request)
        return HttpResponse(form.render({}, request))

    def with_cookie(request):
        made.append(request)
        response = HttpResponse("Hello")
        response.set_cookie("greeting", "hello")
        return response

    for view in (with_token, with_cookie):
        made.clear()
        middleware = PageCacheMiddleware(view)
        middleware(reader_request())
        middleware(reader_request())
        assert len(made) == 2, view.__name__


def is_kept(url):
    key = page_cache.page_key(content_version.read(), reader_request(url))
    return cache.get(key) is not None


def test_the_admin_and_uploaded_files_are_never_kept(client):
    for url in ("/admin/login/", "/media/images/a.png", "/markdownx/markdownify/"):
        response = client.get(url)
        assert "s-maxage" not in response.get("Cache-Control", ""), url
        assert "ETag" not in response, url
        assert not is_kept(url), url

    client.get("/")
    assert is_kept("/")


def test_switched_off_nothing_is_kept(client, settings, post):
    settings.INKWELL_PAGE_CACHE = False
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert len(queries) > 1
    assert response.status_code == 200


def test_a_bad_page_cache_switch_is_a_clear_error(tmp_path):
    result = run_check(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "SITE_URL": "https://blog.example.com",
            "DJANGO_ALLOWED_HOSTS": "blog.example.com",
            "INKWELL_PAGE_CACHE": "maybe",
        },
        tmp_path,
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Inkwell cannot start: INKWELL_PAGE_CACHE must be 1 (on) or 0 (off), "
        "not 'maybe'."
    )


@pytest.fixture
def fresh_fingerprint():
    page_cache.code_fingerprint.cache_clear()
    yield page_cache.code_fingerprint
    page_cache.code_fingerprint.cache_clear()


def test_a_deploy_or_a_changed_setting_keys_pages_anew(
    settings, tmp_path, fresh_fingerprint
):
    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "base.html"
    template.parent.mkdir()
    template.write_text("<title>Old</title>")
    before = fresh_fingerprint()

    template.write_text("<title>New</title>")
    fresh_fingerprint.cache_clear()
    after_deploy = fresh_fingerprint()
    settings.SITE_URL = "https://elsewhere.example.com"
    fresh_fingerprint.cache_clear()
    after_setting = fresh_fingerprint()

    assert len({before, after_deploy, after_setting}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_post_scheduled_by_a_concurrent_writer_is_not_missed():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: there is no race to lose.")
    publication = timezone.now() + timedelta(hours=1)
    draft = PostFactory(draft=True)
    holding = threading.Event()

    def scheduling_writer():
        try:
            with transaction.atomic():
                posts = Post.objects.filter(pk=draft.pk)
                posts.update(status=Post.Status.PUBLISHED, published_at=publication)
                holding.set()
                time.sleep(0.5)  # the other bump waits for this commit
        finally:
            connections.close_all()

    writer = threading.Thread(target=scheduling_writer)
    writer.start()
    holding.wait(timeout=10)
    content_version.bump()  # another write, at the same time
    writer.join()

    # Had it looked before the scheduling writer committed, it would have
    # cleared the time, and the post would never appear by itself.
    assert ContentVersion.objects.get().next_publication_at == publication
