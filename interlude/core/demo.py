"""Demo data, built through the real actions. Idempotent: existing people are left as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.exercises.models import Exercise, ExerciseVersion
from interlude.homework.actions import assignment_create, practice_entry_record
from interlude.homework.models import Assignment
from interlude.invitations.actions import invitation_create
from interlude.onboarding.actions import (
    invitation_accept_new_account,
    partner_invite,
    partner_not_taking_part,
)
from interlude.practice.actions import practice_create_for_therapist, practice_crisis_details_set
from interlude.reminders.demo import remind_soon

DEMO_PASSWORD = "quiet-harbour-2026"
THERAPIST_EMAIL = "alex@demo.interlude.test"


@dataclass
class DemoSummary:
    therapist_email: str
    totp_secret: str
    recovery_codes: list[str]
    clients: list[tuple[str, str]]
    reminder: str = ""


def _accept(kind: str, email: str, name: str, invited_by: User, **extra: object) -> User:
    existing = User.objects.filter(email=email).first()
    if existing:
        return existing
    invitation = invitation_create(
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
        practice = practice_create_for_therapist(therapist=therapist, name="Riverside Practice")
        # The demo's people are in the UK: the urgent-help lines a UK practice would set.
        practice_crisis_details_set(
            practice=practice,
            by=therapist,
            emergency_number="999",
            crisis_line="Samaritans: call 116 123, any time",
            abuse_helpline="National Domestic Abuse Helpline: call 0808 2000 247, any time",
        )
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
        couple = partner_invite(by=sam, client=sam, email="riley@demo.interlude.test", name="Riley")
        _accept("partner", "riley@demo.interlude.test", "Riley", therapist, couple=couple)
    casey = _accept("client", "casey@demo.interlude.test", "Casey", therapist)
    if not casey.couple_memberships.exists():
        partner_not_taking_part(by=therapist, client=casey, label="Morgan")
    _demo_homework(therapist, jordan=jordan, sam=sam, casey=casey)
    # A reminder a minute or two from now, so the demo shows one arriving (by e-mail, in the
    # worker's log).
    reminder = remind_soon(jordan)
    _demo_sessions(
        therapist, jordan=jordan, sam=sam, riley=User.objects.get(email="riley@demo.interlude.test")
    )
    return DemoSummary(
        reminder=reminder,
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


def _latest(slug: str) -> ExerciseVersion | None:
    exercise = Exercise.objects.filter(slug=slug, practice__isnull=True).first()
    return exercise.versions.order_by("-version").first() if exercise else None


def _demo_homework(therapist: User, *, jordan: User, sam: User, casey: User) -> None:
    """Assignments and a few weeks of practice, so the pages are not empty. Only once."""
    if Assignment.objects.filter(therapist=therapist).exists():
        return
    now = timezone.now()
    breath, scan = _latest("paced-breathing"), _latest("body-scan")
    stage1, solo = _latest("sensate-focus-stage-1"), _latest("solo-sensate-focus-stage-1")
    i_statements = _latest("i-statement-practice")
    if not all((breath, scan, stage1, solo, i_statements)):
        return
    assert breath and scan and stage1 and solo and i_statements
    jordan_breath = assignment_create(
        therapist=therapist,
        version=breath,
        client=jordan,
        note="A few minutes most days is plenty. Notice, don't judge.",
        times=4,
    )
    assignment_create(therapist=therapist, version=scan, client=jordan, times=2)
    history = [
        (
            20,
            "completed",
            {"anxiety": 6, "calm": 3},
            {"anxiety": 4, "calm": 5},
            [],
            "Harder to slow down than I expected.",
        ),
        (16, "completed", {"anxiety": 5, "calm": 4}, {"anxiety": 3, "calm": 6}, [], ""),
        (11, "not_this_time", {}, {}, ["no_privacy"], ""),
        (
            6,
            "completed",
            {"anxiety": 4, "calm": 4},
            {"anxiety": 2, "calm": 7},
            [],
            "Counting helped. My shoulders dropped.",
        ),
        (2, "stopped", {"anxiety": 5}, {}, ["not_right_time"], ""),
    ]
    for days, outcome, before, after, reasons, reflection in history:
        practice_entry_record(
            assignment=jordan_breath,
            client=jordan,
            outcome=outcome,
            ratings_before=before,
            ratings_after=after,
            reasons=reasons,
            reflection=reflection,
            visibility="therapist",
            practised_at=now - timedelta(days=days),
        )
    couple = sam.couple_memberships.get(couple__ended_at__isnull=True).couple
    sensate = assignment_create(
        therapist=therapist,
        version=stage1,
        couple=couple,
        note="Take turns, and keep it light. Either of you can say no to an invitation.",
        times=2,
    )
    assignment_create(therapist=therapist, version=i_statements, couple=couple, times=3)
    practice_entry_record(
        assignment=sensate,
        client=sam,
        outcome="stopped",
        ratings_before={"anxiety": 7, "comfort": 3},
        reasons=["too_much"],
        wants_to_talk=True,
        reflection="I kept worrying about whether I was doing it right.",
        visibility="therapist",
        practised_at=now - timedelta(days=3),
        stopped_at_step=3,
    )
    casey_couple = casey.couple_memberships.get(couple__ended_at__isnull=True).couple
    assignment_create(
        therapist=therapist,
        version=solo,
        couple=casey_couple,
        note="This one is just for you, at your own pace.",
        times=2,
    )


def _demo_sessions(therapist: User, *, jordan: User, sam: User, riley: User) -> None:
    """Sessions (held a week ago and two weeks before, the next planned), a private note, and
    Jordan's GAD-7 answered twice. Only once."""
    from interlude.consultations.actions import (
        clinical_note_save,
        consultation_plan,
        consultation_record,
    )
    from interlude.consultations.models import Consultation
    from interlude.measures.actions import measure_assign, measure_respond
    from interlude.measures.models import MeasureResponse

    if Consultation.objects.filter(therapist=therapist).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for weeks in (3, 1):
        held = consultation_record(
            therapist=therapist,
            clients=[jordan],
            at=now - timedelta(weeks=weeks, hours=2),
            mode=Consultation.Mode.IN_PERSON if weeks == 3 else Consultation.Mode.ONLINE,
        )
    clinical_note_save(
        therapist=therapist,
        consultation=held,
        profile=jordan.client_profile,
        body="Breathing practice settling in; evenings are hard for privacy. Try a morning slot?",
    )
    consultation_plan(
        therapist=therapist,
        clients=[jordan],
        at=now + timedelta(days=6, hours=3),
        mode=Consultation.Mode.ONLINE,
    )
    couple = sam.couple_memberships.get(couple__ended_at__isnull=True).couple
    consultation_record(
        therapist=therapist,
        clients=[sam, riley],
        couple=couple,
        at=now - timedelta(days=10),
        mode=Consultation.Mode.IN_PERSON,
    )
    consultation_plan(
        therapist=therapist,
        clients=[sam, riley],
        couple=couple,
        at=now + timedelta(days=4),
        mode=Consultation.Mode.IN_PERSON,
    )
    gad7 = measure_assign(
        therapist=therapist, client=jordan, instrument_key="gad7", every_weeks=2, share_scores=True
    )
    for days, answers in ((18, [2, 2, 1, 2, 1, 1, 1]), (4, [1, 1, 1, 1, 0, 1, 1])):
        response = measure_respond(assignment=gad7, client=jordan, answers=answers)
        MeasureResponse.objects.filter(pk=response.pk).update(
            completed_at=now - timedelta(days=days)
        )
