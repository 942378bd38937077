"""The benchmark's floor: the cheapest page Django can serve through Interlude's middleware."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    """A tiny response, no template and no query of its own: what every page is measured
    against in the same run. Exists only when INTERLUDE_BENCH is on (see interlude/urls.py)."""
    if not settings.INTERLUDE_BENCH:  # the URL is not even routed then; belt and braces
        raise Http404
    return HttpResponse(b"floor\n", content_type="text/plain")
