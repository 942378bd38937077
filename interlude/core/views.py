from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interlude.couples.access import current_membership_for, partner_of
from interlude.homework.queries import client_home
from interlude.practice.access import get_client_profile_for


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/welcome.html")
    if user.is_therapist:  # type: ignore[union-attr]
        return redirect("caseload")
    if user.is_practitioner:  # type: ignore[union-attr]
        return redirect("team")
    profile = get_client_profile_for(user)  # type: ignore[arg-type]
    member = current_membership_for(user)  # type: ignore[arg-type]
    return render(
        request,
        "core/client_home.html",
        {
            "profile": profile,
            "member": member,
            "partner": partner_of(member) if member else None,
            "items": client_home(user),  # type: ignore[arg-type]
        },
    )


@login_required
def mfa_required(request: HttpRequest) -> HttpResponse:
    if not request.user.is_practitioner or is_mfa_enabled(request.user):  # type: ignore[union-attr]
        return redirect("home")
    return render(request, "core/mfa_required.html")
