from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from interlude.accounts.http import AuthedRequest
from interlude.audit.actions import audit_read
from interlude.fantasy.access import fantasies_shared_with_partner, sensations_shared_with_partner
from interlude.homework.access import reflections_shared_with_partner
from interlude.homework.queries import client_home
from interlude.journal.access import entries_shared_with_partner
from interlude.ladder.access import partner_shared_any
from interlude.lib.requests import client_ip
from interlude.measures.queries import client_questionnaires
from interlude.practice.access import get_client_profile_for
from interlude.sharing.person import PersonRequest


@require_safe
def home(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    if request.user.is_therapist:
        return redirect("caseload")
    if request.user.is_practitioner:
        return redirect("team")
    profile = get_client_profile_for(request.user)
    return render(
        request,
        "core/client_home.html",
        {
            "profile": profile,
            "member": person.couple_member,
            "partner": person.other_member,
            "linked_partner": person.partner,
            "home": client_home(person),
            "questionnaires": client_questionnaires(person),
        },
    )


@login_required
@require_safe
def shared_by_partner(request: PersonRequest) -> HttpResponse:
    """What the client's linked partner chose to share with them: journal entries and practice
    reflections, under their current link only."""
    person = request.person
    get_client_profile_for(request.user)
    partner = person.partner
    entries = list(entries_shared_with_partner(person))
    reflections = reflections_shared_with_partner(person)
    if partner is not None and (entries or reflections):
        audit_read(
            actor=request.user, subject=partner, what="journal.partner", ip=client_ip(request)
        )
    # The tools with their own "shared with you" pages, where the partner shares anything now.
    elsewhere = []
    if partner is not None:
        if (
            fantasies_shared_with_partner(person).exists()
            or sensations_shared_with_partner(person).exists()
        ):
            elsewhere.append(("fantasy_shared", "From their fantasy journal and new sensations"))
        if partner_shared_any(person):
            elsewhere.append(("ladder_shared", "Notes from their exposure ladder"))
    return render(
        request,
        "journal/shared_by_partner.html",
        {
            "partner": partner,
            "entries": entries,
            "reflections": reflections,
            "elsewhere": elsewhere,
        },
    )


@login_required
@require_safe
def mfa_required(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_practitioner or is_mfa_enabled(request.user):
        return redirect("home")
    return render(request, "core/mfa_required.html")
