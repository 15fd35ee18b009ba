"""The framework floor: the least a Django view under gunicorn can cost.

One view, no middleware, no database, no template: it returns the bytes of
a page Inkwell served, read once from INKWELL_FLOOR_PAGES (a folder with
pages.json, {path: [file name, content type]}) and kept in memory. Serve it
as `gunicorn bench.floor_app:application`; bench/bench_serve.py does.
"""

import json
import os
from pathlib import Path

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-not-a-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, HttpResponseNotFound  # noqa: E402
from django.urls import re_path  # noqa: E402

FOLDER = Path(os.environ["INKWELL_FLOOR_PAGES"])
PAGES = {
    path: ((FOLDER / name).read_bytes(), content_type)
    for path, (name, content_type) in json.loads(
        (FOLDER / "pages.json").read_text()
    ).items()
}


def stored_page(request):
    if request.path not in PAGES:
        return HttpResponseNotFound()
    body, content_type = PAGES[request.path]
    return HttpResponse(body, content_type=content_type)


urlpatterns = [re_path(r"", stored_page)]
application = get_wsgi_application()
