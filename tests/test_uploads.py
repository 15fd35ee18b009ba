from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageCms

from blog.uploads import UploadRefused, clean_image
from tests.images import (
    GPS_IFD,
    animated_gif_bytes,
    gif_with_frames_past_its_screen,
    gps_exif,
    image_bytes,
    png_header_claiming,
    upload,
)

LIMITS = {"max_bytes": 1024 * 1024, "max_pixels": 4_000_000, "max_width": 800}


def clean(data, **limits):
    return clean_image(upload(data), **{**LIMITS, **limits})


def reopened(cleaned):
    image = Image.open(BytesIO(cleaned.content))
    image.load()
    return image


def refusal(data, **limits):
    with pytest.raises(UploadRefused) as refused:
        clean(data, **limits)
    return " ".join(refused.value.messages)


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()]


# The checks and the cleaning.


@pytest.mark.parametrize(
    ("image_format", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("GIF", "gif"), ("WEBP", "webp")],
)
def test_each_allowed_format_is_accepted_and_keeps_its_format(image_format, extension):
    cleaned = clean(image_bytes(image_format, size=(64, 48)))

    assert cleaned.extension == extension
    image = reopened(cleaned)
    assert image.format == image_format
    assert image.size == (64, 48)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_gone_after_cleaning(image_format):
    data = image_bytes(image_format, exif=gps_exif())
    assert GPS_IFD in Image.open(BytesIO(data)).getexif()

    image = reopened(clean(data))

    assert "exif" not in image.info
    assert len(image.getexif()) == 0


def other_profile():
    """Return the bytes of an ICC profile that is not sRGB, as a wide-gamut
    photo's is: dropped, the photo shows the wrong colours.
    """
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    return profile.tobytes()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(
            lambda: ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
            id="sRGB",
        ),
        pytest.param(other_profile, id="not-sRGB"),
    ],
)
def test_the_colour_profile_is_kept_after_cleaning(image_format, profile):
    icc_profile = profile()
    data = image_bytes(image_format, icc_profile=icc_profile, exif=gps_exif())
    assert Image.open(BytesIO(data)).info["icc_profile"] == icc_profile

    image = reopened(clean(data, max_width=32))

    assert image.info["icc_profile"] == icc_profile
    assert image.width == 32
    assert "exif" not in image.info


def test_a_gif_comment_is_gone_after_cleaning():
    data = image_bytes("GIF", comment=b"Taken at 52N 4E")
    assert Image.open(BytesIO(data)).info["comment"]

    image = reopened(clean(data))

    assert "comment" not in image.info


def test_exif_orientation_is_applied_before_the_exif_goes():
    # Orientation 6: the camera was turned; the picture must be turned back.
    data = image_bytes("JPEG", size=(60, 40), exif=gps_exif(orientation=6))

    image = reopened(clean(data))

    assert image.size == (40, 60)
    assert len(image.getexif()) == 0


def test_a_wide_image_is_scaled_down_to_the_maximum_width():
    cleaned = clean(image_bytes("PNG", size=(1600, 900)), max_width=800)

    assert (cleaned.width, cleaned.height) == (800, 450)
    assert reopened(cleaned).size == (800, 450)


def test_an_animated_gif_keeps_its_frames_when_scaled():
    cleaned = clean(animated_gif_bytes(frames=3, size=(40, 30)), max_width=20)

    image = reopened(cleaned)
    assert image.is_animated
    assert image.n_frames == 3
    assert image.size == (20, 15)


@pytest.mark.parametrize(
    "data",
    [
        b"Just some text, nothing like an image.\n",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    ],
    ids=["text", "html"],
)
def test_a_file_renamed_png_that_is_not_an_image_is_refused(data):
    message = refusal(data)

    assert "not a JPEG, PNG, GIF or WebP image" in message


def test_an_svg_with_script_is_refused_whatever_it_claims_to_be():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    with pytest.raises(UploadRefused):
        clean_image(upload(svg, "logo.svg", "image/svg+xml"), **LIMITS)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF"])
def test_a_truncated_image_is_refused(image_format):
    # Noise, so that the pixel data is long enough to cut.
    noisy = Image.effect_noise((300, 200), 64).convert("RGB")
    output = BytesIO()
    noisy.save(output, image_format)
    data = output.getvalue()

    message = refusal(data[: len(data) // 2])

    assert "damaged" in message


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (10_000, 10_000), (7_000, 7_000)],
    ids=["past-pillows-error", "past-pillows-warning", "past-our-limit"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height):
    message = refusal(png_header_claiming(width, height), max_pixels=40_000_000)

    assert "more than 40 million pixels" in message


def test_an_animation_counts_the_pixels_of_every_frame():
    data = animated_gif_bytes(frames=5, size=(100, 100))

    message = refusal(data, max_pixels=40_000)

    assert "million pixels" in message


def test_a_gif_whose_frames_declare_9000_by_9000_is_refused_before_decoding():
    # A 16x16 header, then four frames of 81 million pixels each: what the
    # header check alone let through (405 million pixels, 18 s, 1.1 GB).
    data = gif_with_frames_past_its_screen(frame_size=(9000, 9000), frames=5)
    assert len(data) < 300_000

    message = refusal(data, max_pixels=40_000_000)

    # Refused when frame 2's header is read (Pillow's limit, now Inkwell's),
    # before its pixels are: decoding one such frame takes about 2 s.
    assert "more than 40 million pixels" in message


def test_a_gif_frame_larger_than_its_screen_is_refused_under_the_pixel_limit():
    data = gif_with_frames_past_its_screen(frame_size=(300, 200), frames=3)

    message = refusal(data, max_pixels=40_000_000)

    assert "Frame 2 of this animation reaches past the 16×16 image" in message
    assert "(to 300×200 pixels)" in message
    assert "Export the animation again" in message


def test_an_animation_within_its_screen_is_held_to_the_limit_to_the_pixel():
    data = gif_with_frames_past_its_screen(
        screen=(100, 100), frame_size=(100, 100), frames=5
    )

    assert clean(data, max_pixels=50_000).width == 100
    assert "million pixels" in refusal(data, max_pixels=49_999)


def test_pillows_own_bomb_limit_is_inkwells(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.INKWELL_IMAGE_MAX_PIXELS


def test_a_file_over_the_size_limit_is_refused_with_both_sizes():
    data = image_bytes("PNG") + b"\0" * 2048

    message = refusal(data, max_bytes=1024)

    assert "images can be at most 1.0\xa0KB" in message
    assert "Make it smaller" in message


# The upload and preview endpoints.


def post_image(client, data, name="image.png"):
    return client.post(
        reverse("markdownx_upload"),
        {"image": upload(data, name)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


@time_machine.travel("2025-03-14 12:00Z", tick=False)
def test_staff_upload_is_stored_under_a_random_name_by_year_and_month(
    author_client, media_root
):
    response = post_image(author_client, image_bytes("PNG"), name="../../me.png")

    assert response.status_code == 200
    [stored] = stored_files(media_root)
    assert stored.relative_to(media_root).parent.as_posix() == "images/2025/03"
    assert stored.suffix == ".png"
    assert len(stored.stem) == 32
    code = response.json()["image_code"]
    assert code == f"![](/media/images/2025/03/{stored.name})"


def test_an_image_named_jpg_is_stored_as_what_it_really_is(author_client, media_root):
    post_image(author_client, image_bytes("PNG"), name="photo.jpg")

    [stored] = stored_files(media_root)
    assert stored.suffix == ".png"


def test_a_refused_upload_says_why_and_stores_nothing(author_client, media_root):
    response = post_image(author_client, b"<svg onload=alert(1)>", name="x.png")

    assert response.status_code == 400
    [message] = response.json()["image"]
    assert "Export it as one of those formats" in message
    assert stored_files(media_root) == []


def test_an_upload_without_a_file_is_refused(author_client, media_root):
    response = author_client.post(reverse("markdownx_upload"), {})

    assert response.status_code == 400
    assert "No image arrived" in response.json()["image"][0]


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff-without-posts"])
def test_only_staff_who_write_posts_can_upload(who, client, media_root, db):
    from django.contrib.auth import get_user_model

    if who != "anonymous":
        user = get_user_model().objects.create_user(
            who, password="pw", is_staff=who != "reader"
        )
        client.force_login(user)

    response = post_image(client, image_bytes("PNG"))

    assert response.status_code == 403
    assert "Log in to the admin" in response.json()["image"][0]
    assert stored_files(media_root) == []


def test_anonymous_preview_is_refused_and_nothing_is_rendered(client, db):
    response = client.post(
        reverse("markdownx_markdownify"), {"content": "**bold** <script>x</script>"}
    )

    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_upload_without_a_csrf_token_is_refused(author, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = post_image(client, image_bytes("PNG"))

    assert response.status_code == 403
    assert stored_files(media_root) == []


def test_preview_without_a_csrf_token_is_refused(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post(reverse("markdownx_markdownify"), {"content": "**b**"})

    assert response.status_code == 403


def test_upload_and_preview_only_answer_post(author_client):
    assert author_client.get(reverse("markdownx_upload")).status_code == 405
    assert author_client.get(reverse("markdownx_markdownify")).status_code == 405


def test_anyone_but_staff_gets_403_whatever_the_method(client):
    assert client.get(reverse("markdownx_upload")).status_code == 403
    assert client.get(reverse("markdownx_markdownify")).status_code == 403


def test_staff_preview_is_the_rendering_pipelines_html(author_client):
    from blog.rendering import render_post

    text = "Some **bold** text.[^1]\n\n[^1]: A note.\n\n<script>alert(1)</script>"

    response = author_client.post(reverse("markdownx_markdownify"), {"content": text})

    assert response.status_code == 200
    assert response.content.decode() == render_post(text).body_html
    assert "<script>" not in response.content.decode()
