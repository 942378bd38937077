from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.audit.actions import audit_read
from interlude.clinic.sections import sections_for
from interlude.couples.access import open_membership_for, partner_of
from interlude.homework.queries import therapist_client_view
from interlude.invitations.access import (
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
    clients_of,
    get_admin_membership_for,
    get_client_for_therapist,
    get_membership_for,
    team_of,
)
from interlude.practice.models import ClientProfile, Membership


def _therapist_membership(request: AuthedRequest) -> Membership:
    membership = get_membership_for(request.user)
    if not membership.is_therapist:
        raise Http404
    return membership


@login_required
@require_safe
def caseload(request: AuthedRequest) -> HttpResponse:
    membership = _therapist_membership(request)
    clients = clients_of(request.user)
    # One reverse() for the whole caseload: a {% url %} for each of hundreds of clients was a
    # quarter of the page's time (make bench's profile).
    sentinel = 987_654_321_987_654_321  # 18 digits, as every id in a URL
    link = reverse("client_detail", args=[sentinel])
    return render(
        request,
        "clinic/caseload.html",
        {
            "membership": membership,
            "clients": clients,
            "client_links": [(p, link.replace(str(sentinel), str(p.user_id))) for p in clients],
            "pending": pending_invitations_sent_by(request.user),
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
    return render(
        request,
        "clinic/client_detail.html",
        {
            "view": therapist_client_view(request.user, profile.user),
            "sections": sections_for(request.user, profile.user, since=None),
            "profile": profile,
            "client": profile.user,
            "member": member,
            "partner": partner_of(member) if member else None,
            "invite_form": invite_form or InviteForm(),
            "ntp_form": PartnerNotTakingPartForm(),
        },
        status=status,
    )


@login_required
@require_safe
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    return _client_page(request, get_client_for_therapist(request.user, client_id))


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
