import os

from django.core.asgi import get_asgi_application

from config import checkout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
checkout.prepare()
application = get_asgi_application()
