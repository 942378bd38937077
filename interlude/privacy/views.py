from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interlude.audit.access import access_history_for
from interlude.audit.actions import audit_read, audit_record
from interlude.consents.access import consents_of, has_standing_consent
from interlude.consents.actions import consent_give, consent_withdraw
from interlude.consents.models import Consent
from interlude.couples.access import linked_partner_of
from interlude.lib.requests import client_ip
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.privacy.actions import client_account_delete
from interlude.privacy.export import build_transfer_record, export_zip

# Consents a client may switch on and off here. Terms and linking have their own places.
TOGGLES: dict[str, str] = {
    Consent.Kind.PARTNER_SHARING: settings.PARTNER_SHARING_CONSENT_VERSION,
    Consent.Kind.REMINDER_EMAIL: settings.REMINDER_EMAIL_CONSENT_VERSION,
}


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    profile = get_client_profile_for(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "privacy/privacy.html",
        {
            "profile": profile,
            "partner": linked_partner_of(request.user),  # type: ignore[arg-type]
            "sharing_on": has_standing_consent(request.user, Consent.Kind.PARTNER_SHARING),  # type: ignore[arg-type]
            "reminders_on": has_standing_consent(request.user, Consent.Kind.REMINDER_EMAIL),  # type: ignore[arg-type]
            "consents": consents_of(request.user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def consent_toggle(request: HttpRequest, kind: str, turn: str) -> HttpResponse:
    get_client_profile_for(request.user)  # type: ignore[arg-type]
    if kind not in TOGGLES or turn not in ("on", "off"):
        raise Http404
    user = request.user
    if turn == "on" and not has_standing_consent(user, kind):  # type: ignore[arg-type]
        consent_give(user=user, kind=kind, version=TOGGLES[kind])  # type: ignore[arg-type]
        messages.success(request, f"{Consent.Kind(kind).label}: on.")
    elif turn == "off":
        consent_withdraw(user=user, kind=kind)  # type: ignore[arg-type]
        messages.success(request, f"{Consent.Kind(kind).label}: off, from now on.")
    return redirect("privacy")


@login_required
def access_history(request: HttpRequest) -> HttpResponse:
    get_client_profile_for(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "privacy/access_history.html",
        {"events": access_history_for(request.user)},  # type: ignore[arg-type]
    )


@login_required
@reauthentication_required
def export(request: HttpRequest) -> HttpResponse:
    get_client_profile_for(request.user)  # type: ignore[arg-type]
    if request.GET.get("download") != "1":
        return render(request, "privacy/export_ready.html")
    payload = export_zip(request.user)  # type: ignore[arg-type]
    audit_record(
        actor=request.user, action="export.self", subject=request.user, ip=client_ip(request)
    )
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="interlude-export.zip"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    profile = get_client_profile_for(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Please type the word delete to confirm.")
            return render(request, "privacy/delete.html", {"profile": profile}, status=400)
        user = request.user
        client_account_delete(user=user, ip=client_ip(request))  # type: ignore[arg-type]
        logout(request)
        response = render(request, "privacy/deleted.html", {"therapist": profile.therapist})
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    return render(request, "privacy/delete.html", {"profile": profile})


@login_required
def client_export(request: HttpRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)  # type: ignore[arg-type]
    record = build_transfer_record(request.user, profile.user)  # type: ignore[arg-type]
    audit_read(
        actor=request.user, subject=profile.user, what="export.transfer", ip=client_ip(request)
    )
    response = HttpResponse(
        json.dumps(record, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="interlude-client-{profile.user_id}.json"'
    )
    return response
