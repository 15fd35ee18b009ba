"""Sharing: the image a post or page is shared with (og:image and
twitter:image), and the Subscribe links to the feeds."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from blog.models import Page, Post, SiteIdentity
from blog.rendering import render_post
from tests.factories import PostFactory, TagFactory
from tests.images import gps_exif, image_bytes
from tests.test_admin import post_form

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def meta(html):
    """Return the page's <meta property|name=... content=...> tags, by key."""
    found = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)
    return {key: unescape(value) for key, value in found}


def upload(name="photo.jpg", data=None):
    return SimpleUploadedFile(name, data or image_bytes("JPEG", size=(1200, 630)))


def stored(name):
    return default_storage.path(name)


# A post's own social image, uploaded in the admin.


def test_an_uploaded_social_image_is_shared_with_its_absolute_url_and_size(
    admin_client, client
):
    data = post_form(status=Post.Status.PUBLISHED, social_image=upload())

    response = admin_client.post(reverse("admin:blog_post_add"), data)
    post = Post.objects.get()
    tags = meta(client.get(post.get_absolute_url()).text)

    assert response.status_code == 302
    assert post.social_image.name.startswith("images/social/")
    assert tags["og:image"] == f"{SITE}/media/{post.social_image.name}"
    assert tags["twitter:image"] == tags["og:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"


def test_an_uploaded_social_image_is_cleaned_as_editor_uploads_are(admin_client):
    photo = image_bytes("JPEG", size=(3000, 1500), exif=gps_exif())
    data = post_form(social_image=upload(data=photo))

    admin_client.post(reverse("admin:blog_post_add"), data)
    post = Post.objects.get()

    with Image.open(stored(post.social_image.name)) as image:
        assert image.size == (2000, 1000)  # INKWELL_IMAGE_MAX_WIDTH
        assert not image.getexif()
    assert (post.social_image_width, post.social_image_height) == (2000, 1000)


@pytest.mark.parametrize(
    "name, data",
    [
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("photo.png", b"not an image at all"),
        ("photo.bmp", image_bytes("BMP")),
    ],
)
def test_a_refused_social_image_says_why_and_keeps_the_post_unsaved(
    admin_client, media_root, name, data
):
    data = post_form(social_image=SimpleUploadedFile(name, data))

    response = admin_client.post(reverse("admin:blog_post_add"), data)

    assert response.status_code == 200
    assert "social_image" in response.context["adminform"].form.errors
    assert Post.objects.count() == 0
    assert not (media_root / "images" / "social").exists()


# Without one: the first image of the post.


def test_the_first_image_of_the_body_is_shared_with_the_size_of_its_file(client):
    name = default_storage.save(
        "images/2026/01/pic.png", ContentFile(image_bytes(size=(800, 400)))
    )
    post = PostFactory(
        body=f"Text.\n\n![first](/media/{name})\n\n![second](https://x.example/b.png)"
    )

    tags = meta(client.get(post.get_absolute_url()).text)

    assert post.first_image_url == f"/media/{name}"
    assert tags["og:image"] == f"{SITE}/media/{name}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("800", "400")
    assert tags["twitter:card"] == "summary_large_image"


def test_a_remote_first_image_is_shared_without_a_size(client):
    post = PostFactory(body="![a chart](https://images.example/chart.png)")

    tags = meta(client.get(post.get_absolute_url()).text)

    assert tags["og:image"] == "https://images.example/chart.png"
    assert "og:image:width" not in tags and "og:image:height" not in tags
    assert tags["twitter:image"] == "https://images.example/chart.png"


def test_the_post_page_reads_the_stored_first_image_and_parses_no_html(client):
    post = PostFactory(body="No image here.")
    Post.objects.filter(pk=post.pk).update(first_image_url="/media/stored.png")

    tags = meta(client.get(post.get_absolute_url()).text)

    assert tags["og:image"] == f"{SITE}/media/stored.png"


def test_the_posts_own_social_image_wins_over_its_first_image(admin_client, client):
    data = post_form(
        status=Post.Status.PUBLISHED,
        body="![remote](https://images.example/chart.png)",
        social_image=upload(),
    )
    admin_client.post(reverse("admin:blog_post_add"), data)
    post = Post.objects.get()

    tags = meta(client.get(post.get_absolute_url()).text)

    assert tags["og:image"] == f"{SITE}/media/{post.social_image.name}"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("![a](pic.png)", "/posts/p/pic.png"),
        ("![a](/media/a.png) ![b](/media/b.png)", "/media/a.png"),
        # The sanitizer drops the script's src; the next image is first.
        (
            '<img src="javascript:alert(1)"> ![b](https://x.example/b.png)',
            "https://x.example/b.png",
        ),
        ("![a](data:image/png;base64,AAAA)", ""),
        ("![a](//cdn.example/a.png)", ""),
        ("No image.", ""),
    ],
)
def test_the_first_image_is_found_when_the_post_is_rendered(body, expected):
    rendered = render_post(body, post_id=1, post_url="/posts/p/")

    assert rendered.first_image_url == expected


# Without either: the site's default.


def site_default(admin_client, size=(1200, 630)):
    identity = SiteIdentity.load()
    data = {
        "title": identity.title,
        "tagline": "",
        "author_name": "",
        "author_bio": "",
        "footer_text": "",
        "default_social_image": upload("default.png", image_bytes(size=size)),
    }
    url = reverse("admin:blog_siteidentity_change", args=[identity.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content
    return SiteIdentity.load()


def test_a_post_without_images_is_shared_with_the_sites_default(admin_client, client):
    identity = site_default(admin_client, size=(600, 315))
    post = PostFactory(body="Only words.")

    tags = meta(client.get(post.get_absolute_url()).text)

    assert tags["og:image"] == f"{SITE}/media/{identity.default_social_image.name}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("600", "315")
    assert tags["twitter:card"] == "summary_large_image"


def test_a_page_is_shared_with_the_sites_default(admin_client, client):
    identity = site_default(admin_client)
    page = Page.objects.create(title="About", body="Me.", status="published")

    tags = meta(client.get(page.get_absolute_url()).text)

    assert tags["og:image"] == f"{SITE}/media/{identity.default_social_image.name}"


def test_a_refused_default_image_is_explained_and_nothing_is_stored(
    admin_client, media_root
):
    identity = SiteIdentity.load()
    url = reverse("admin:blog_siteidentity_change", args=[identity.pk])
    data = {"title": "T", "default_social_image": upload("x.png", b"<svg/>")}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "default_social_image" in response.context["adminform"].form.errors
    assert not (media_root / "images" / "social").exists()


def test_without_any_image_there_is_no_image_and_a_small_card(client):
    post = PostFactory(body="Only words.")

    tags = meta(client.get(post.get_absolute_url()).text)

    assert "og:image" not in tags and "twitter:image" not in tags
    assert tags["twitter:card"] == "summary"


def test_the_structured_data_names_the_shared_image(client):
    post = PostFactory(body="![a chart](https://images.example/chart.png)")

    html = client.get(post.get_absolute_url()).text

    assert '"image": "https://images.example/chart.png"' in html


# Subscribe.


@pytest.mark.parametrize("url", ["/", "/tags/", "/archive/", "/about/", "/nope/"])
def test_every_page_has_a_visible_subscribe_link_to_the_feed(client, url):
    PostFactory()
    Page.objects.create(title="About", body="Me.", status="published")

    html = client.get(url).text

    assert re.search(
        r'<a href="/feed/" type="application/rss\+xml">Subscribe</a>', html
    )


def test_a_tag_page_links_its_tags_feed(client):
    tag = TagFactory(name="C", slug="c")
    PostFactory(tags=[tag])

    html = client.get(tag.get_absolute_url()).text

    assert '<a href="/tags/c/feed/" type="application/rss+xml">' in html
    assert "Subscribe to “C”" in html
    assert client.get("/tags/c/feed/").status_code == 200


def test_rerender_posts_finds_the_first_image_of_a_post_saved_before(client):
    post = PostFactory(body="![a chart](https://images.example/chart.png)")
    Post.objects.filter(pk=post.pk).update(first_image_url="")

    call_command("rerender_posts", stdout=StringIO())

    post.refresh_from_db()
    assert post.first_image_url == "https://images.example/chart.png"
