"""Uploaded files as Django serves them in development.

In production the proxy serves MEDIA_ROOT (README, "Deploying") and must add
the same headers. A file opened directly must do nothing: the policy
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


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in INLINE_TYPES:
        name = PurePosixPath(path).name
        response["Content-Disposition"] = content_disposition_header(True, name)
    return response
