import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interlude.core.demo import THERAPIST_EMAIL


class Command(BaseCommand):
    help = "Print the demo therapist's current two-step sign-in code (demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("demo_code only runs with INTERLUDE_ENV=demo.")
        totp = Authenticator.objects.filter(
            user__email=THERAPIST_EMAIL, type=Authenticator.Type.TOTP
        ).first()
        if totp is None:
            raise CommandError("No demo therapist yet: run `make demo` first.")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(decrypt(totp.data["secret"]), counter)))
