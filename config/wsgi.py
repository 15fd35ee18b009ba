import os

from django.core.wsgi import get_wsgi_application

from config import checkout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
checkout.prepare()
application = get_wsgi_application()
