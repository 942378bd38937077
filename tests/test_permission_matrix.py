"""Every URL pattern, checked for every role. A pattern missing from MATRIX fails the suite.

Roles: anonymous; bob (the client); carol (his partner); erin (a client of another couple);
alice (their therapist); olive (another therapist in the same practice); mallory (a therapist of
another practice); pam (a practice admin, not a therapist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interlude.exercises.actions import exercise_copy
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.invitations.models import Invitation
from interlude.journal.actions import journal_entry_create
from interlude.testing import Cast, make_exercise, make_invitation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "carol", "erin", "olive", "mallory", "pam", "alice", "bob"]
LOGIN = "login"  # a redirect to the sign-in page
REAUTH = "reauth"  # a redirect to confirm the password (or code) again first


@dataclass
class Case:
    expect: dict[str, Any]
    method: str = "get"
    kwargs: Callable[[Cast, dict[str, Any]], dict[str, Any]] = lambda cast, ctx: {}
    data: dict[str, str] = field(default_factory=dict)


def everyone(code: Any, anonymous: Any = LOGIN, **overrides: Any) -> dict[str, Any]:
    expect = dict.fromkeys(ROLES, code)
    expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect


def only(owner_codes: dict[str, Any], others: Any = 404, anonymous: Any = LOGIN) -> dict[str, Any]:
    expect = everyone(others, anonymous=anonymous)
    expect.update(owner_codes)
    return expect


CLIENTS_OK = {"bob": 200, "carol": 200, "erin": 200}
THERAPISTS_OK = {"alice": 200, "olive": 200, "mallory": 200}
bob_id = lambda cast, ctx: {"client_id": cast.bob.pk}  # noqa: E731
dave_id = lambda cast, ctx: {"client_id": cast.dave.pk}  # noqa: E731
bob_member = lambda cast, ctx: {"member_id": cast.member(cast.bob).pk}  # noqa: E731
bob_entry = lambda cast, ctx: {"entry_id": ctx["entry"]}  # noqa: E731
couple_assignment = lambda cast, ctx: {"assignment_id": ctx["assignment"]}  # noqa: E731

MATRIX: dict[str, Case] = {
    # Interlude's own pages
    "home": Case(everyone(302, anonymous=200, bob=200, carol=200, erin=200)),
    "mfa_required": Case(everyone(302)),
    "caseload": Case(only(THERAPISTS_OK)),
    "client_invite": Case(only(THERAPISTS_OK)),
    "client_detail": Case(only({"alice": 200}), kwargs=bob_id),
    "client_partner_invite": Case(only({"alice": 400}), method="post", kwargs=dave_id),
    "client_partner_not_taking_part": Case(
        only({"alice": 302}), method="post", kwargs=dave_id, data={"label": "Pat"}
    ),
    "team": Case(only({"alice": 200, "mallory": 200, "pam": 200})),
    "partner": Case(only(CLIENTS_OK)),
    "partner_invite": Case(only({"bob": 400, "carol": 400, "erin": 400}), method="post"),
    "couple_consent": Case(only({"bob": 302}), method="post", kwargs=bob_member),
    "couple_leave": Case(only({"bob": 200}), kwargs=bob_member),
    "client_journal": Case(only({"alice": 200}), kwargs=bob_id),
    "client_export": Case(only({"alice": 200}), kwargs=bob_id),
    "shared_by_partner": Case(only(CLIENTS_OK)),
    "journal": Case(only(CLIENTS_OK)),
    "journal_entry_edit": Case(only({"bob": 200}), kwargs=bob_entry),
    "journal_entry_delete": Case(only({"bob": 302}), method="post", kwargs=bob_entry),
    "privacy": Case(only(CLIENTS_OK)),
    "consent_toggle": Case(
        only({"bob": 302, "carol": 302, "erin": 302}),
        method="post",
        kwargs=lambda cast, ctx: {"kind": "partner_sharing", "turn": "on"},
    ),
    "access_history": Case(only(CLIENTS_OK)),
    # Export and deletion ask everyone to confirm who they are first.
    "privacy_export": Case(everyone(REAUTH)),
    "delete_account": Case(everyone(REAUTH)),
    # --- exercises (library) ---
    # Therapists only (never a practice admin alone, nor a client): the built-in exercises plus
    # their own practice's.
    "exercise_library": Case(only(THERAPISTS_OK)),
    "exercise_new": Case(only(THERAPISTS_OK)),
    # A built-in exercise: every therapist may copy it into their own practice.
    "exercise_copy": Case(
        only({"alice": 302, "olive": 302, "mallory": 302}),
        method="post",
        kwargs=lambda cast, ctx: {
            "exercise_id": Exercise.objects.get(practice=None, slug="body-scan").pk
        },
    ),
    # A copy owned by alice's practice: alice and olive may read it; mallory gets "not found".
    "exercise_detail": Case(
        only({"alice": 200, "olive": 200}),
        kwargs=lambda cast, ctx: {
            "exercise_id": exercise_copy(
                exercise=Exercise.objects.get(practice=None, slug="body-scan"),
                therapist=cast.alice,
                title="Harbour body scan",
            ).pk
        },
    ),
    # Valid changes to that copy: saved (a new version) for alice and olive only.
    "exercise_edit": Case(
        only({"alice": 302, "olive": 302}),
        method="post",
        kwargs=lambda cast, ctx: {
            "exercise_id": exercise_copy(
                exercise=Exercise.objects.get(practice=None, slug="body-scan"),
                therapist=cast.alice,
                title="Harbour body scan",
            ).pk
        },
        data={
            "title": "Harbour body scan",
            "summary": "A slow scan from feet to head, noticing without changing anything.",
            "family": "mindfulness",
            "suits": "either",
            "intensity": "gentle",
            "duration_minutes": "15",
            "what_it_is": "A gentle way to notice your body.",
            "before_you_start": "Find a quiet, warm place.",
            "steps": "Lie down.\nNotice your feet.\nMove your attention slowly upwards.",
            "if_you_want_to_stop": "Open your eyes and stop whenever you like. That is fine.",
            "afterwards": "Notice how you feel now.",
            "why_it_helps": "Attention to sensation eases worry.",
            "safety_notes": "If memories come up, stop and talk with your therapist.",
            "ratings_before": "calm",
            "ratings_after": "calm",
            "reflection_prompts": "What did you notice?",
        },
    ),
    # --- homework ---
    "assign": Case(only({"alice": 200}), kwargs=bob_id),
    "assignment_change": Case(only({"alice": 200}), kwargs=couple_assignment),
    "practice": Case(only({"bob": 200, "carol": 200}), kwargs=couple_assignment),
    "ready_for_next_stage": Case(
        only({"bob": 302, "carol": 302}), method="post", kwargs=couple_assignment
    ),
    "practice_draft": Case(
        only({"bob": 302, "carol": 302}), method="post", kwargs=couple_assignment
    ),
    # A pending invitation link: public; anyone signed in is asked to sign out first.
    "invitation_accept": Case(
        everyone(409, anonymous=200), kwargs=lambda cast, ctx: {"token": ctx["token"]}
    ),
    "invitation_revoke": Case(
        only({"alice": 302}), method="post", kwargs=lambda cast, ctx: {"invitation_id": ctx["inv"]}
    ),
    # django-allauth account pages: each person only ever sees and changes their own account.
    "account_login": Case(everyone(302, anonymous=200)),
    "account_logout": Case(everyone(200, anonymous=302)),
    "account_inactive": Case(everyone(200, anonymous=200)),
    "account_signup": Case(everyone(302, anonymous=200)),
    "account_reauthenticate": Case(everyone(200)),
    "account_email": Case(everyone(200)),
    "account_email_verification_sent": Case(everyone(200, anonymous=200)),
    "account_change_password": Case(everyone(200)),
    "account_set_password": Case(everyone(302)),
    "account_reset_password": Case(everyone(200, anonymous=200)),
    "account_confirm_login_code": Case(everyone(302, anonymous=302)),
    "account_confirm_email": Case(
        everyone(200, anonymous=200), kwargs=lambda cast, ctx: {"key": "not-a-real-key"}
    ),
    "account_reset_password_from_key_done": Case(everyone(200, anonymous=200)),
    "account_reset_password_from_key": Case(
        everyone(200, anonymous=200), kwargs=lambda cast, ctx: {"uidb36": "z", "key": "bad"}
    ),
    "account_reset_password_done": Case(everyone(200, anonymous=200)),
    "mfa_index": Case(everyone(200)),
    "mfa_authenticate": Case(everyone(302, anonymous=302)),
    "mfa_reauthenticate": Case(everyone(200, bob=REAUTH, carol=REAUTH, erin=REAUTH)),
    "mfa_activate_totp": Case(everyone(302, bob=REAUTH, carol=REAUTH, erin=REAUTH)),
    "mfa_deactivate_totp": Case(everyone(REAUTH, bob=404, carol=404, erin=404)),
    "mfa_view_recovery_codes": Case(everyone(REAUTH, bob=404, carol=404, erin=404)),
    "mfa_generate_recovery_codes": Case(everyone(REAUTH, bob=302, carol=302, erin=302)),
    "mfa_download_recovery_codes": Case(everyone(REAUTH, bob=404, carol=404, erin=404)),
    "mfa_list_webauthn": Case(everyone(200)),
    "mfa_add_webauthn": Case(everyone(302, bob=302, carol=302, erin=302)),
    "mfa_reauthenticate_webauthn": Case(everyone(302)),
    # Someone else's passkey: confirm who you are first, then it is not found.
    "mfa_remove_webauthn": Case(everyone(REAUTH), kwargs=lambda cast, ctx: {"pk": ctx["key"]}),
    "mfa_edit_webauthn": Case(everyone(REAUTH), kwargs=lambda cast, ctx: {"pk": ctx["key"]}),
    "usersessions_list": Case(everyone(200)),
}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} needs a name for the matrix"
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_it_covers_every_url_pattern():
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"Add these URL patterns to the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - all_url_names()
    assert not stale, f"These matrix entries name no URL pattern: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_allows_only_the_right_people(name, client, cast):
    from allauth.mfa.models import Authenticator

    case = MATRIX[name]
    assert set(case.expect) == set(ROLES), f"{name}: give an expectation for every role"
    invitation, token = make_invitation(
        kind=Invitation.Kind.CLIENT, email="newcomer@example.test", by=cast.alice
    )
    # Someone else's authenticator: no role may reach it through the passkey pages.
    key = Authenticator.objects.get(user=cast.mallory, type=Authenticator.Type.TOTP)
    entry = journal_entry_create(author=cast.bob, body="only mine", visibility="therapist")
    assignment = assignment_create(
        therapist=cast.alice, version=make_exercise(), couple=cast.member(cast.bob).couple
    )
    ctx = {
        "token": token,
        "inv": invitation.pk,
        "key": key.pk,
        "entry": entry.pk,
        "assignment": assignment.pk,
    }
    url = reverse(name, kwargs=case.kwargs(cast, ctx))
    problems = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        response = getattr(client, case.method)(url, case.data)
        expected = case.expect[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            )
        elif expected == REAUTH:
            ok = response.status_code == 302 and "reauthenticate" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            problems.append(f"{role}: expected {expected}, got {response.status_code}")
    assert not problems, f"{name} ({url}): " + "; ".join(problems)
