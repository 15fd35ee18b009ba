"""Uploaded media in an S3-compatible bucket (INKWELL_MEDIA_STORAGE=s3),
against moto's server on a loopback port: what the editor and the WordPress
import store lands in the bucket, with the headers that keep it inert, at a
URL that serves it.
"""

import json
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from blog.importers.markdown_site import export_site
from blog.importers.wp_media import MediaImporter
from blog.uploads import store_image
from config.media_storage import media_origin, media_storage
from tests.factories import PostFactory
from tests.images import image_bytes, upload
from tests.object_store import (
    PORTS,
    create_bucket,
    free_port,
    media_environment,
    moto_server,
    s3_client,
)
from tests.test_uploads import post_image

BUCKET = "inkwell-media"


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        create_bucket(url, BUCKET)
        yield url


@pytest.fixture
def bucket(endpoint, settings, monkeypatch):
    """Point the default storage at the bucket, as the environment would."""
    for name, value in media_environment(endpoint, BUCKET).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    client = s3_client(endpoint)
    yield client
    for stored in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=stored["Key"])


def stored_keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def test_an_upload_through_the_editor_lands_in_the_bucket_and_its_url_serves_it(
    author_client, bucket, endpoint, media_root
):
    response = post_image(author_client, image_bytes("PNG"), name="photo.jpg")

    assert response.status_code == 200
    [key] = stored_keys(bucket)
    assert key.startswith("images/") and key.endswith(".png")
    url = response.json()["image_code"].removeprefix("![](").removesuffix(")")
    # A plain, lasting address (no signature that expires): it is written
    # into the post.
    assert url == f"{endpoint}/{BUCKET}/{key}"
    body, headers = fetch(url)
    assert body == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body.startswith(b"\x89PNG")
    assert headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"] is None
    # Nothing went to the local media folder.
    assert not Path(media_root).exists() or not any(Path(media_root).rglob("*"))


def test_a_stored_file_that_is_not_an_accepted_image_is_a_download(bucket):
    name = default_storage.save("notes/page.html", ContentFile(b"<script>x</script>"))

    _, headers = fetch(default_storage.url(name))
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"] == 'attachment; filename="page.html"'


def test_a_second_file_of_the_same_name_never_replaces_the_first(bucket):
    first = default_storage.save("images/a.png", ContentFile(image_bytes("PNG")))
    second = default_storage.save("images/a.png", ContentFile(image_bytes("GIF")))

    assert first == "images/a.png" and second != first
    assert len(stored_keys(bucket)) == 2


@pytest.mark.parametrize("failure", ["no such bucket", "nothing answers"])
def test_a_bucket_that_fails_the_upload_is_a_clear_message_not_a_500(
    author_client, endpoint, settings, monkeypatch, failure
):
    if failure == "no such bucket":
        environment = media_environment(endpoint, "no-such-bucket")
    else:
        dead = f"http://127.0.0.1:{free_port(PORTS)}"
        environment = media_environment(dead, BUCKET)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}

    response = post_image(author_client, image_bytes("PNG"))

    assert response.status_code == 400
    assert "media storage did not answer" in response.json()["image"][0]


def test_wordpress_media_are_imported_into_the_bucket_once(bucket, tmp_path, db):
    uploads = tmp_path / "uploads" / "2016" / "12"
    uploads.mkdir(parents=True)
    (uploads / "pic.png").write_bytes(image_bytes("PNG"))
    url = "https://old.example/wp-content/uploads/2016/12/pic-300x200.png"

    first = MediaImporter(tmp_path / "uploads")
    new_url = first.import_url(url)
    again = MediaImporter(tmp_path / "uploads")

    assert stored_keys(bucket) == ["images/wordpress/2016/12/pic.png"]
    assert fetch(new_url)[0].startswith(b"\x89PNG")
    assert again.import_url(url) == new_url
    assert (first.report.imported, again.report.already_there) == (1, 1)
    first.discard()
    assert "Contents" not in bucket.list_objects_v2(Bucket=BUCKET)


def test_object_storage_needs_a_bucket_name(monkeypatch):
    monkeypatch.setenv("INKWELL_MEDIA_STORAGE", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(SystemExit) as stopped:
        media_storage()
    assert str(stopped.value) == (
        "Inkwell cannot start: INKWELL_MEDIA_STORAGE is s3 but "
        "AWS_STORAGE_BUCKET_NAME is not set. Set it to the name of the bucket "
        "that holds the uploaded media."
    )


def test_an_unknown_media_storage_is_refused(monkeypatch):
    monkeypatch.setenv("INKWELL_MEDIA_STORAGE", "ftp")

    with pytest.raises(SystemExit) as stopped:
        media_storage()
    assert str(stopped.value) == (
        "Inkwell cannot start: INKWELL_MEDIA_STORAGE must be local or s3, not 'ftp'."
    )


def test_local_files_stay_the_default(monkeypatch):
    monkeypatch.delenv("INKWELL_MEDIA_STORAGE", raising=False)

    assert media_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert media_origin(media_storage()) is None


def test_images_from_the_bucket_are_the_sites_own_when_remote_images_are_off(
    monkeypatch,
):
    monkeypatch.setenv("INKWELL_MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.example.com/blog")

    assert media_origin(media_storage()) == "https://media.example.com"


def test_the_markdown_export_copies_the_images_a_post_has_in_the_bucket(
    bucket, endpoint, tmp_path, db
):
    image_url = store_image(upload(image_bytes("GIF")))
    PostFactory(
        slug="pics",
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
        body=f"![a]({image_url}) ![b](https://elsewhere.example/{BUCKET}/b.png)",
    )
    key = image_url.removeprefix(f"{endpoint}/{BUCKET}/")

    export_site(tmp_path / "out")

    exported = [p for p in (tmp_path / "out/media").rglob("*") if p.is_file()]
    assert [p.relative_to(tmp_path / "out/media").as_posix() for p in exported] == [key]
    assert exported[0].read_bytes() == fetch(image_url)[0]


def test_with_remote_images_off_the_pages_still_show_the_buckets_images():
    script = (
        "import json, config.settings as s; print(json.dumps(["
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "s.INKWELL_ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "SITE_URL": "https://blog.example.com",
        "INKWELL_CSP_REMOTE_IMAGES": "0",
        "INKWELL_MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_CUSTOM_DOMAIN": "media.example.com",
    }

    printed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert json.loads(printed) == [
        ["'self'", "https://media.example.com"],
        ["'self'", "data:", "https://media.example.com"],
    ]
