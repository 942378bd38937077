"""Every URL pattern, every method it accepts, checked for every role. A pattern missing from
MATRIX fails the suite.

Roles: anonymous; bob (a client in a linked couple); carol (his partner); erin (a client of
another couple); dave (a client on his own); gina (a client whose partner is not taking part);
alice (their therapist); olive (another therapist in the same practice); mallory (a therapist of
another practice); pam (a practice admin, not a therapist).

The cast is built once for the module. Each request runs in a transaction that is rolled back,
so what one role does (deleting, leaving, withdrawing) never changes what the next one sees.
Pages that first ask a person to confirm who they are are followed through: after confirming,
the real page must answer as the matrix says.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interlude.exercises.actions import exercise_copy
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create, practice_stop
from interlude.invitations.actions import invitation_create
from interlude.invitations.models import Invitation
from interlude.journal.actions import journal_entry_create
from interlude.testing import Cast, make_cast, make_exercise, make_invitation

# Owners last: nothing a request does survives it anyway (see the module docstring).
ROLES = [
    "anonymous",
    "carol",
    "erin",
    "dave",
    "gina",
    "olive",
    "mallory",
    "pam",
    "alice",
    "bob",
]
CLIENTS = ["bob", "carol", "erin", "dave", "gina"]
THERAPISTS = ["alice", "olive", "mallory"]
PRACTITIONERS = [*THERAPISTS, "pam"]
LOGIN = "login"  # a redirect to the sign-in page


@dataclass(frozen=True)
class Reauth:
    """A redirect to confirm who you are first; once confirmed, the page answers THEN."""

    then: Any


Expect = dict[str, Any]
Kwargs = Callable[[Cast, dict[str, Any]], dict[str, Any]]


@dataclass
class Case:
    get: Expect
    post: Expect
    kwargs: Kwargs = lambda cast, ctx: {}
    data: dict[str, Any] = field(default_factory=dict)


def everyone(code: Any, anonymous: Any = LOGIN, **overrides: Any) -> Expect:
    expect = dict.fromkeys(ROLES, code)
    expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect


def only(owners: Expect, others: Any = 404, anonymous: Any = LOGIN) -> Expect:
    expect = everyone(others, anonymous=anonymous)
    expect.update(owners)
    return expect


def ok(roles: list[str], code: Any = 200) -> Expect:
    return dict.fromkeys(roles, code)


REFUSED = everyone(405)  # a method the view does not accept (after sign-in)
REFUSED_PUBLIC = everyone(405, anonymous=405)  # ... on a page open to everyone


def page(get: Expect, post: Expect = REFUSED, **kw: Any) -> Case:
    """A page that is only read (GET and HEAD)."""
    return Case(get=get, post=post, **kw)


def action(post: Expect, **kw: Any) -> Case:
    """Something that is only done (POST)."""
    return Case(get=REFUSED, post=post, **kw)


bob_id: Kwargs = lambda cast, ctx: {"client_id": cast.bob.pk}  # noqa: E731
dave_id: Kwargs = lambda cast, ctx: {"client_id": cast.dave.pk}  # noqa: E731
bob_member: Kwargs = lambda cast, ctx: {"member_id": cast.member(cast.bob).pk}  # noqa: E731
bob_entry: Kwargs = lambda cast, ctx: {"entry_id": ctx["entry"]}  # noqa: E731
couple_assignment: Kwargs = lambda cast, ctx: {"assignment_id": ctx["assignment"]}  # noqa: E731
bob_practice: Kwargs = lambda cast, ctx: {"entry_id": ctx["practice_entry"]}  # noqa: E731
builtin: Kwargs = lambda cast, ctx: {"exercise_id": ctx["builtin"]}  # noqa: E731
harbour_copy: Kwargs = lambda cast, ctx: {"exercise_id": ctx["copy"]}  # noqa: E731

EXERCISE_FORM = {
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
}

MATRIX: dict[str, Case] = {
    # --- Interlude's own pages ---
    "home": page(everyone(302, anonymous=200, **ok(CLIENTS)), post=REFUSED_PUBLIC),
    "mfa_required": page(everyone(302)),
    "caseload": page(only(ok(THERAPISTS))),
    "client_invite": Case(
        get=only(ok(THERAPISTS)),
        post=only(ok(THERAPISTS, 302)),
        data={"name": "New", "email": "new-person@example.test"},
    ),
    "client_detail": page(only({"alice": 200}), kwargs=bob_id),
    "client_partner_invite": action(
        only({"alice": 302}),
        kwargs=dave_id,
        data={"name": "Pat", "email": "pat@example.test"},
    ),
    "client_partner_not_taking_part": action(
        only({"alice": 302}), kwargs=dave_id, data={"label": "Pat"}
    ),
    "team": Case(
        get=only({"alice": 200, "mallory": 200, "pam": 200}),
        post=only({"alice": 302, "mallory": 302, "pam": 302}),
        data={"name": "Colleague", "email": "colleague@example.test"},
    ),
    "partner": page(only(ok(CLIENTS))),
    # Bob, Carol, Erin and Gina already have a partner (or a partner not taking part), so the
    # invitation form is not for them: their answer is the page with a message.
    "partner_invite": action(
        only({"dave": 302, "bob": 400, "carol": 400, "erin": 400, "gina": 400}),
        data={"name": "Sam", "email": "sam@example.test"},
    ),
    "couple_consent": action(only({"bob": 302}), kwargs=bob_member),
    "couple_leave": Case(get=only({"bob": 200}), post=only({"bob": 302}), kwargs=bob_member),
    "client_journal": page(only({"alice": 200}), kwargs=bob_id),
    "client_export": page(only({"alice": 200}), kwargs=bob_id),
    "shared_by_partner": page(only(ok(CLIENTS))),
    "journal": Case(
        get=only(ok(CLIENTS)),
        post=only(ok(CLIENTS, 302)),
        data={"body": "A few words.", "visibility": "only_me"},
    ),
    "journal_draft": action(only(ok(CLIENTS, 302)), data={"body": "Half a thought"}),
    "journal_entry_edit": Case(
        get=only({"bob": 200}),
        post=only({"bob": 302}),
        kwargs=bob_entry,
        data={"body": "Other words.", "visibility": "only_me"},
    ),
    "journal_entry_delete": action(only({"bob": 302}), kwargs=bob_entry),
    "privacy": page(only(ok(CLIENTS))),
    # Sharing can be turned on only with a linked partner; everyone else is told so.
    "consent_toggle": action(
        only(ok(CLIENTS, 302)), kwargs=lambda cast, ctx: {"kind": "partner_sharing", "turn": "on"}
    ),
    "access_history": page(only(ok(CLIENTS))),
    # Export and deletion ask everyone to confirm who they are first.
    "privacy_export": Case(
        get=everyone(Reauth(404), **ok(CLIENTS, Reauth(200))),
        post=everyone(Reauth(405)),
    ),
    "delete_account": Case(
        get=everyone(Reauth(404), **ok(CLIENTS, Reauth(200))),
        # Without typing "delete" nothing happens: the page asks again.
        post=everyone(Reauth(404), **ok(CLIENTS, Reauth(400))),
    ),
    # --- exercises (library): therapists only, the built-ins plus their practice's own ---
    "exercise_library": page(only(ok(THERAPISTS))),
    "exercise_new": Case(
        get=only(ok(THERAPISTS)), post=only(ok(THERAPISTS, 302)), data=EXERCISE_FORM
    ),
    # A copy owned by alice's practice: alice and olive may read and change it.
    "exercise_detail": page(only({"alice": 200, "olive": 200}), kwargs=harbour_copy),
    "exercise_edit": Case(
        get=only({"alice": 200, "olive": 200}),
        post=only({"alice": 302, "olive": 302}),
        kwargs=harbour_copy,
        data=EXERCISE_FORM,
    ),
    # --- homework ---
    "assign": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=bob_id,
        data={"exercise": "builtin", "who": "client", "period": "week", "steps": "One."},
    ),
    "assignment_change": Case(
        get=only({"alice": 200}),
        post=only({"alice": 302}),
        kwargs=couple_assignment,
        data={
            "status": "active",
            "period": "week",
            "steps": "One step.",
            "reason": "A small change.",
        },
    ),
    "practice": Case(
        get=only({"bob": 200, "carol": 200}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=couple_assignment,
        data={"action": "start"},
    ),
    "practice_step": Case(
        get=only({"bob": 200, "carol": 200}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=lambda cast, ctx: {"assignment_id": ctx["assignment"], "number": 1},
    ),
    "practice_stop": action(
        only({"bob": 302, "carol": 302}), kwargs=couple_assignment, data={"step": "1"}
    ),
    "practice_pause": action(
        only({"bob": 302, "carol": 302}), kwargs=couple_assignment, data={"step": "1"}
    ),
    "practice_after": Case(
        get=only({"bob": 200, "carol": 200}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=couple_assignment,
        data={"outcome": "completed", "visibility": "only_me"},
    ),
    "practice_entry_after": Case(
        get=only({"bob": 200}),
        post=only({"bob": 302}),
        kwargs=bob_practice,
        data={"visibility": "only_me"},
    ),
    "practice_undo": action(only({"bob": 302}), kwargs=bob_practice),
    # Shown only in the session that noted it (see test_practising): others are sent home.
    "practice_support": Case(get=only({"bob": 302}), post=REFUSED, kwargs=bob_practice),
    # Not a staged exercise: there is no next stage to be ready for, so both go back to it.
    "ready_for_next_stage": Case(
        get=only({"bob": 302, "carol": 302}),
        post=only({"bob": 302, "carol": 302}),
        kwargs=couple_assignment,
    ),
    "stage_not_ready": action(only({"bob": 302, "carol": 302}), kwargs=couple_assignment),
    "stage_back": action(only({"bob": 302, "carol": 302}), kwargs=couple_assignment),
    "practice_draft": action(only({"bob": 302, "carol": 302}), kwargs=couple_assignment),
    # --- invitations ---
    # A pending invitation link: public; anyone signed in is asked to sign out first.
    "invitation_accept": Case(
        get=everyone(409, anonymous=200),
        post=everyone(409, anonymous=400),
        kwargs=lambda cast, ctx: {"token": ctx["token"]},
    ),
    "invitation_revoke": action(
        only({"alice": 302}), kwargs=lambda cast, ctx: {"invitation_id": ctx["inv"]}
    ),
    # A partner invitation Dave asked for: only his therapist sends it (or not).
    "invitation_approve": action(
        only({"alice": 302}),
        kwargs=lambda cast, ctx: {"invitation_id": ctx["asked"]},
        data={"decision": "send"},
    ),
    # --- django-allauth account pages: each person only ever sees and changes their own ---
    "account_login": Case(everyone(302, anonymous=200), everyone(302, anonymous=200)),
    "account_logout": Case(everyone(200, anonymous=302), everyone(302, anonymous=302)),
    "account_inactive": Case(everyone(200, anonymous=200), REFUSED_PUBLIC),
    "account_signup": Case(everyone(302, anonymous=200), everyone(302, anonymous=200)),
    "account_reauthenticate": Case(everyone(200), everyone(200)),
    "account_email": Case(everyone(200), everyone(302)),
    # Each person's own time zone: the page and the prompt's answers, for anyone signed in.
    "account_time_zone": Case(everyone(200), everyone(302), data={"time_zone": "Pacific/Auckland"}),
    "account_email_verification_sent": Case(everyone(200, anonymous=200), REFUSED_PUBLIC),
    "account_change_password": Case(everyone(200), everyone(200)),
    "account_set_password": Case(everyone(302), everyone(302)),
    "account_reset_password": Case(everyone(200, anonymous=200), everyone(200, anonymous=200)),
    "account_confirm_login_code": Case(everyone(302, anonymous=302), everyone(302, anonymous=302)),
    "account_confirm_email": Case(
        everyone(200, anonymous=200),
        everyone(404, anonymous=404),
        kwargs=lambda cast, ctx: {"key": "not-a-real-key"},
    ),
    "account_reset_password_from_key_done": Case(everyone(200, anonymous=200), REFUSED_PUBLIC),
    "account_reset_password_from_key": Case(
        everyone(200, anonymous=200),
        everyone(200, anonymous=200),
        kwargs=lambda cast, ctx: {"uidb36": "z", "key": "bad"},
    ),
    "account_reset_password_done": Case(everyone(200, anonymous=200), REFUSED_PUBLIC),
    "mfa_index": Case(everyone(200), REFUSED),
    "mfa_authenticate": Case(everyone(302, anonymous=302), everyone(302, anonymous=302)),
    # Signing in with a passkey: for anyone not signed in; the signed-in are sent on.
    "mfa_login_webauthn": Case(everyone(302, anonymous=LOGIN), everyone(302, anonymous=LOGIN)),
    "mfa_reauthenticate": Case(
        everyone(200, **ok(CLIENTS, Reauth(302))), everyone(200, **ok(CLIENTS, Reauth(302)))
    ),
    "mfa_activate_totp": Case(
        everyone(302, **ok(CLIENTS, Reauth(200))), everyone(302, **ok(CLIENTS, Reauth(200)))
    ),
    # A practitioner's only second step cannot be turned off: the page says why (200).
    "mfa_deactivate_totp": Case(
        everyone(Reauth(200), **ok(CLIENTS, 404)), everyone(Reauth(200), **ok(CLIENTS, 404))
    ),
    "mfa_view_recovery_codes": Case(everyone(Reauth(200), **ok(CLIENTS, 404)), everyone(405)),
    "mfa_generate_recovery_codes": Case(
        everyone(Reauth(200), **ok(CLIENTS, 302)), everyone(Reauth(302), **ok(CLIENTS, 302))
    ),
    "mfa_download_recovery_codes": Case(
        everyone(Reauth(200), **ok(CLIENTS, 404)), everyone(Reauth(405), **ok(CLIENTS, 404))
    ),
    "mfa_list_webauthn": Case(everyone(200), REFUSED),
    "mfa_add_webauthn": Case(everyone(302), everyone(302)),
    "mfa_reauthenticate_webauthn": Case(everyone(302), everyone(302)),
    # Someone else's passkey: confirm who you are first, then it is not found.
    "mfa_remove_webauthn": Case(
        everyone(Reauth(404)), everyone(Reauth(404)), kwargs=lambda cast, ctx: {"pk": ctx["key"]}
    ),
    "mfa_edit_webauthn": Case(
        everyone(Reauth(404)), everyone(Reauth(404)), kwargs=lambda cast, ctx: {"pk": ctx["key"]}
    ),
    "usersessions_list": Case(everyone(200), everyone(302)),
}


def _app_matrices() -> tuple[list[Any], dict[str, Case]]:
    """Each tool's own part of the matrix, in tests/matrix/<app>.py: a MATRIX of its URLs and,
    optionally, build(cast, ctx) adding the rows its URLs point at to CTX."""
    import importlib
    import pkgutil

    from tests import matrix

    builders, cases = [], {}
    for info in sorted(pkgutil.iter_modules(matrix.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tests.matrix.{info.name}")
        clash = set(module.MATRIX) & (set(MATRIX) | set(cases))
        assert not clash, f"tests/matrix/{info.name}.py repeats {sorted(clash)}"
        cases.update(module.MATRIX)
        if hasattr(module, "build"):
            builders.append(module.build)
    return builders, cases


BUILDERS, _EXTRA = _app_matrices()
MATRIX.update(_EXTRA)


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


@dataclass
class World:
    cast: Cast
    ctx: dict[str, Any]


def build_world() -> World:
    """The cast and the rows the URLs point at."""
    cast = make_cast()
    invitation, token = make_invitation(
        kind=Invitation.Kind.CLIENT, email="newcomer@example.test", by=cast.alice
    )
    body_scan = Exercise.objects.get(practice=None, slug="body-scan")
    couple_work = assignment_create(
        therapist=cast.alice, version=make_exercise(), couple=cast.member(cast.bob).couple
    )
    ctx = {
        "token": token,
        "inv": invitation.pk,
        # Someone else's authenticator: no role may reach it through the passkey pages.
        "key": Authenticator.objects.get(user=cast.mallory, type=Authenticator.Type.TOTP).pk,
        "entry": journal_entry_create(author=cast.bob, body="only mine", visibility="therapist").pk,
        "assignment": couple_work.pk,
        # Bob stopped at step 1 a moment ago (so it can still be undone).
        "practice_entry": practice_stop(
            assignment=couple_work, client=cast.bob, step=1, submission_key=None
        ).pk,
        "asked": invitation_create(
            kind=Invitation.Kind.PARTNER,
            email="asked-for@example.test",
            practice=cast.alice.membership.practice,
            invited_by=cast.dave,
            therapist=cast.alice,
            awaiting_approval=True,
        ).pk,
        "builtin": body_scan.pk,
        "copy": exercise_copy(
            exercise=body_scan, therapist=cast.alice, title="Harbour body scan"
        ).pk,
    }
    for build in BUILDERS:
        build(cast, ctx)
    return World(cast, ctx)


def confirm_who_you_are(client: Client, user: Any) -> None:
    """As if the person had just typed their password again (allauth's own session record)."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def answer(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    """One request whose effects are rolled back."""
    with transaction.atomic():
        response = client.get(url) if method == "get" else client.post(url, data)
        transaction.set_rollback(True)
    return response


def matches(response: Any, expected: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("account_login")
        )
    return bool(response.status_code == expected)


def test_it_covers_every_url_pattern() -> None:
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"Add these URL patterns to the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - all_url_names()
    assert not stale, f"These matrix entries name no URL pattern: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_allows_only_the_right_people(name: str, world: World, db: None) -> None:
    case = MATRIX[name]
    cast, ctx = world.cast, world.ctx
    url = reverse(name, kwargs=case.kwargs(cast, ctx))
    data = {k: (str(ctx[v]) if v in ctx else v) for k, v in case.data.items()}
    problems = []
    for method, expect in (("get", case.get), ("post", case.post)):
        assert set(expect) == set(ROLES), f"{name} {method}: give an expectation for every role"
        for role in ROLES:
            client = Client()
            user = None if role == "anonymous" else getattr(cast, role)
            if user is not None:
                client.force_login(user)
            expected = expect[role]
            response = answer(client, method, url, data)
            if isinstance(expected, Reauth):
                ok_now = response.status_code == 302 and "reauthenticate" in response["Location"]
                if ok_now:
                    confirm_who_you_are(client, user)
                    response = answer(client, method, url, data)
                    ok_now = matches(response, expected.then)
            else:
                ok_now = matches(response, expected)
            if not ok_now:
                problems.append(
                    f"{method.upper()} as {role}: expected {expected}, got {response.status_code}"
                )
    assert not problems, f"{name} ({url}): " + "; ".join(problems)
