from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interlude.couples import actions
from interlude.couples.access import (
    current_membership_for,
    get_own_membership,
    open_membership_for,
    partner_of,
)
from interlude.invitations.actions import InvitationError
from interlude.practice.access import get_client_profile_for
from interlude.practice.forms import InviteForm


def _page(request: HttpRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    profile = get_client_profile_for(request.user)  # type: ignore[arg-type]
    member = current_membership_for(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "couples/partner.html",
        {
            "profile": profile,
            "member": member,
            "partner": partner_of(member) if member else None,
            "form": form,
        },
        status=status,
    )


@login_required
def partner(request: HttpRequest) -> HttpResponse:
    return _page(request, InviteForm())


@login_required
@require_POST
def partner_invite(request: HttpRequest) -> HttpResponse:
    get_client_profile_for(request.user)  # type: ignore[arg-type]
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.couple_invite_partner(
                by=request.user,  # type: ignore[arg-type]
                client=request.user,  # type: ignore[arg-type]
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except InvitationError as exc:
            if open_membership_for(request.user) is not None:  # type: ignore[arg-type]
                # The form is not on the page while a shared space is open.
                messages.error(request, str(exc))
            else:
                form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                "Invitation sent. Nothing is shared until your partner agrees, and only "
                "what each of you chooses to share.",
            )
            return redirect("partner")
    return _page(request, form, status=400)


@login_required
@require_POST
def couple_consent(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_own_membership(request.user, member_id)  # type: ignore[arg-type]
    actions.couple_consent(member=member, user=request.user)  # type: ignore[arg-type]
    messages.success(request, "You're linked. You each still choose what to share.")
    return redirect("partner")


@login_required
@require_http_methods(["GET", "POST"])
def couple_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_own_membership(request.user, member_id)  # type: ignore[arg-type]
    if request.method == "POST":
        actions.couple_leave(member=member, user=request.user)  # type: ignore[arg-type]
        messages.success(request, "The shared space has ended. Your own work stays with you.")
        return redirect("partner")
    return render(request, "couples/leave.html", {"member": member})
