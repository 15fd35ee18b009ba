"""Images uploaded through the editor: checked, cleaned and stored with Pillow.

A file is judged by decoding it, never by its name or declared type. Only
JPEG, PNG, GIF and WebP are accepted; SVG never is, because an SVG is a
document that can carry script. Every accepted image is re-encoded, which
drops EXIF (GPS included), XMP and comments but keeps the colour profile,
applies the EXIF orientation, and scales it down past a maximum width.
Animated GIF, PNG and WebP images keep their frames and timing.
"""

import logging
import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

logger = logging.getLogger(__name__)

# What storing a file raises when the disk or the bucket fails (object
# storage: blog.object_storage).
STORAGE_FAILURES = (OSError, BotoCoreError, ClientError)

# Pillow's name for each accepted format, and the extension it is stored as.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

# The only metadata a re-encoded image keeps: what it needs to look right.
KEPT_INFO = ("transparency", "duration", "loop", "background", "icc_profile")

# Pillow raises these (and subclasses of OSError) for files it cannot decode.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)

ENCODER_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {},
    "GIF": {},
    "WEBP": {"quality": 85},
}


class UploadRefused(ValidationError):
    """An upload that is not stored; the message tells the author why."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def store_image(upload):
    """Check and clean an uploaded image, store it, and return its URL.

    Raise UploadRefused, with nothing stored, when the file is not an image
    Inkwell accepts.
    """
    return default_storage.url(save_image(upload))


def save_image(upload, *, name_stem=None):
    """Check and clean an uploaded image, store it, and return its name in
    the storage: `name_stem` plus the extension of its format, or a fresh
    random name (upload_name) without one.

    Raise UploadRefused, with nothing stored, as store_image does.
    """
    image = clean_image(
        upload,
        max_bytes=settings.MARKDOWNX_UPLOAD_MAX_SIZE,
        max_pixels=settings.INKWELL_IMAGE_MAX_PIXELS,
        max_width=settings.INKWELL_IMAGE_MAX_WIDTH,
    )
    if name_stem:
        name = f"{name_stem}.{image.extension}"
    else:
        name = upload_name(image.extension)
    try:
        return default_storage.save(name, ContentFile(image.content))
    except STORAGE_FAILURES:
        # A full disk or a bucket that does not answer: the author's image
        # is still in the editor, so say so instead of failing with a 500.
        logger.exception("Storing the uploaded image %s failed.", name)
        raise UploadRefused(
            _(
                "The image could not be stored: the media storage did not "
                "answer. Try again in a minute; if it keeps failing, tell the "
                "site's administrator."
            )
        ) from None


def upload_name(extension):
    """Return a fresh random file name under the media path's year and month."""
    folder = timezone.localtime().strftime(settings.MARKDOWNX_MEDIA_PATH)
    return f"{folder.rstrip('/')}/{uuid.uuid4().hex}.{extension}"


def clean_image(upload, *, max_bytes, max_pixels, max_width):
    """Return the upload decoded, checked and re-encoded as a CleanImage.

    Raise UploadRefused when the file is too large, is not a JPEG, PNG, GIF
    or WebP image that decodes completely, or has more than max_pixels pixels
    (counting every frame of an animation).
    """
    if upload.size > max_bytes:
        raise UploadRefused(
            _(
                "This file is %(size)s; images can be at most %(limit)s. "
                "Make it smaller or save it as JPEG or WebP, then upload it again."
            )
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    with decoded_image(upload, max_pixels=max_pixels) as image:
        return reencode(image, max_width=max_width)


def decoded_image(upload, *, max_pixels):
    """Return the file opened by Pillow and decoded whole, not re-encoded.

    Raise UploadRefused unless it is a JPEG, PNG, GIF or WebP image that
    decodes completely, of at most max_pixels pixels (every frame counted).
    """
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat
        # the warning as the refusal it should be.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return open_image(upload, max_pixels=max_pixels)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels(max_pixels) from None
        except UNREADABLE:
            raise UploadRefused(
                _(
                    "This file is not a JPEG, PNG, GIF or WebP image, or it is "
                    "damaged. Export it as one of those formats and upload it "
                    "again."
                )
            ) from None


def open_image(upload, *, max_pixels):
    """Return the upload opened by Pillow, after a full decode succeeded."""
    formats = list(EXTENSIONS)
    upload.seek(0)
    with Image.open(upload, formats=formats) as probe:
        # Only the headers are read so far: refuse a decompression bomb, or
        # an animation of a great many frames, before anything is decoded.
        if probe.width * probe.height * frame_count(probe) > max_pixels:
            raise too_many_pixels(max_pixels)
        probe.verify()
    # verify() leaves the image unusable; open it again and decode it whole,
    # which catches a truncated file that verify() alone lets through.
    upload.seek(0)
    image = Image.open(upload, formats=formats)
    screen = image.size
    try:
        decoded_pixels = 0
        for index in range(frame_count(image)):
            # Seeking reads only the frame's header. A GIF frame may declare
            # more than the logical screen the header promised (Pillow grows
            # the image to hold it): check before decoding, frame by frame.
            image.seek(index)
            check_frame(image, screen=screen, index=index)
            # Pillow decodes each frame onto the whole image: count that.
            decoded_pixels += image.width * image.height
            if decoded_pixels > max_pixels:
                raise too_many_pixels(max_pixels)
            image.load()
        image.seek(0)
    except BaseException:
        image.close()
        raise
    return image


def frame_count(image):
    # A JPEG from a phone may open as MPO, whose second "frame" is a depth
    # map or preview, not animation: only its first image is kept.
    if image.format in ("JPEG", "MPO"):
        return 1
    return getattr(image, "n_frames", 1)


def check_frame(image, *, screen, index):
    """Raise UploadRefused when a frame reaches past the image's own size."""
    if image.size == screen:
        return
    raise UploadRefused(
        _(
            "Frame %(frame)d of this animation reaches past the %(screen)s "
            "image it belongs to (to %(frame_size)s pixels); a damaged or "
            "hostile file looks like this. Export the animation again from "
            "your editor, then upload it."
        )
        % {
            "frame": index + 1,
            "frame_size": "×".join(map(str, image.size)),
            "screen": "×".join(map(str, screen)),
        }
    )


def too_many_pixels(max_pixels):
    return UploadRefused(
        _(
            "This image has more than %(limit)s million pixels (counting every "
            "frame of an animation). Scale it down or shorten it, then upload "
            "it again."
        )
        % {"limit": f"{max_pixels / 1_000_000:g}"}
    )


def reencode(image, *, max_width):
    """Return a CleanImage: the pixels alone, oriented, scaled to max_width."""
    image_format = "JPEG" if image.format == "MPO" else image.format
    if frame_count(image) > 1:
        frames = []
        for source in ImageSequence.Iterator(image):
            frame = scaled(source.copy(), max_width)
            frame.info = kept_info(source.info, frame.mode)
            frames.append(frame)
        first = frames[0]
        options = {
            "save_all": True,
            "append_images": frames[1:],
            "duration": [frame.info.get("duration", 100) for frame in frames],
            "loop": image.info.get("loop", 0),
        }
        if image_format == "GIF":
            # Pillow hands over each frame whole; each must replace the last.
            options["disposal"] = 2
    else:
        first = scaled(ImageOps.exif_transpose(image), max_width)
        first.info = kept_info(image.info, first.mode)
        options = {}
    if image_format == "JPEG" and first.mode not in ("RGB", "L"):
        first = first.convert("RGB")
    icc_profile = first.info.get("icc_profile")
    if icc_profile:
        # PNG's encoder reads the profile from the image's info; JPEG's and
        # WebP's only take it as an option, and without it a wide-gamut
        # photo's colours come out dull.
        options["icc_profile"] = icc_profile
    output = BytesIO()
    first.save(output, image_format, **ENCODER_OPTIONS[image_format], **options)
    return CleanImage(
        content=output.getvalue(),
        extension=EXTENSIONS[image_format],
        width=first.width,
        height=first.height,
    )


def scaled(image, max_width):
    if image.width <= max_width:
        return image
    if image.mode == "P":
        # Resampling palette indices makes noise; scale the colours instead.
        image = image.convert("RGBA")
    height = max(1, round(image.height * max_width / image.width))
    return image.resize((max_width, height), Image.Resampling.LANCZOS)


def kept_info(info, mode):
    # Whatever else Pillow read (exif, xmp, comment, dpi, text chunks) would
    # be written back by some encoders; start from nothing.
    kept = {key: info[key] for key in KEPT_INFO if key in info}
    if mode in ("RGBA", "LA"):
        # A palette index or colour key means nothing once alpha carries it.
        kept.pop("transparency", None)
    return kept
