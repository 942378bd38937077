"""The shared cast for tests, built through the real actions.

Practice "Harbour": alice (therapist and admin), olive (therapist), pam (practice admin only).
Alice's clients: bob and carol (a linked couple), dave (individual), erin and frank (another
linked couple), gina (couple case; her partner is not taking part).
Practice "Elsewhere": mallory (therapist and admin).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test.utils import override_settings

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.exercises.models import Exercise, ExerciseVersion
from interlude.invitations.actions import invitation_approve, invitation_create
from interlude.invitations.models import Invitation
from interlude.invitations.tokens import link_token_for
from interlude.onboarding.actions import (
    invitation_accept_new_account,
    partner_invite,
    partner_not_taking_part,
)
from interlude.practice.actions import membership_add, practice_create_for_therapist
from interlude.practice.models import Practice

PASSWORD = "a calm test passphrase"


def make_exercise(
    slug: str = "test-touch-exercise",
    *,
    title: str = "Sensate focus, stage 1",
    suits: str = "couple",
    programme: str = "",
    stage: int | None = None,
    steps: list[str] | None = None,
) -> ExerciseVersion:
    """A built-in exercise with one version (the real library is loaded by a migration; this
    gives tests a small, known one)."""
    exercise = Exercise.objects.create(
        slug=slug, family="sensate_focus", suits=suits, intensity="gentle", title=title
    )
    return ExerciseVersion.objects.create(
        exercise=exercise,
        version=1,
        title=title,
        summary="Touch for your own curiosity, with no goal.",
        family="sensate_focus",
        suits=suits,
        intensity="gentle",
        duration_minutes=30,
        programme=programme,
        stage=stage,
        what_it_is="What it is.",
        before_you_start="Before you start.",
        steps=steps or ["Find a warm, private room.", "Take turns touching.", "Talk afterwards."],
        if_you_want_to_stop="Stopping is always fine.",
        afterwards="Afterwards.",
        why_it_helps="Why it helps.",
        safety_notes="Safety notes.",
        ratings_before=["anxiety", "comfort"],
        ratings_after=["anxiety", "comfort", "connection"],
        reflection_prompts=["What did you notice about temperature?"],
    )


def make_therapist(
    email: str, *, name: str = "", practice: Practice | None = None, mfa: bool = True
) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, name=name, kind=User.Kind.THERAPIST
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if practice is None:
        practice_create_for_therapist(therapist=user, name=f"{name or email} practice")
    else:
        membership_add(practice=practice, user=user)
    if mfa:
        enrol_mfa(user)
    return user


def make_practice_admin(email: str, *, practice: Practice, name: str = "") -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, name=name, kind=User.Kind.PRACTICE_ADMIN
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    membership_add(practice=practice, user=user, is_therapist=False, is_admin=True)
    enrol_mfa(user)
    return user


def enrol_mfa(user: User) -> str:
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def make_invitation(
    *, kind: str, email: str, by: User, name: str = "", couple: object = None
) -> tuple[Invitation, str]:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        invitation = invitation_create(
            kind=kind,
            email=email,
            name=name,
            practice=by.membership.practice,
            invited_by=by,
            therapist=by if kind != Invitation.Kind.THERAPIST else None,
            couple=couple,  # type: ignore[arg-type]
        )
    return invitation, link_token_for(invitation)


def make_client(email: str, *, therapist: User, name: str = "") -> User:
    invitation, _ = make_invitation(kind=Invitation.Kind.CLIENT, email=email, by=therapist)
    return invitation_accept_new_account(
        invitation=invitation, name=name or email.split("@")[0].title(), password=PASSWORD
    )


def make_couple(first: User, partner_email: str, *, name: str = "") -> User:
    """FIRST invites a partner, their therapist sends the invitation, and the partner accepts
    with consent: a linked couple case."""
    couple = partner_invite(by=first, client=first, email=partner_email, name=name)
    invitation = Invitation.objects.get(couple=couple, accepted_at__isnull=True)
    if invitation.awaiting_approval:
        invitation = invitation_approve(invitation=invitation, by=couple.therapist)
    return invitation_accept_new_account(
        invitation=invitation,
        name=name or partner_email.split("@")[0].title(),
        password=PASSWORD,
        link_consent=True,
    )


def share_with_partner(user: User) -> None:
    """USER turns on sharing with the partner of their current link (as on the Privacy page)."""
    from django.conf import settings

    from interlude.sharing.actions import sharing_turn_on
    from interlude.sharing.person import Person

    consent = sharing_turn_on(person=Person(user), version=settings.PARTNER_SHARING_CONSENT_VERSION)
    assert consent is not None, f"{user} has no linked partner to share with"


@dataclass
class Cast:
    alice: User
    olive: User
    pam: User
    mallory: User
    bob: User
    carol: User
    dave: User
    erin: User
    frank: User
    gina: User

    def member(self, user: User) -> CoupleMember:
        return CoupleMember.objects.get(client=user, couple__ended_at__isnull=True)


def make_cast() -> Cast:
    alice = make_therapist("alice@example.test", name="Alice")
    practice = alice.membership.practice
    olive = make_therapist("olive@example.test", name="Olive", practice=practice)
    pam = make_practice_admin("pam@example.test", practice=practice, name="Pam")
    mallory = make_therapist("mallory@example.test", name="Mallory")
    bob = make_client("bob@example.test", therapist=alice, name="Bob")
    carol = make_couple(bob, "carol@example.test", name="Carol")
    dave = make_client("dave@example.test", therapist=alice, name="Dave")
    erin = make_client("erin@example.test", therapist=alice, name="Erin")
    frank = make_couple(erin, "frank@example.test", name="Frank")
    gina = make_client("gina@example.test", therapist=alice, name="Gina")
    partner_not_taking_part(by=alice, client=gina, label="Hal")
    return Cast(alice, olive, pam, mallory, bob, carol, dave, erin, frank, gina)
