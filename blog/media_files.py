"""The headers that make an uploaded file inert, wherever it is served from:
by Django in development (`serve_media`), by the proxy in production (README,
"Deploying", which must add the same), or by object storage, where they are
stored with each object (blog.object_storage).

A file opened directly must do nothing: the policy
(blog.content_security_policy) sandboxes it, nosniff keeps the browser from
reading it as anything but its type, and anything but an image the editor
accepts is offered as a download instead of shown.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.utils.http import content_disposition_header
from django.views.static import serve

# The types blog.uploads stores; SVG, which can carry script, is not one.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# By extension, for storage that does not guess types (object storage).
TYPES_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
DOWNLOAD_TYPE = "application/octet-stream"


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    disposition = content_disposition(path, content_type)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def media_type(name):
    """Return the type a stored file `name` is served as: an accepted
    image's, by its extension, else a download's.
    """
    extension = PurePosixPath(name).suffix.lstrip(".").lower()
    return TYPES_BY_EXTENSION.get(extension, DOWNLOAD_TYPE)


def content_disposition(name, content_type):
    """Return the Content-Disposition that makes a file of `content_type` a
    download, or None for an image the editor accepts, which is shown.
    """
    if content_type in INLINE_TYPES:
        return None
    return content_disposition_header(True, PurePosixPath(name).name)
