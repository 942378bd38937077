from django.conf import settings
from django.urls import include, path, register_converter
from django.urls.converters import get_converters

from interlude.accounts import views as accounts
from interlude.clinic import views as clinic
from interlude.core import views as core
from interlude.homework import views as homework
from interlude.journal import views as journal
from interlude.lib.converters import IdConverter
from interlude.onboarding import views as onboarding
from interlude.privacy import views as privacy

# Every id in a URL is a whole number the database can hold; anything else is "not found".
if "id" not in get_converters():  # the module may be loaded again (tests reset URL caches)
    register_converter(IdConverter, "id")

urlpatterns = [
    path("", core.home, name="home"),
    path("secure-your-account/", core.mfa_required, name="mfa_required"),
    # Therapists
    path("clients/", clinic.caseload, name="caseload"),
    path("clients/invite/", clinic.client_invite, name="client_invite"),
    path("clients/<id:client_id>/", clinic.client_detail, name="client_detail"),
    path("clients/<id:client_id>/progress/", clinic.client_progress, name="client_progress"),
    path(
        "clients/<id:client_id>/partner/invite/",
        clinic.client_partner_invite,
        name="client_partner_invite",
    ),
    path(
        "clients/<id:client_id>/partner/not-taking-part/",
        clinic.client_partner_not_taking_part,
        name="client_partner_not_taking_part",
    ),
    path("clients/<id:client_id>/journal/", journal.client_journal, name="client_journal"),
    path("clients/<id:client_id>/assign/", homework.assign, name="assign"),
    path(
        "assignments/<id:assignment_id>/change/",
        homework.assignment_change,
        name="assignment_change",
    ),
    path("clients/<id:client_id>/export/", privacy.client_export, name="client_export"),
    # Practice admins
    path("team/", clinic.team, name="team"),
    path("team/settings/", clinic.practice_settings, name="practice_settings"),
    # Clients
    path("partner/", onboarding.partner, name="partner"),
    path("partner/invite/", onboarding.partner_invite, name="partner_invite"),
    path("partner/<id:member_id>/agree/", onboarding.couple_consent, name="couple_consent"),
    path("partner/<id:member_id>/leave/", onboarding.couple_leave, name="couple_leave"),
    path("partner/shared/", core.shared_by_partner, name="shared_by_partner"),
    # Practising: before, the steps one at a time, afterwards; stop, pause, undo; stages.
    path("practice/<id:assignment_id>/", homework.practice, name="practice"),
    path(
        "practice/<id:assignment_id>/step/<id:number>/",
        homework.practice_step,
        name="practice_step",
    ),
    path("practice/<id:assignment_id>/stop/", homework.practice_stop, name="practice_stop"),
    path("practice/<id:assignment_id>/pause/", homework.practice_pause, name="practice_pause"),
    path("practice/<id:assignment_id>/after/", homework.practice_after, name="practice_after"),
    path("practice/<id:assignment_id>/draft/", homework.practice_draft, name="practice_draft"),
    path(
        "practice/<id:assignment_id>/ready/",
        homework.ready_for_next_stage,
        name="ready_for_next_stage",
    ),
    path(
        "practice/<id:assignment_id>/not-ready/", homework.stage_not_ready, name="stage_not_ready"
    ),
    path("practice/<id:assignment_id>/back/", homework.stage_back, name="stage_back"),
    path(
        "practice/noted/<id:entry_id>/after/",
        homework.practice_entry_after,
        name="practice_entry_after",
    ),
    path("practice/noted/<id:entry_id>/undo/", homework.practice_undo, name="practice_undo"),
    path(
        "practice/noted/<id:entry_id>/support/",
        homework.practice_support,
        name="practice_support",
    ),
    path("journal/", journal.journal, name="journal"),
    path("journal/draft/", journal.journal_draft, name="journal_draft"),
    path("journal/<id:entry_id>/edit/", journal.entry_edit, name="journal_entry_edit"),
    path("journal/<id:entry_id>/delete/", journal.entry_delete, name="journal_entry_delete"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("privacy/consents/<str:kind>/<str:turn>/", privacy.consent_toggle, name="consent_toggle"),
    path("privacy/history/", privacy.access_history, name="access_history"),
    path("privacy/export/", privacy.export, name="privacy_export"),
    path("privacy/delete/", privacy.delete_account, name="delete_account"),
    # Invitations
    path("invite/<str:token>/", onboarding.accept, name="invitation_accept"),
    path("invitations/<id:invitation_id>/withdraw/", onboarding.revoke, name="invitation_revoke"),
    path(
        "invitations/<id:invitation_id>/approve/",
        onboarding.invitation_approve,
        name="invitation_approve",
    ),
    path("library/", include("interlude.exercises.urls")),
    path("accounts/time-zone/", accounts.time_zone, name="account_time_zone"),
    path("", include("interlude.reminders.urls")),
    path("", include("interlude.guides.urls")),
    path("", include("interlude.fantasy.urls")),
    path("", include("interlude.ladder.urls")),
    path("", include("interlude.desire.urls")),
    path("", include("interlude.coach.urls")),
    path("", include("interlude.checkins.urls")),
    path("", include("interlude.consultations.urls")),
    path("", include("interlude.measures.urls")),
    # Accounts: sign-in, e-mail, password, two-step sign-in, sessions (django-allauth)
    path("accounts/", include("allauth.urls")),
]

if settings.INTERLUDE_BENCH:
    # Only in benchmark mode: the trivial page `make bench` measures every page against.
    from bench.views import floor

    urlpatterns += [path("bench/floor/", floor, name="bench_floor")]
