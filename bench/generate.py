"""A synthetic practice at scale, for `make bench`: reproducible from a seed, and fast.

Scale 1.0 is 20 therapists in two practices, 6,000 clients (a third of them in couple cases,
some with a partner who is not taking part) and two years of assignments and practice entries:
about a million entries, with reflections of realistic length encrypted by the real
EncryptedTextField (bulk_create calls the field's pre_save). Scale multiplies the size of the
practice (therapists and clients), not the length of each client's history: each therapist
keeps about 300 clients at every scale, as a practice grows by adding therapists.

Time is simulated in fortnights (a therapy session's rhythm), every client in each fortnight,
and rows are inserted in time order, so one client's entries are spread through the table as
they would be in a real database. Each fortnight is one transaction.

Each fortnight also has its therapy session (held at the window's start, a couple's with both
partners), a private note on most, and for about a third of clients a GAD-7 or PHQ-9 every two
weeks, with its answers encrypted; the next session is planned at the end. These come from a
random stream of their own, so the homework is the same as without them.

Shortcuts a real sign-up does not take, because they would cost minutes and change nothing the
pages read: one password hash for everyone, no invitations, and no audit events for sign-up.
"""

# Seeded pseudo-random numbers on purpose: the same seed makes the same practice.
# ruff: noqa: S311

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.models import AuditEvent
from interlude.consents.models import Consent
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.encryption.fields import EncryptedTextField
from interlude.exercises.models import RATINGS, ExerciseVersion
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.measures.instruments import GAD7, PHQ9
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert
from interlude.practice.models import ClientProfile, Membership, Practice
from interlude.sharing.visibility import PARTNER_CAN_READ, Visibility

EMAIL_DOMAIN = "bench.interlude.test"
PASSWORD = "bench-practice-passphrase"
DAYS = 730
WINDOW_DAYS = 14
THERAPISTS = 20
CLIENTS = 6000
# A client practises on about three days a week; with clients joining evenly over the first
# 22 months this gives ~165 entries per client, ~1 million at scale 1.0.
PRACTISE_PER_DAY = 0.46
MAX_ACTIVE = 3
BATCH = 1000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Alex Ash Bea Cam Dana Eli Emery Fin Gale Harper Indy Jai Jules Kai Kit Lee Lou Mal Max Mika "
    "Nico Noor Oak Pat Quinn Rae Remy Ren River Robin Rowan Sage Sam Shay Sky Tal Toby Val Wren "
    "Yael Zan Ari Bo Cas Dev Eden Ez Hal Io Jo Kes Lark Mo Nat Oli Pip Reed Shiloh Teo"
)
LAST_NAMES = _words(
    "Ahmed Baker Chen Davies Evans Fischer Garcia Hughes Iqbal Jones Khan Lewis Morgan Nowak "
    "Okafor Patel Quinn Rossi Singh Taylor Usman Varga Walsh Xu Young Zielinski"
)
SENTENCES = (
    "It was harder to slow down than I expected.",
    "Counting the breaths helped, and my shoulders dropped a little.",
    "I noticed I was rushing again, so I stopped and started over.",
    "We laughed at the start, which made it easier.",
    "I felt self-conscious for the first few minutes, then it eased.",
    "The room was too cold, next time I'll bring a blanket.",
    "I kept worrying about whether I was doing it right.",
    "It felt good to just notice temperature and texture without a goal.",
    "I got distracted by work thoughts, but came back to my hands.",
    "My partner said it helped to hear that I could say no at any time.",
    "I stopped when the anxiety went up, and that felt like the right choice.",
    "This time I could stay with the sensation a bit longer.",
    "I wasn't in the mood at first, but it turned into a quiet, nice moment.",
    "Talking afterwards was the best part.",
    "I'd like to talk about this step in our next session.",
    "I noticed tension in my jaw and let it go.",
    "We were both tired, so we kept it short.",
    "It felt awkward to ask for what I wanted, but I did it.",
    "I felt more present in my body than last week.",
    "Nothing much happened, and that was fine.",
)
NOTES = (
    "A few minutes most days is plenty. Notice, don't judge.",
    "Take turns, and keep it light. Either of you can say no to an invitation.",
    "This one is just for you, at your own pace.",
    "Go as slowly as you like; stopping is part of the practice.",
    "Try it when you have privacy and some time without interruptions.",
    "Let's talk about how it went next time, whatever happened.",
)
REASONS = tuple(PracticeEntry.Reason.values)
VISIBILITIES = (Visibility.THERAPIST,) * 6 + (Visibility.ONLY_ME,) * 3
SHARED_VISIBILITIES = (*VISIBILITIES, Visibility.BOTH, Visibility.PARTNER)
NOTE_SENTENCES = (
    "Talked through the week's practice; stopping was discussed as part of the method.",
    "Anxiety lower at the start of touch; still spikes when thinking about performance.",
    "Explored what privacy at home allows; agreed on a morning slot.",
    "Partner communication warmer; both described the check-in as useful.",
    "Returned to stage 1 by their choice; no pressure to move on.",
    "Body scan easier with the shorter script; keep it at ten minutes.",
    "Some shame around asking for what they want; gentle work on I statements.",
    "Discussed a memory that came up; grounding practised in session.",
)
# A third of clients answer a questionnaire every two weeks.
MEASURED = 0.35
REASONS_TEXT = (
    "A little gentler for now.",
    "You said the evenings are busy, so fewer times a week.",
    "Moving on to the next stage, as we discussed.",
)


@dataclass
class Summary:
    seed: int
    scale: float
    practices: int = 0
    therapists: int = 0
    clients: int = 0
    couples_linked: int = 0
    couples_partner_not_taking_part: int = 0
    assignments: int = 0
    assignment_changes: int = 0
    entries: int = 0
    reflections_written: int = 0
    audit_events: int = 0
    sessions: int = 0
    clinical_notes: int = 0
    questionnaire_answers: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Case:
    """One client, a linked couple, or a client whose partner is not taking part."""

    therapist: User
    clients: list[User]
    start: datetime
    couple: CoupleCase | None = None
    # Client id -> their agreement to share with their partner (for those who share).
    sharing: dict[int, Consent] = field(default_factory=dict)
    active: list[Assignment] = field(default_factory=list)
    begun: bool = False
    # Client id -> the questionnaire they answer every two weeks (about a third of clients).
    measures: dict[int, MeasureAssignment] = field(default_factory=dict)


def plan_sizes(scale: float) -> tuple[int, int]:
    """(therapists, clients) at SCALE."""
    return max(1, round(THERAPISTS * scale)), max(3, round(CLIENTS * scale))


def _uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _converter(field: models.Field, db: Any) -> Callable[[Any], Any]:  # type: ignore[type-arg]
    """How to turn FIELD's value on an instance into a database parameter, chosen once per
    field: most fields pass through; encrypted, JSON, UUID and date fields take their own path
    (EncryptedTextField.pre_save encrypts, exactly as Model.save() would have it do)."""
    attname = field.attname
    if isinstance(field, EncryptedTextField):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), db)
    if isinstance(field, models.DateTimeField):
        adapt = db.ops.adapt_datetimefield_value
        last: list[Any] = [None, None]  # practised_at and created_at are often the same value

        def convert(obj: Any) -> Any:
            value = obj.__dict__[attname]
            if value is not last[0]:
                last[:] = [value, adapt(value)]
            return last[1]

        return convert
    if isinstance(field, models.JSONField | models.UUIDField):
        return lambda obj: field.get_db_prep_save(obj.__dict__[attname], db)
    return lambda obj: obj.__dict__[attname]


def _insert(model: type[models.Model], objs: list[Any], *, rows: bool = False) -> None:
    """INSERT model instances whose primary keys are already set, without bulk_create's
    per-row SQL compilation, which would make a million rows take ten minutes. With ROWS, OBJS
    are dicts of every field's value, written through one scratch instance of MODEL: building
    a model instance for each of a million rows would take minutes more."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.concrete_fields
    convert = [_converter(f, db) for f in fields]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - our model's own names
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    scratch = model()

    def values(obj: Any) -> tuple[Any, ...]:
        if rows:
            scratch.__dict__.pop("_opened_fields", None)
            scratch.__dict__.update(obj)
            obj = scratch
        return tuple(c(obj) for c in convert)

    with db.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            cursor.executemany(sql, [values(obj) for obj in objs[start : start + BATCH]])


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reflection(rng: random.Random) -> str:
    """Empty about 40% of the time; otherwise a few sentences, up to 800 characters."""
    roll = rng.random()
    if roll < 0.4:
        return ""
    if roll < 0.65:
        target = rng.randint(20, 120)
    elif roll < 0.9:
        target = rng.randint(120, 400)
    else:
        target = rng.randint(400, 800)
    sentences = [rng.choice(SENTENCES)]
    length = len(sentences[0])
    while length < target:
        sentence = rng.choice(SENTENCES)
        if length + 1 + len(sentence) > 800:
            break
        sentences.append(sentence)
        length += 1 + len(sentence)
    return " ".join(sentences)


class _Generator:
    def __init__(self, seed: int, scale: float, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        # Sessions and questionnaires draw from their own stream: the homework stays the same.
        self.srng = random.Random(seed + 1_000_003)
        self.summary = Summary(seed=seed, scale=scale)
        self.progress = progress
        self.started = time.monotonic()
        self.now = timezone.now().replace(microsecond=0)
        self.origin = self.now - timedelta(days=DAYS)
        self.password = make_password(PASSWORD)  # one hash: argon2 per person would take minutes
        versions = list(
            ExerciseVersion.objects.filter(exercise__practice__isnull=True).order_by(
                "exercise__slug", "-version"
            )
        )
        latest: dict[int, ExerciseVersion] = {}
        for version in versions:
            latest.setdefault(version.exercise_id, version)
        if not latest:
            raise RuntimeError("The built-in exercise library is empty; run migrate first.")
        # Ids are given here, in the order a live database would have given them, so rows can
        # be written without asking the database for each new id.
        self.next_ids: dict[type[models.Model], int] = {
            m: _next_id(m)
            for m in (
                Assignment,
                AssignmentChange,
                PracticeEntry,
                Consultation,
                Attendance,
                ClinicalNote,
                MeasureAssignment,
                MeasureResponse,
                SafetyAlert,
            )
        }
        self.profile_of: dict[int, int] = {}
        self.next_event_id = _next_id(AuditEvent)
        self.solo = [v for v in latest.values() if v.suits in ("solo", "either")]
        self.together = [v for v in latest.values() if v.suits in ("couple", "either")]

    # --- people -------------------------------------------------------------------------

    def _user(self, kind: str, number: int, role: str, joined: datetime) -> User:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        return User(
            email=f"{role}{number:05d}@{EMAIL_DOMAIN}",
            name=f"{first} {last}",
            kind=kind,
            password=self.password,
            date_joined=joined,
        )

    def people(self) -> list[_Case]:
        rng = self.rng
        n_therapists, n_clients = plan_sizes(self.summary.scale)
        with transaction.atomic():
            practices = [
                Practice.objects.create(name="Harbour Street Practice", created_at=self.origin)
            ]
            if n_therapists >= 2:
                practices.append(
                    Practice.objects.create(name="Northfield Therapy", created_at=self.origin)
                )
            therapists = User.objects.bulk_create(
                [
                    self._user(User.Kind.THERAPIST, i + 1, "therapist", self.origin)
                    for i in range(n_therapists)
                ]
            )
            split = max(1, round(n_therapists * 0.6))
            Membership.objects.bulk_create(
                Membership(
                    practice=practices[0] if i < split else practices[-1],
                    user=t,
                    is_admin=i in (0, split),
                    joined_at=self.origin,
                )
                for i, t in enumerate(therapists)
            )
            for therapist in therapists:
                TOTP.activate(therapist, generate_totp_secret())  # or the MFA gate redirects
            n_couple_clients = round(n_clients / 3)
            n_alone_in_couple = round(n_couple_clients * 0.15) if n_couple_clients >= 3 else 0
            n_pairs = (n_couple_clients - n_alone_in_couple) // 2
            n_individual = n_clients - 2 * n_pairs - n_alone_in_couple
            shapes = ["pair"] * n_pairs + ["alone"] * n_alone_in_couple + ["one"] * n_individual
            rng.shuffle(shapes)
            cases: list[_Case] = []
            clients: list[User] = []
            for index, shape in enumerate(shapes):
                therapist = therapists[index % n_therapists]
                start = self.origin + timedelta(
                    days=rng.randint(0, DAYS - 60), hours=rng.randint(8, 19)
                )
                size = 2 if shape == "pair" else 1
                people = [
                    self._user(User.Kind.CLIENT, len(clients) + n + 1, "client", start)
                    for n in range(size)
                ]
                clients += people
                cases.append(_Case(therapist=therapist, clients=people, start=start))
            User.objects.bulk_create(clients, batch_size=BATCH)
            EmailAddress.objects.bulk_create(
                (
                    EmailAddress(user=u, email=u.email, verified=True, primary=True)
                    for u in [*therapists, *clients]
                ),
                batch_size=BATCH,
            )
            practice_of = {
                m.user_id: m.practice
                for m in Membership.objects.filter(user__in=therapists).select_related("practice")
            }
            profiles, consents, members = [], [], []
            couples: list[tuple[_Case, CoupleCase]] = []
            for case, shape in zip(cases, shapes, strict=True):
                for client in case.clients:
                    profiles.append(
                        ClientProfile(
                            user=client,
                            practice=practice_of[case.therapist.pk],
                            therapist=case.therapist,
                            created_at=case.start,
                        )
                    )
                    consents.append(
                        Consent(
                            user=client,
                            kind=Consent.Kind.TERMS,
                            version=settings.TERMS_VERSION,
                            given_at=case.start,
                        )
                    )
                if shape != "one":
                    couple = CoupleCase(
                        practice=practice_of[case.therapist.pk],
                        therapist=case.therapist,
                        created_at=case.start,
                    )
                    case.couple = couple
                    couples.append((case, couple))
            ClientProfile.objects.bulk_create(profiles, batch_size=BATCH)
            CoupleCase.objects.bulk_create([c for _, c in couples], batch_size=BATCH)
            for case, couple in couples:
                for client in case.clients:
                    members.append(
                        CoupleMember(
                            couple=couple,
                            client=client,
                            status=CoupleMember.Status.ACTIVE,
                            consented_at=case.start,
                            created_at=case.start,
                        )
                    )
                    consents.append(
                        Consent(
                            user=client,
                            kind=Consent.Kind.COUPLE_LINK,
                            version=settings.COUPLE_LINK_CONSENT_VERSION,
                            couple=couple,
                            given_at=case.start,
                        )
                    )
                    if len(case.clients) == 2 and rng.random() < 0.5:
                        case.sharing[client.pk] = Consent(
                            user=client,
                            kind=Consent.Kind.PARTNER_SHARING,
                            version=settings.PARTNER_SHARING_CONSENT_VERSION,
                            couple=couple,
                            given_at=case.start,
                        )
                        consents.append(case.sharing[client.pk])
                if len(case.clients) == 1:
                    members.append(
                        CoupleMember(
                            couple=couple,
                            label=rng.choice(FIRST_NAMES),
                            status=CoupleMember.Status.NOT_TAKING_PART,
                            created_at=case.start,
                        )
                    )
            CoupleMember.objects.bulk_create(members, batch_size=BATCH)
            Consent.objects.bulk_create(consents, batch_size=BATCH)
        s = self.summary
        s.practices, s.therapists, s.clients = len(practices), n_therapists, n_clients
        s.couples_linked, s.couples_partner_not_taking_part = n_pairs, n_alone_in_couple
        self.progress(
            f"people: {n_therapists} therapists in {len(practices)} practice(s), {n_clients:,} "
            f"clients ({n_pairs:,} linked couples, {n_alone_in_couple:,} clients whose partner "
            f"is not taking part) · {self.elapsed():.1f} s"
        )
        return cases

    # --- homework -----------------------------------------------------------------------

    def _assign(self, case: _Case, at: datetime, out: _Window) -> None:
        rng = self.rng
        together = case.couple is not None and rng.random() < 0.6
        version = rng.choice(self.together if together else self.solo)
        tailored = rng.random() < 0.1 and len(version.steps) > 2
        assignment = Assignment(
            id=self._id(Assignment),
            uid=_uid(rng),
            therapist=case.therapist,
            client=None if together else rng.choice(case.clients),
            couple=case.couple if together else None,
            version=version,
            note=rng.choice(NOTES) if rng.random() < 0.6 else "",
            times=rng.choice((None, 1, 2, 2, 3, 3, 4)),
            period=rng.choice(("week", "week", "week", "fortnight", "day")),
            stage=version.stage,
            created_at=at,
            updated_at=at,
        )
        if tailored:
            assignment.steps = list(version.steps)[:-1]  # one step fewer, as a therapist might
        out.assignments.append(assignment)
        out.new.add(assignment.pk)
        out.changes.append(self._change(assignment, AssignmentChange.Kind.CREATED, at))
        case.active.append(assignment)

    def _session(self, case: _Case, at: datetime, out: _Window) -> None:
        """What a fortnightly session changes: a new exercise now and then, an old one set
        aside, sometimes a tailoring change with its reason."""
        rng = self.rng
        if not case.begun:
            case.begun = True
            self._assign(case, at, out)
            self._assign(case, at + timedelta(minutes=5), out)
            return
        if rng.random() < 0.5:
            self._assign(case, at, out)
        if len(case.active) > MAX_ACTIVE:
            old = case.active.pop(0)
            if old.pk in out.new:  # given and set aside in the same fortnight
                old.status, old.updated_at = Assignment.Status.DISCARDED, at
            else:
                out.discarded.append(old.pk)
            reason = "We'll come back to this one later." if rng.random() < 0.5 else ""
            out.changes.append(
                self._change(old, AssignmentChange.Kind.DISCARDED, at, reason=reason)
            )
        if rng.random() < 0.1 and case.active:
            out.changes.append(
                self._change(
                    case.active[0],
                    AssignmentChange.Kind.CHANGED,
                    at,
                    fields=["times"],
                    reason=rng.choice(REASONS_TEXT),
                )
            )

    def _entry(
        self, case: _Case, client: User, at: datetime, out: _Window
    ) -> dict[str, Any] | None:
        """One practice entry, as the values of its fields."""
        rng = self.rng
        mine = [a for a in case.active if a.client_id in (None, client.pk)]
        if not mine:
            return None
        assignment = rng.choice(mine)
        version = assignment.version
        roll = rng.random()
        outcome = (
            PracticeEntry.Outcome.COMPLETED
            if roll < 0.72
            else PracticeEntry.Outcome.STOPPED
            if roll < 0.86
            else PracticeEntry.Outcome.NOT_THIS_TIME
        )
        practised = outcome != PracticeEntry.Outcome.NOT_THIS_TIME
        anxiety = rng.randint(0, 8)
        before = {k: self._rating(k, anxiety) for k in version.ratings_before} if practised else {}
        after = (
            {k: self._rating(k, max(0, anxiety - 2)) for k in version.ratings_after}
            if outcome == PracticeEntry.Outcome.COMPLETED
            else {}
        )
        reasons: list[str] = []
        if outcome != PracticeEntry.Outcome.COMPLETED and rng.random() < 0.7:
            reasons = rng.sample(REASONS, rng.choice((1, 1, 2)))
        visibilities = SHARED_VISIBILITIES if client.pk in case.sharing else VISIBILITIES
        reflection = _reflection(rng)
        out.reflections += bool(reflection)
        visibility = rng.choice(visibilities)
        shared = case.sharing[client.pk].pk if visibility in PARTNER_CAN_READ else None
        return {
            "id": None,
            "uid": _uid(rng),
            "assignment_id": assignment.pk,
            "client_id": client.pk,
            "version_id": version.pk,
            "stage": version.stage,
            "practised_at": at,
            "duration_minutes": (
                max(1, version.duration_minutes + rng.randint(-5, 10)) if practised else None
            ),
            "ratings_before": before,
            "ratings_after": after,
            "outcome": outcome,
            "stopped_at_step": (
                rng.randint(1, max(1, len(assignment.effective_steps)))
                if outcome == PracticeEntry.Outcome.STOPPED
                else None
            ),
            "reasons": reasons,
            "wants_to_talk": rng.random() < 0.03,
            "reflection": reflection,
            "visibility": visibility,
            "shared_under_id": shared,
            "created_at": at,
        }

    def _rating(self, key: str, around: int) -> int:
        top = RATINGS[key].top
        value = max(0, min(10, around + self.rng.randint(-2, 2)))
        return value * 10 if top == 100 else value

    # --- sessions and questionnaires ------------------------------------------------------

    def _consultation(self, case: _Case, at: datetime, out: _Window, *, first: bool) -> None:
        """The fortnight's session: a couple's with both partners; a note on most; a
        questionnaire answered the next day by those who have one."""
        rng = self.srng
        linked = case.couple is not None and len(case.clients) == 2
        session = Consultation(
            id=self._id(Consultation),
            therapist=case.therapist,
            couple=case.couple if linked else None,
            at=at,
            mode=rng.choice((Consultation.Mode.IN_PERSON, Consultation.Mode.ONLINE)),
            status=Consultation.Status.HELD,
            created_at=at,
        )
        out.sessions.append(session)
        for client in case.clients:
            out.attendances.append(
                Attendance(
                    id=self._id(Attendance),
                    consultation=session,
                    client=client,
                    at=at,
                    status=Consultation.Status.HELD,
                )
            )
            if rng.random() < 0.6:
                note = ClinicalNote(
                    id=self._id(ClinicalNote),
                    uid=_uid(rng),
                    consultation=session,
                    profile_id=self.profile_of[client.pk],
                    author=case.therapist,
                    created_at=at,
                    updated_at=at,
                )
                note.body = " ".join(rng.sample(NOTE_SENTENCES, rng.randint(1, 3)))
                out.notes.append(note)
            if first and rng.random() < MEASURED:
                case.measures[client.pk] = MeasureAssignment(
                    id=self._id(MeasureAssignment),
                    therapist=case.therapist,
                    client=client,
                    instrument=rng.choice((GAD7, PHQ9)),
                    every_weeks=2,
                    share_scores=rng.random() < 0.5,
                    created_at=at,
                )
                out.measures.append(case.measures[client.pk])
            measure = case.measures.get(client.pk)
            answered = at + timedelta(days=1, hours=rng.randint(1, 12))
            if measure is not None and answered < self.now:
                self._answer(measure, client, answered, out)

    def _answer(self, measure: MeasureAssignment, client: User, at: datetime, out: _Window) -> None:
        rng = self.srng
        level = rng.randint(0, 2)
        count = 7 if measure.instrument == GAD7 else 9
        answers = [max(0, min(3, level + rng.randint(-1, 1))) for _ in range(count)]
        if measure.instrument == PHQ9:
            answers[8] = 1 if rng.random() < 0.01 else 0
        response = MeasureResponse(
            id=self._id(MeasureResponse),
            uid=_uid(rng),
            assignment=measure,
            client=client,
            instrument=measure.instrument,
            completed_at=at,
        )
        response.data = json.dumps({"answers": answers, "difficulty": None, "total": sum(answers)})
        out.answers.append(response)
        if measure.instrument == PHQ9 and answers[8]:
            recent = self.now - at < timedelta(days=WINDOW_DAYS)
            out.alerts.append(
                SafetyAlert(
                    id=self._id(SafetyAlert),
                    response=response,
                    client=client,
                    therapist=measure.therapist,
                    created_at=at,
                    acknowledged_at=None if recent else at + timedelta(hours=3),
                    acknowledged_by=None if recent else measure.therapist,
                )
            )

    def homework(self, cases: list[_Case]) -> None:
        rng = self.rng
        self.profile_of = dict(ClientProfile.objects.values_list("user_id", "pk"))
        windows = range(0, DAYS, WINDOW_DAYS)
        for number, offset in enumerate(windows, start=1):
            begin = self.origin + timedelta(days=offset)
            end = min(begin + timedelta(days=WINDOW_DAYS), self.now)
            out = _Window()
            for case in cases:
                if case.start >= end:
                    continue
                first = not case.begun
                self._session(case, max(begin, case.start), out)
                self._consultation(case, max(begin, case.start), out, first=first)
                day = max(begin, case.start) + timedelta(days=1)
                while day < end:
                    for client in case.clients:
                        if rng.random() < PRACTISE_PER_DAY:
                            at = day.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59))
                            if at < self.now:
                                entry = self._entry(case, client, at, out)
                                if entry is not None:
                                    out.entries.append(entry)
                    day += timedelta(days=1)
            self._write(out, end)
            s = self.summary
            self.progress(
                f"[{number:2d}/{len(windows)}] up to {end:%Y-%m-%d}: {s.assignments:,} "
                f"assignments, {s.entries:,} entries · {self.elapsed():.1f} s"
            )
        self._finish(cases)

    def _write(self, out: _Window, end: datetime) -> None:
        with transaction.atomic():
            _insert(Assignment, out.assignments)
            if out.discarded:
                Assignment.objects.filter(pk__in=out.discarded).update(
                    status=Assignment.Status.DISCARDED, updated_at=end
                )
            _insert(AssignmentChange, out.changes)
            out.entries.sort(key=lambda e: e["practised_at"])
            for entry in out.entries:
                entry["id"] = self._id(PracticeEntry)
            _insert(PracticeEntry, out.entries, rows=True)
            self.next_event_id = _insert_audit(out, self.next_event_id)
            _insert(Consultation, out.sessions)
            _insert(Attendance, out.attendances)
            _insert(ClinicalNote, out.notes)
            _insert(MeasureAssignment, out.measures)
            _insert(MeasureResponse, out.answers)
            _insert(SafetyAlert, out.alerts)
        s = self.summary
        s.sessions += len(out.sessions)
        s.clinical_notes += len(out.notes)
        s.questionnaire_answers += len(out.answers)
        s.assignments += len(out.assignments)
        s.assignment_changes += len(out.changes)
        s.entries += len(out.entries)
        s.reflections_written += out.reflections
        s.audit_events += len(out.assignments) + len(out.entries)

    def _finish(self, cases: list[_Case]) -> None:
        """Pause a few current exercises, always leaving each client one to practise."""
        paused: list[Assignment] = []
        for case in cases:
            for assignment in case.active[1:]:
                if self.rng.random() < 0.08:
                    paused.append(assignment)
        with transaction.atomic():
            Assignment.objects.filter(pk__in=[a.pk for a in paused]).update(
                status=Assignment.Status.PAUSED, updated_at=self.now - timedelta(days=3)
            )
            _insert(
                AssignmentChange,
                [
                    self._change(
                        a,
                        AssignmentChange.Kind.PAUSED,
                        self.now - timedelta(days=3),
                        reason="Let's pause this while things are busy.",
                    )
                    for a in paused
                ],
            )
        self.summary.assignment_changes += len(paused)
        # Each case's next session, planned within the coming fortnight.
        planned = _Window()
        for case in cases:
            at = (self.now + timedelta(days=self.srng.randint(1, 13))).replace(
                hour=self.srng.randint(8, 18), minute=0, second=0
            )
            session = Consultation(
                id=self._id(Consultation),
                therapist=case.therapist,
                couple=case.couple if len(case.clients) == 2 else None,
                at=at,
                mode=Consultation.Mode.ONLINE,
                status=Consultation.Status.PLANNED,
                created_at=self.now,
            )
            planned.sessions.append(session)
            planned.attendances += [
                Attendance(
                    id=self._id(Attendance),
                    consultation=session,
                    client=client,
                    at=at,
                    status=Consultation.Status.PLANNED,
                )
                for client in case.clients
            ]
        with transaction.atomic():
            _insert(Consultation, planned.sessions)
            _insert(Attendance, planned.attendances)

    def _id(self, model: type[models.Model]) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def _change(self, assignment: Assignment, kind: str, at: datetime, **extra: Any) -> Any:
        return AssignmentChange(
            id=self._id(AssignmentChange),
            uid=_uid(self.rng),
            assignment=assignment,
            by_id=assignment.therapist_id,
            kind=kind,
            created_at=at,
            **extra,
        )

    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass
class _Window:
    """The rows one fortnight adds, written in one transaction."""

    assignments: list[Assignment] = field(default_factory=list)
    changes: list[AssignmentChange] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    discarded: list[int] = field(default_factory=list)
    new: set[int] = field(default_factory=set)  # ids of the assignments given this fortnight
    reflections: int = 0  # entries with a reflection written
    sessions: list[Consultation] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    notes: list[ClinicalNote] = field(default_factory=list)
    measures: list[MeasureAssignment] = field(default_factory=list)
    answers: list[MeasureResponse] = field(default_factory=list)
    alerts: list[SafetyAlert] = field(default_factory=list)


def _insert_audit(out: _Window, next_id: int) -> int:
    """The audit events the real actions would have written (assignment.create and
    practice.record), as plain rows: a million model instances would only add minutes."""
    db = connections[DEFAULT_DB_ALIAS]
    at = db.ops.adapt_datetimefield_value
    events = [
        (
            a.created_at,
            a.therapist_id,
            "assignment.create",
            "homework.assignment",
            a.pk,
            a.client_id,
        )
        for a in out.assignments
    ]
    events += [
        (
            e["practised_at"],
            e["client_id"],
            "practice.record",
            "homework.practiceentry",
            e["id"],
            e["client_id"],
        )
        for e in out.entries
    ]
    events.sort(key=lambda e: e[0])
    rows = [
        (next_id + n, actor, action, kind, str(target), subject, None, at(when))
        for n, (when, actor, action, kind, target, subject) in enumerate(events)
    ]
    columns = ["id", "actor_id", "action", "target_type", "target_id", "subject_id", "ip", "at"]
    assert {f.column for f in AuditEvent._meta.concrete_fields} == set(columns)
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with db.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
    return next_id + len(rows)


def generate_practice(
    *, seed: int, scale: float, progress: Callable[[str], None] = print
) -> Summary:
    """Fill an empty, migrated database with a synthetic practice. Refuses a database that
    already has accounts, and production."""
    if settings.PRODUCTION:
        raise RuntimeError("generate_practice never runs in production.")
    if User.objects.exists():
        raise RuntimeError(
            "This database already has accounts. generate_practice fills only an empty, "
            "migrated database of its own (make bench makes one under var/bench/)."
        )
    if not 0 < scale <= 10:
        raise ValueError("scale must be above 0 and at most 10.")
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # A benchmark database is rebuilt rather than recovered: no need to sync every commit,
        # and a larger page cache keeps the growing indexes in memory while they fill.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    generator = _Generator(seed, scale, progress)
    cases = generator.people()
    generator.homework(cases)
    # Rows were inserted with their ids; let the database's own id sequences catch up.
    with connection.cursor() as cursor:
        models_ = [
            Assignment,
            AssignmentChange,
            PracticeEntry,
            AuditEvent,
            Consultation,
            Attendance,
            ClinicalNote,
            MeasureAssignment,
            MeasureResponse,
            SafetyAlert,
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)
    generator.summary.seconds = round(generator.elapsed(), 1)
    return generator.summary
