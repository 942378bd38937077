from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.forms import SetPasswordFields
from interlude.accounts.http import AuthedRequest
from interlude.accounts.models import User
from interlude.couples import actions as couple_actions
from interlude.couples.access import current_membership_for, get_own_membership, partner_of
from interlude.invitations.access import (
    LinkState,
    account_for_invitation,
    get_invitation_by_token,
    get_invitation_to_approve,
    get_invitation_to_revoke,
    last_not_sent_by,
    open_partner_invitation,
)
from interlude.invitations.actions import invitation_revoke
from interlude.invitations.models import Invitation
from interlude.lib.errors import UserFacingError
from interlude.onboarding import actions
from interlude.onboarding.forms import (
    AcceptClientForm,
    AcceptPartnerForm,
    InviteForm,
    LinkConsentForm,
)
from interlude.practice.access import get_client_profile_for
from interlude.sharing.person import PersonRequest

LINK_STATUS = {
    LinkState.INVALID: 404,
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
    LinkState.WITHDRAWN: 410,
}


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation, state = get_invitation_by_token(token)
    if state is not LinkState.OK or invitation is None:
        return render(
            request,
            "onboarding/link_problem.html",
            {"state": state.value, "invitation": invitation},
            status=LINK_STATUS[state],
        )
    existing = account_for_invitation(invitation)
    if request.user.is_authenticated and request.user.pk != getattr(existing, "pk", None):
        return render(
            request, "onboarding/signed_in_as_other.html", {"invitation": invitation}, status=409
        )
    if existing is not None:
        return _accept_existing(request, invitation, existing)
    return _accept_new(request, invitation)


def _accept_new(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form_class = {
        Invitation.Kind.CLIENT: AcceptClientForm,
        Invitation.Kind.PARTNER: AcceptPartnerForm,
        Invitation.Kind.THERAPIST: SetPasswordFields,
    }[Invitation.Kind(invitation.kind)]
    form = form_class(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        initial={"name": invitation.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.invitation_accept_new_account(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                link_consent=form.cleaned_data.get("link_consent", False),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Interlude. Your account is ready.")
            return redirect("home")
    return render(
        request,
        "onboarding/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "terms_version": settings.TERMS_VERSION,
        },
        status=400 if form.errors else 200,
    )


def _accept_existing(request: HttpRequest, invitation: Invitation, existing: User) -> HttpResponse:
    if not request.user.is_authenticated:
        login_url = reverse("account_login") + "?next=" + request.path
        return render(
            request,
            "onboarding/sign_in_first.html",
            {"invitation": invitation, "login_url": login_url},
        )
    reason = actions.why_account_cannot_accept(invitation, existing)
    if reason:
        return render(
            request, "onboarding/cannot_accept.html", {"invitation": invitation, "reason": reason}
        )
    form = LinkConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invitation_accept_existing_client(
                invitation=invitation, user=existing, link_consent=True
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "You're linked. You each still choose what to share.")
            return redirect("partner")
    return render(
        request,
        "onboarding/accept_existing.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_to_revoke(request.user, invitation_id)
    if invitation.kind == Invitation.Kind.PARTNER and invitation.is_open:
        actions.partner_invitation_withdraw(invitation=invitation, by=request.user)
    else:
        invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url in ("/clients/", "/team/", "/partner/") else "home")


@login_required
@require_POST
def invitation_approve(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    """The therapist sends (or does not send) a partner invitation their client asked for."""
    invitation = get_invitation_to_approve(request.user, invitation_id)
    decision = request.POST.get("decision", "")
    try:
        if decision == "send":
            actions.partner_invitation_approve(invitation=invitation, by=request.user)
            messages.success(
                request,
                f"The invitation to {invitation.email} is on its way. Nothing is linked until "
                "they accept and agree.",
            )
        elif decision == "decline":
            if not invitation.awaiting_approval:
                raise UserFacingError("This invitation is no longer waiting for you.")
            actions.partner_invitation_withdraw(invitation=invitation, by=request.user)
            messages.success(
                request,
                f"The invitation to {invitation.email} was not sent. "
                f"{invitation.invited_by.display_name} sees that it was not sent, not why.",
            )
        else:
            messages.error(request, "Please choose whether to send the invitation.")
    except UserFacingError as exc:
        messages.error(request, str(exc))
    client_id = invitation.invited_by_id
    return redirect("client_detail", client_id=client_id)


# --- Partners: linking and leaving -----------------------------------------------------------


def _page(request: PersonRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    profile = get_client_profile_for(request.user)
    member = current_membership_for(request.user)
    partner = partner_of(member) if member else None
    return render(
        request,
        "onboarding/partner.html",
        {
            "profile": profile,
            "member": member,
            "partner": partner,
            "form": form,
            "invitation": open_partner_invitation(member.couple_id) if member else None,
            "not_sent": None if partner is not None else last_not_sent_by(request.user),
        },
        status=status,
    )


@login_required
@require_safe
def partner(request: PersonRequest) -> HttpResponse:
    return _page(request, InviteForm())


@login_required
@require_POST
def partner_invite(request: PersonRequest) -> HttpResponse:
    get_client_profile_for(request.user)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.partner_invite(
                by=request.user,
                client=request.user,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
            )
        except UserFacingError as exc:
            if request.person.couple_member is not None:
                # The form is not on the page while a shared space is open.
                messages.error(request, str(exc))
            else:
                form.add_error("email", str(exc))
        else:
            therapist = request.person.therapist
            messages.success(
                request,
                f"Thank you. {therapist.display_name if therapist else 'Your therapist'} looks "
                "at it first, then sends it. Nothing is shared until your partner agrees, and "
                "only what each of you chooses to share.",
            )
            return redirect("partner")
    return _page(request, form, status=400)


@login_required
@require_POST
def couple_consent(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_own_membership(request.user, member_id)
    couple_actions.couple_consent(member=member, user=request.user)
    messages.success(request, "You're linked. You each still choose what to share.")
    return redirect("partner")


@login_required
@require_http_methods(["GET", "POST"])
def couple_leave(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_own_membership(request.user, member_id)
    if request.method == "POST":
        actions.partner_leave(member=member, user=request.user)
        messages.success(request, "The shared space has ended. Your own work stays with you.")
        return redirect("partner")
    other = partner_of(member)
    alone = other is not None and other.status == other.Status.NOT_TAKING_PART
    return render(
        request,
        "onboarding/leave.html",
        {"member": member, "alone": alone, "therapist": member.couple.therapist.display_name},
    )
