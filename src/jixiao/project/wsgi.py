"""WSGI entry point (``gunicorn jixiao.project.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.project.settings")
application = get_wsgi_application()
