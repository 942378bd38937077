"""allauth's two-step sign-in forms, with Interlude's rules (settings.MFA_FORMS points here)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import TOTP


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def clean_code(self) -> str:
        code: str = super().clean_code()
        # allauth remembers a used code (in the cache, for one 30-second period) only when it
        # signs someone in. The code typed to turn the app on is marked here too, so that
        # someone who saw it typed cannot sign in with it in the same 30 seconds.
        not_yet_saved = Authenticator(user_id=self.user.pk, type=Authenticator.Type.TOTP)
        TOTP(not_yet_saved)._mark_code_used(code)
        return code
