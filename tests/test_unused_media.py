import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from blog.uploads import store_image
from tests.factories import PageFactory, PostFactory
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db

TWO_HOURS = 2 * 60 * 60


def stored():
    """Upload a real image as the editor does; return its URL."""
    return store_image(upload(image_bytes("PNG")))


def file_of(media_root, url):
    return media_root / url.removeprefix("/media/")


def age(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def unused_media(*args):
    output = StringIO()
    call_command("unused_media", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def uploads(media_root):
    """Four uploads, two hours old: in a post's body, a post's excerpt, a
    page's body, and in nothing.
    """
    urls = {key: stored() for key in ("body", "excerpt", "page", "orphan")}
    for url in urls.values():
        age(file_of(media_root, url), TWO_HOURS)
    PostFactory(body=f"Text\n\n![A cat]({urls['body']})\n")
    PostFactory(
        body="No image here.", excerpt=f'See <img src="{urls["excerpt"]}" alt=x>.'
    )
    PageFactory(body=f"[the photo]({urls['page']}).")
    return urls


def test_lists_only_the_file_nothing_uses(uploads, media_root):
    output = unused_media()

    orphan = uploads["orphan"].removeprefix("/media/")
    assert orphan in output
    for key in ("body", "excerpt", "page"):
        assert uploads[key].removeprefix("/media/") not in output
    assert "1 unused file(s); 3 in use. Run with --delete" in output
    # Listing deletes nothing.
    assert all(file_of(media_root, url).exists() for url in uploads.values())


def test_delete_removes_the_unused_file_and_keeps_the_others(uploads, media_root):
    output = unused_media("--delete")

    assert "Deleted 1 unused file(s)" in output
    assert not file_of(media_root, uploads["orphan"]).exists()
    for key in ("body", "excerpt", "page"):
        assert file_of(media_root, uploads[key]).exists()
    assert "No unused files (3 in use)." in unused_media()


def test_a_drafts_file_is_in_use(media_root):
    url = stored()
    age(file_of(media_root, url), TWO_HOURS)
    PostFactory(body=f"![draft image]({url})", status="draft")

    unused_media("--delete")

    assert file_of(media_root, url).exists()


def test_a_file_left_when_its_image_was_removed_from_a_post_is_unused(media_root):
    url = stored()
    age(file_of(media_root, url), TWO_HOURS)
    post = PostFactory(body=f"![old]({url})")
    post.body = "The image is gone."
    post.save()

    unused_media("--delete")

    assert not file_of(media_root, url).exists()


def test_a_recent_upload_is_kept_and_the_author_is_told_why(media_root):
    url = stored()

    output = unused_media("--delete")

    assert file_of(media_root, url).exists()
    assert "younger than 60 minutes: an author may be adding them" in output
    assert "Deleted" in unused_media("--delete", "--min-age", "0")
    assert not file_of(media_root, url).exists()


def test_an_address_in_a_sentence_or_percent_encoded_still_counts(media_root):
    folder = media_root / "images" / "wordpress" / "2019" / "05"
    folder.mkdir(parents=True)
    for name in ("with space.png", "plain.png"):
        (folder / name).write_bytes(image_bytes("PNG"))
        age(folder / name, TWO_HOURS)
    PostFactory(
        body=(
            "See /media/images/wordpress/2019/05/with%20space.png and "
            "http://blog.example/media/images/wordpress/2019/05/plain.png."
        )
    )

    assert "No unused files (2 in use)." in unused_media("--delete")


def test_without_any_upload_it_says_so(media_root):
    assert "No unused files (0 in use)." in unused_media()


def test_a_negative_age_is_refused():
    with pytest.raises(CommandError, match="0 or more"):
        unused_media("--min-age", "-5")
