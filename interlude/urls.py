from django.urls import include, path

from interlude.core import views as core
from interlude.couples import views as couples
from interlude.invitations import views as invitations
from interlude.practice import views as practice

urlpatterns = [
    path("", core.home, name="home"),
    path("secure-your-account/", core.mfa_required, name="mfa_required"),
    # Therapists
    path("clients/", practice.caseload, name="caseload"),
    path("clients/invite/", practice.client_invite, name="client_invite"),
    path("clients/<int:client_id>/", practice.client_detail, name="client_detail"),
    path(
        "clients/<int:client_id>/partner/invite/",
        practice.client_partner_invite,
        name="client_partner_invite",
    ),
    path(
        "clients/<int:client_id>/partner/not-taking-part/",
        practice.client_partner_not_taking_part,
        name="client_partner_not_taking_part",
    ),
    # Practice admins
    path("practice/", practice.team, name="team"),
    # Clients
    path("partner/", couples.partner, name="partner"),
    path("partner/invite/", couples.partner_invite, name="partner_invite"),
    path("partner/<int:member_id>/agree/", couples.couple_consent, name="couple_consent"),
    path("partner/<int:member_id>/leave/", couples.couple_leave, name="couple_leave"),
    # Invitations
    path("invite/<str:token>/", invitations.accept, name="invitation_accept"),
    path("invitations/<int:invitation_id>/withdraw/", invitations.revoke, name="invitation_revoke"),
    # Accounts: sign-in, e-mail, password, two-step sign-in, sessions (django-allauth)
    path("accounts/", include("allauth.urls")),
]
