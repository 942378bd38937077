"""Start-up checks that refuse an unsafe production configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from interlude.lib.crypto import MasterKeyError, parse_master_keys


@register(Tags.security)
def interlude_startup_checks(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    try:
        parse_master_keys(settings.INTERLUDE_MASTER_KEYS or "")
    except MasterKeyError as exc:
        errors.append(
            Error(
                f"The master key is missing or invalid: {exc}",
                hint="Set INTERLUDE_MASTER_KEYS or INTERLUDE_MASTER_KEYS_FILE; generate one with "
                "`python manage.py generate_master_key`.",
                id="interlude.E001",
            )
        )
    if settings.PRODUCTION and settings.DEMO_MODE:
        errors.append(Error("Demo mode is on in production.", id="interlude.E002"))
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    if not directives or not directives.get("default-src") or not directives.get("script-src"):
        errors.append(
            Error(
                "The Content-Security-Policy is empty.",
                hint="Restore CONTENT_SECURITY_POLICY in settings.py.",
                id="interlude.E003",
            )
        )
    return errors
