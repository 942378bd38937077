from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from interlude.accounts.forms import SetPasswordFields
from interlude.accounts.models import User
from interlude.invitations.access import (
    LinkState,
    account_for_invitation,
    get_invitation_by_token,
    get_invitation_to_revoke,
)
from interlude.invitations.actions import (
    InvitationError,
    invitation_accept_existing_client,
    invitation_accept_new_account,
    invitation_revoke,
)
from interlude.invitations.forms import AcceptClientForm, AcceptPartnerForm, LinkConsentForm
from interlude.invitations.models import Invitation

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
            "invitations/link_problem.html",
            {"state": state.value, "invitation": invitation},
            status=LINK_STATUS[state],
        )
    existing = account_for_invitation(invitation)
    if request.user.is_authenticated and request.user.pk != getattr(existing, "pk", None):
        return render(
            request, "invitations/signed_in_as_other.html", {"invitation": invitation}, status=409
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
        request.POST or None, email=invitation.email, initial={"name": invitation.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_new_account(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                link_consent=form.cleaned_data.get("link_consent", False),
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Interlude. Your account is ready.")
            return redirect("home")
    return render(
        request,
        "invitations/accept.html",
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
            "invitations/sign_in_first.html",
            {"invitation": invitation, "login_url": login_url},
        )
    form = LinkConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept_existing_client(
                invitation=invitation, user=existing, link_consent=True
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "You're linked. You each still choose what to share.")
            return redirect("partner")
    return render(
        request,
        "invitations/accept_existing.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_to_revoke(request.user, invitation_id)  # type: ignore[arg-type]
    invitation_revoke(invitation=invitation, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url in ("/clients/", "/team/", "/partner/") else "home")
