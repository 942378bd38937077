"""Demo data, built through the real actions. Idempotent: existing people are left as they are."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction

from interlude.accounts.models import User
from interlude.couples.actions import couple_add_partner_not_taking_part, couple_invite_partner
from interlude.invitations.actions import invitation_accept_new_account, invitation_create
from interlude.practice.actions import practice_create_for_therapist

DEMO_PASSWORD = "quiet-harbour-2026"
THERAPIST_EMAIL = "alex@demo.interlude.test"


@dataclass
class DemoSummary:
    therapist_email: str
    totp_secret: str
    recovery_codes: list[str]
    clients: list[tuple[str, str]]


def _accept(kind: str, email: str, name: str, invited_by: User, **extra: object) -> User:
    existing = User.objects.filter(email=email).first()
    if existing:
        return existing
    invitation, _ = invitation_create(
        kind=kind,
        email=email,
        name=name,
        practice=invited_by.membership.practice,
        invited_by=invited_by,
        therapist=invited_by,
        **extra,  # type: ignore[arg-type]
    )
    return invitation_accept_new_account(
        invitation=invitation, name=name, password=DEMO_PASSWORD, link_consent=True
    )


@transaction.atomic
def load_demo() -> DemoSummary:
    therapist = User.objects.filter(email=THERAPIST_EMAIL).first()
    if therapist is None:
        therapist = User.objects.create_user(
            email=THERAPIST_EMAIL, password=DEMO_PASSWORD, name="Alex Morgan"
        )
        EmailAddress.objects.create(
            user=therapist, email=therapist.email, verified=True, primary=True
        )
        practice_create_for_therapist(therapist=therapist, name="Riverside Practice")
    totp = Authenticator.objects.filter(user=therapist, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(therapist, generate_totp_secret()).instance
    codes = Authenticator.objects.filter(
        user=therapist, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if codes is None:
        codes = RecoveryCodes.activate(therapist).instance
    secret = decrypt(totp.data["secret"])

    jordan = _accept("client", "jordan@demo.interlude.test", "Jordan", therapist)
    sam = _accept("client", "sam@demo.interlude.test", "Sam", therapist)
    if not User.objects.filter(email="riley@demo.interlude.test").exists():
        couple = couple_invite_partner(
            by=sam, client=sam, email="riley@demo.interlude.test", name="Riley"
        )
        _accept("partner", "riley@demo.interlude.test", "Riley", therapist, couple=couple)
    casey = _accept("client", "casey@demo.interlude.test", "Casey", therapist)
    if not casey.couple_memberships.exists():
        couple_add_partner_not_taking_part(by=therapist, client=casey, label="Morgan")
    _ = jordan
    return DemoSummary(
        therapist_email=THERAPIST_EMAIL,
        totp_secret=secret,
        recovery_codes=RecoveryCodes(codes).get_unused_codes()[:3],
        clients=[
            ("jordan@demo.interlude.test", "individual client"),
            ("sam@demo.interlude.test", "couple case, linked with Riley"),
            ("riley@demo.interlude.test", "couple case, linked with Sam"),
            ("casey@demo.interlude.test", "couple case; partner Morgan is not taking part"),
        ],
    )
