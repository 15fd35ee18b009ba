import pytest

from blog import services
from blog.models import Post, SlugRedirect
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def rename(post, slug):
    post = Post.objects.get(pk=post.pk)
    post.slug = slug
    return services.post_save(post=post)


def test_renaming_a_published_post_redirects_its_old_url_permanently(client):
    post = rename(PostFactory(slug="first-name"), "second-name")

    response = client.get("/posts/first-name/")

    assert response.status_code == 301
    assert response["Location"] == "/posts/second-name/"
    assert client.get("/posts/second-name/").status_code == 200
    assert post.redirects.get().old_slug == "first-name"


def test_every_old_slug_of_a_chain_of_renames_reaches_the_current_url_in_one_hop(
    client,
):
    post = PostFactory(slug="one")
    for slug in ["two", "three", "four"]:
        post = rename(post, slug)

    for old in ["one", "two", "three"]:
        response = client.get(f"/posts/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/posts/four/")


def test_renaming_back_to_an_old_slug_drops_that_redirect_so_nothing_loops(client):
    post = PostFactory(slug="original")
    post = rename(post, "renamed")
    post = rename(post, "original")

    assert client.get("/posts/original/").status_code == 200
    assert client.get("/posts/renamed/")["Location"] == "/posts/original/"
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["renamed"]


def test_a_renamed_drafts_old_slug_leads_nowhere_while_it_is_a_draft(client):
    rename(PostFactory(draft=True, slug="working-title"), "final-title")

    assert client.get("/posts/working-title/").status_code == 404


def test_a_post_unpublished_renamed_and_republished_keeps_its_public_url(client):
    post = PostFactory(slug="public-once")
    services.post_unpublish(posts=Post.objects.filter(pk=post.pk))
    post = rename(post, "new-name")
    assert client.get("/posts/public-once/").status_code == 404

    services.post_publish(posts=Post.objects.filter(pk=post.pk))

    response = client.get("/posts/public-once/")
    assert (response.status_code, response["Location"]) == (301, "/posts/new-name/")


def test_saving_without_a_slug_change_leaves_no_redirect():
    post = Post.objects.get(pk=PostFactory(slug="same").pk)
    post.title = "A new title, the same slug"
    services.post_save(post=post)

    assert not SlugRedirect.objects.exists()


def test_an_old_url_never_redirects_to_a_post_that_became_a_draft(client):
    post = rename(PostFactory(slug="old"), "new")
    services.post_unpublish(posts=Post.objects.filter(pk=post.pk))

    assert client.get("/posts/old/").status_code == 404


def test_an_old_url_never_redirects_to_a_scheduled_post(client):
    post = rename(PostFactory(slug="old"), "new")
    Post.objects.filter(pk=post.pk).update(
        published_at=post.published_at.replace(year=3000)
    )

    assert client.get("/posts/old/").status_code == 404


def test_a_post_that_takes_an_old_slug_answers_for_it_while_it_is_visible(client):
    renamed = rename(PostFactory(slug="hello"), "hello-again")
    newcomer = PostFactory(draft=True, slug="hello", title="A new hello")

    # While the newcomer is a draft, the old links still reach the renamed post.
    assert client.get("/posts/hello/")["Location"] == "/posts/hello-again/"

    services.post_publish(posts=Post.objects.filter(pk=newcomer.pk))
    response = client.get("/posts/hello/")
    assert response.status_code == 200
    assert response.context["post"] == newcomer
    assert renamed.redirects.get().old_slug == "hello"


def test_the_latest_owner_of_a_slug_takes_its_redirect(client):
    first = rename(PostFactory(slug="shared"), "first")
    second = rename(PostFactory(slug="shared"), "second")

    assert client.get("/posts/shared/")["Location"] == "/posts/second/"
    assert not first.redirects.exists()
    assert second.redirects.get().old_slug == "shared"


def test_an_unknown_slug_is_still_404(client):
    PostFactory(slug="exists")

    assert client.get("/posts/never-existed/").status_code == 404
