from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest, reauthentication_required
from interlude.audit.access import access_history_for
from interlude.audit.actions import audit_read, audit_record
from interlude.consents.access import consents_of
from interlude.consents.models import Consent
from interlude.lib.requests import client_ip
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.privacy.actions import client_account_delete
from interlude.privacy.export import build_transfer_record, export_zip
from interlude.sharing.actions import sharing_turn_off, sharing_turn_on
from interlude.sharing.person import PersonRequest

# Consents a client may switch on and off here. Terms and linking have their own places; e-mail
# reminders get their switch when reminders are sent.
TOGGLES: dict[str, str] = {
    Consent.Kind.PARTNER_SHARING: settings.PARTNER_SHARING_CONSENT_VERSION,
}


@login_required
@require_safe
def privacy(request: PersonRequest) -> HttpResponse:
    person = request.person
    profile = get_client_profile_for(request.user)
    return render(
        request,
        "privacy/privacy.html",
        {
            "profile": profile,
            "partner": person.partner,
            "sharing_on": person.sharing_consent is not None,
            "consents": consents_of(request.user),
        },
    )


@login_required
@require_POST
def consent_toggle(request: PersonRequest, kind: str, turn: str) -> HttpResponse:
    person = request.person
    get_client_profile_for(request.user)
    if kind not in TOGGLES or turn not in ("on", "off"):
        raise Http404
    if kind == Consent.Kind.PARTNER_SHARING:
        if turn == "on":
            turned_on = sharing_turn_on(person=person, version=TOGGLES[kind])
            if not turned_on and person.partner is None:
                messages.error(
                    request, "Sharing can be turned on once you're linked with a partner."
                )
            else:
                messages.success(
                    request, "Sharing with your partner: on. You choose entry by entry."
                )
        else:
            sharing_turn_off(person=person)
            messages.success(
                request,
                "Sharing with your partner: off. Nothing you shared can be read by them now.",
            )
    return redirect("privacy")


@login_required
@require_safe
def access_history(request: AuthedRequest) -> HttpResponse:
    get_client_profile_for(request.user)
    return render(
        request,
        "privacy/access_history.html",
        {"events": access_history_for(request.user)},
    )


@login_required
@reauthentication_required
@require_safe
def export(request: AuthedRequest) -> HttpResponse:
    get_client_profile_for(request.user)
    if request.GET.get("download") != "1":
        return render(request, "privacy/export_ready.html")
    payload = export_zip(request.user)
    audit_record(
        actor=request.user, action="export.self", subject=request.user, ip=client_ip(request)
    )
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="interlude-export.zip"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthedRequest) -> HttpResponse:
    profile = get_client_profile_for(request.user)
    if request.method == "POST":
        typed = request.POST.get("confirm", "")[:1000]
        if typed.strip().lower() != "delete":
            messages.error(request, "Please type the word delete to confirm.")
            return render(
                request, "privacy/delete.html", {"profile": profile, "typed": typed}, status=400
            )
        user = request.user
        client_account_delete(user=user, ip=client_ip(request))
        logout(request)
        response = render(request, "privacy/deleted.html", {"therapist": profile.therapist})
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    return render(request, "privacy/delete.html", {"profile": profile})


@login_required
@require_safe
def client_export(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    record = build_transfer_record(request.user, profile.user)
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
