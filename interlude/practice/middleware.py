from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from interlude.accounts import factors
from interlude.accounts.mfa import MFAAdapter

# Pages a practitioner may open before enrolling two-step sign-in: the account pages (where
# enrolment happens), signing out, static files, and the page explaining why.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/secure-your-account/")


class TherapistMFAMiddleware:
    """Practitioners must have a second factor (an authenticator app or a passkey / security
    key; recovery codes alone do not count) before any practice or client page opens, and
    cannot remove the last one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_practitioner:
            if not request.path.startswith(EXEMPT_PREFIXES):
                if not factors.has_second_factor(user):
                    return redirect(reverse("mfa_required"))
            elif request.method == "POST":
                refused = self._refuse_removing_the_last_key(request)
                if refused is not None:
                    return refused
        return self.get_response(request)

    def _refuse_removing_the_last_key(self, request: HttpRequest) -> HttpResponse | None:
        """allauth asks the adapter before turning off the authenticator app, but removes a
        passkey or security key without asking: the same rule is applied here."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name != "mfa_remove_webauthn":
            return None
        key = Authenticator.objects.filter(
            pk=match.kwargs.get("pk"), user=request.user, type=Authenticator.Type.WEBAUTHN
        ).first()
        if key is None or factors.can_remove(key):
            return None
        messages.error(request, MFAAdapter.error_messages["cannot_delete_authenticator"])
        return redirect(request.path)
