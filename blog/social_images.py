"""The image a post is shared with (og:image, twitter:image).

A post's own social image (an upload) wins; else the first image of its body,
found when the post is rendered and stored with its size when it is one of
the site's own files; else the site-wide default in Site identity. Requests
only read what is stored: no HTML is parsed and no file opened.
"""

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from blog import uploads
from blog.rendering import absolute_url

SOCIAL_FOLDER = "images/social"


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int | None  # None when unknown (a remote image)
    height: int | None


def upload_to(instance, filename):
    """Return a fresh storage name for an uploaded social image, in a folder
    of their own: no post body links to them.
    """
    extension = PurePosixPath(filename).suffix.lstrip(".").lower() or "png"
    return f"{SOCIAL_FOLDER}/{uuid.uuid4().hex}.{extension}"


def cleaned_upload(value):
    """Return an uploaded image checked and re-encoded as the editor's
    uploads are (blog.uploads), ready for an ImageField; any other value
    (the stored file, a cleared field) as it is.

    Raise UploadRefused (a ValidationError) for a file the editor would
    refuse.
    """
    if not isinstance(value, UploadedFile):
        return value
    image = uploads.clean_image(
        value,
        max_bytes=settings.MARKDOWNX_UPLOAD_MAX_SIZE,
        max_pixels=settings.INKWELL_IMAGE_MAX_PIXELS,
        max_width=settings.INKWELL_IMAGE_MAX_WIDTH,
    )
    return ContentFile(image.content, name=f"social.{image.extension}")


def stored_image_size(url):
    """Return (width, height) of the site's own uploaded image at `url`, or
    (None, None) for a remote image or a file that is missing or unreadable.

    Reads only the file's header. Called when a post is saved.
    """
    name = _storage_name(url)
    if not name:
        return None, None
    try:
        with default_storage.open(name) as file, Image.open(file) as image:
            return image.size
    except (FileNotFoundError, Image.DecompressionBombError, *uploads.UNREADABLE):
        return None, None


def _storage_name(url):
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    # The storage's address for a name: "/media/x" for local files, the
    # bucket's for object storage (which refuses an empty name).
    storage = urlsplit(default_storage.url("x"))
    if parts.scheme or parts.netloc:
        own = {(site.scheme, site.netloc), (storage.scheme, storage.netloc)}
        if (parts.scheme, parts.netloc) not in own:
            return None
    prefix = storage.path[:-1]
    if not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name or ".." in PurePosixPath(name).parts:
        return None
    return name


def share_image(post, site):
    """Return the ShareImage of a post, or of a page when `post` is None,
    with `site` the SiteIdentity; None when there is none at all.
    """
    if post is not None and post.social_image:
        return _uploaded(
            post.social_image, post.social_image_width, post.social_image_height
        )
    if post is not None and post.first_image_url:
        return ShareImage(
            url=absolute_url(post.first_image_url),
            width=post.first_image_width,
            height=post.first_image_height,
        )
    if site.default_social_image:
        return _uploaded(
            site.default_social_image,
            site.default_social_image_width,
            site.default_social_image_height,
        )
    return None


def _uploaded(file, width, height):
    return ShareImage(url=absolute_url(file.url), width=width, height=height)
