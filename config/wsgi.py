import os

from django.core.wsgi import get_wsgi_application

from config import checkout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
checkout.prepare()
application = get_wsgi_application()

# Kept pages are answered before Django's request handling (blog.page_cache).
from blog.page_cache import KeptPageApplication  # noqa: E402

application = KeptPageApplication(application)
