import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlude.settings")
application = get_wsgi_application()

# Refuse to serve with an unsafe configuration (missing master key, demo mode in production, an
# empty Content-Security-Policy), not only when someone remembers to run `manage.py check`.
from interlude.core.checks import interlude_startup_checks  # noqa: E402

_errors = interlude_startup_checks()
if _errors:
    raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg} {e.hint or ''}" for e in _errors))
