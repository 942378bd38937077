from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.audit.actions import audit_read
from interlude.clinic import queries
from interlude.clinic.forms import PracticeSettingsForm
from interlude.clinic.page import client_page
from interlude.clinic.sections import chart_functions
from interlude.consultations import retention
from interlude.consultations.actions import record_retention_set
from interlude.couples.access import open_membership_for, partner_of
from interlude.exercises.crisis import crisis_details
from interlude.invitations.access import (
    awaiting_approval_for,
    pending_invitations_sent_by,
    pending_therapist_invitations,
)
from interlude.invitations.actions import invitation_create
from interlude.invitations.models import Invitation
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip
from interlude.onboarding import actions as onboarding
from interlude.onboarding.forms import InviteForm, PartnerNotTakingPartForm
from interlude.practice.access import (
    get_admin_membership_for,
    get_client_for_therapist,
    get_membership_for,
    team_of,
)
from interlude.practice.actions import CRISIS_FIELDS, practice_crisis_details_set
from interlude.practice.models import ClientProfile, Membership


def _therapist_membership(request: AuthedRequest) -> Membership:
    membership = get_membership_for(request.user)
    if not membership.is_therapist:
        raise Http404
    return membership


def _page_number(request: AuthedRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 5 and int(raw) else 1


@login_required
@require_safe
def caseload(request: AuthedRequest) -> HttpResponse:
    membership = _therapist_membership(request)
    query = request.GET.get("q", "")[:80]
    return render(
        request,
        "clinic/caseload.html",
        {
            "membership": membership,
            "caseload": queries.caseload(request.user, query=query, page=_page_number(request)),
            "pending": pending_invitations_sent_by(request.user),
            "awaiting": awaiting_approval_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_invite(request: AuthedRequest) -> HttpResponse:
    membership = _therapist_membership(request)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                kind=Invitation.Kind.CLIENT,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                practice=membership.practice,
                invited_by=request.user,
                therapist=request.user,
            )
        except UserFacingError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"Invitation sent to {form.cleaned_data['email']}. The link works once and "
                f"for {settings.INVITATION_DAYS} days.",
            )
            return redirect("caseload")
    return render(request, "clinic/client_invite.html", {"form": form})


def _client_page(
    request: AuthedRequest,
    profile: ClientProfile,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The client's page, whole, also when a form on it needs another look."""
    audit_read(
        actor=request.user, subject=profile.user, what="client.therapist", ip=client_ip(request)
    )
    member = open_membership_for(profile.user)
    partner = partner_of(member) if member else None
    page = client_page(
        request.user,
        profile,
        page=_page_number(request),
        partner=partner.client if partner is not None and partner.is_linked else None,
    )
    return render(
        request,
        "clinic/client_detail.html",
        {
            "page": page,
            "view": page.view,
            "sections": page.sections,
            "profile": profile,
            "client": profile.user,
            "member": member,
            "partner": partner,
            "invite_form": invite_form or InviteForm(),
            "ntp_form": PartnerNotTakingPartForm(),
            "awaiting": awaiting_approval_for(request.user, [profile.user_id]),
        },
        status=status,
    )


@login_required
@require_safe
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    return _client_page(request, get_client_for_therapist(request.user, client_id))


@login_required
@require_safe
def client_progress(request: AuthedRequest, client_id: int) -> HttpResponse:
    """Every tool's progress charts for one client: before and after each exercise, the
    questionnaires' totals with their bands."""
    profile = get_client_for_therapist(request.user, client_id)
    audit_read(
        actor=request.user, subject=profile.user, what="client.therapist", ip=client_ip(request)
    )
    return render(
        request,
        "clinic/progress.html",
        {
            "profile": profile,
            "client": profile.user,
            "charts": [c for f in chart_functions() for c in f(request.user, profile.user)],
        },
    )


@login_required
@require_POST
def client_partner_invite(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            onboarding.partner_invite(
                by=request.user,
                client=profile.user,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
            )
        except UserFacingError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"Invitation sent. {profile.user.display_name} will be asked to agree to "
                "the link too.",
            )
            return redirect("client_detail", client_id=profile.user_id)
    return _client_page(request, profile, invite_form=form, status=400)


@login_required
@require_POST
def client_partner_not_taking_part(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    form = PartnerNotTakingPartForm(request.POST)
    if form.is_valid():
        try:
            onboarding.partner_not_taking_part(
                by=request.user,
                client=profile.user,
                label=form.cleaned_data["label"],
            )
        except UserFacingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Noted: their partner is not taking part.")
    return redirect("client_detail", client_id=profile.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def team(request: AuthedRequest) -> HttpResponse:
    membership = get_admin_membership_for(request.user)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                kind=Invitation.Kind.THERAPIST,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                practice=membership.practice,
                invited_by=request.user,
            )
        except UserFacingError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"Invitation sent to {form.cleaned_data['email']}. The link works once and "
                f"for {settings.INVITATION_DAYS} days.",
            )
            return redirect("team")
    members = team_of(membership)
    pending = pending_therapist_invitations(membership.practice_id)
    return render(
        request,
        "clinic/team.html",
        {"membership": membership, "members": members, "pending": pending, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_settings(request: AuthedRequest) -> HttpResponse:
    """The practice's crisis details and record retention: practice admins only."""
    membership = get_admin_membership_for(request.user)
    practice = membership.practice
    own_years = retention.own_years(practice.pk)
    form = PracticeSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "emergency_number": practice.emergency_number,
            "crisis_line": practice.crisis_line,
            "abuse_helpline": practice.abuse_helpline,
            "record_years": own_years,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        practice_crisis_details_set(
            practice=practice,
            by=request.user,
            **{name: data[name] for name in CRISIS_FIELDS},
        )
        if data["record_years"] != own_years:
            record_retention_set(practice=practice, years=data["record_years"], by=request.user)
        messages.success(request, "Saved. Your clients see the new details from now on.")
        return redirect("practice_settings")
    return render(
        request,
        "clinic/practice_settings.html",
        {
            "membership": membership,
            "form": form,
            "crisis": crisis_details(practice),
            "default_years": settings.CLINICAL_RECORD_YEARS,
        },
        status=400 if form.errors else 200,
    )
