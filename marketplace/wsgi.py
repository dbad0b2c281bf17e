import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.demo")
_django = get_wsgi_application()

from marketplace.flashsales import fastpath  # noqa: E402  (after Django is set up)

# Flash-sale claims refused without a count (sold out, not started, ended) are answered
# before Django's middleware; everything else is Django's (``flashsales.fastpath``).
application = fastpath.wrap(_django)
