from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from interlude.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load Interlude's demo practice (idempotent) and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's invitations are accepted at once; their e-mails would only be noise.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = load_demo()
        w = self.stdout.write
        w("")
        w(f"Demo sign-ins (password for everyone: {DEMO_PASSWORD})")
        w(f"  Therapist:  {summary.therapist_email}")
        w(f"    Two-step sign-in: add this secret to an authenticator app: {summary.totp_secret}")
        w("    or print the current code with:  make demo-code")
        w("    or use a recovery code (each works once): " + ", ".join(summary.recovery_codes))
        for email, what in summary.clients:
            w(f"  Client:     {email}  ({what})")
        if summary.reminder:
            w(f"  Reminder:   {summary.reminder}")
        w("")
