"""What `make bench` sends: signed-in sessions for a sample of the generated practice, the
requests for each measured page, and the queries each page runs (counted in-process).

Sessions are written straight into the session store, holding what a real sign-in leaves
there (the user, allauth's record of how they signed in, Interlude's session clock), so each
request is treated exactly as a signed-in person's.
"""

# Seeded pseudo-random numbers on purpose: the same seed signs in the same people.
# ruff: noqa: S311

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string

from interlude.accounts.middleware import SEEN, STARTED
from interlude.accounts.models import User
from interlude.consultations.models import Consultation
from interlude.couples.models import CoupleMember
from interlude.exercises.models import RATINGS
from interlude.homework.models import Assignment
from interlude.measures.models import MeasureAssignment
from interlude.practice.models import ClientProfile

FLOOR = "/bench/floor/"
CSRF_ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# The pages measured, in the order they are run and printed.
PAGES: dict[str, str] = {
    "floor": "Floor: a trivial view through all middleware (anonymous)",
    "floor_signed_in": "Floor, signed in as a client (sessions, auth, session tracking)",
    "client_home": "A client's home",
    "practice": "The practice page: before you start (GET)",
    "practice_step": "Practising: one step, with Pause and Stop (GET)",
    "practice_after": "Practising: afterwards (GET)",
    "practice_save": "Saving a practice entry (POST, then redirect)",
    "journal": "A client's journal",
    "reminders": "A client's reminders (days, times, quiet hours, exercises)",
    "shared_by_partner": "What a partner shared",
    "therapist_client": "A therapist's client page",
    "caseload": "The therapist's caseload",
    "guide": "A guide: choosing its length (GET)",
    "guide_play": "A guide playing: the cues written into the page (GET)",
    "guide_defaults": "The therapist's choice of what a guide offers first (GET)",
    "fantasy_journal": "A client's fantasy journal",
    "sensations_log": "A client's new-sensations log",
    "fantasy_shared": "Fantasies and sensations a partner shared",
    "therapist_fantasy": "Fantasies and sensations shared with the therapist",
    "ladder": "A client's exposure ladder, with a chart per step (GET)",
    "ladder_try": "Trying a ladder step: before you begin (GET)",
    "ladder_therapist": "A therapist's page for a client's ladder (GET)",
    "ladder_step": "Changing a step of a ladder (GET)",
    "ladder_shared": "Ladder notes a partner shared (GET)",
    "desire_map": "A desire map's own page (a couple's with a compared round, or a personal map)",
    "desire_group": "A desire map: one group of items (GET)",
    "desire_save": "A desire map: keeping a group's answers (POST, then redirect; personal maps)",
    "desire_shared": "A desire map: what two partners share in a compared round",
    "desire_results": "A desire map: the therapist's rounds and what was shared with them",
    "checkin": "The weekly check-in: this week's preparation, with answers (GET)",
    "checkin_week": "A check-in read back (GET)",
    "checkin_agenda": "The therapist chooses a check-in's questions (GET)",
    "coach": "The I-statement helper, with a draft and its notes (GET)",
    "coach_journal": "The helper: save to your journal (GET)",
    "coach_check": "The helper's notes on posted words, without script (POST)",
    "therapist_sessions": "A client's sessions, with the forms to record and plan one",
    "session_note": "A private note on the last session",
    "questionnaires": "A client's questionnaires",
    "questionnaire": "A questionnaire to answer (GET)",
}

# The tools reached from an exercise, by the built-in exercises that open them.
TOOL_SLUGS: dict[str, tuple[str, ...]] = {
    "guide": ("body-scan", "paced-breathing"),
    "fantasy": ("solo-fantasy-journal", "shared-fantasy-journal", "curiosity-list"),
    "sensations": ("sensation-log", "trying-new-sensations"),
}
# Clients whose ladder is measured (a third of each kind of client, up to this many): each
# ladder is given a history once, the first time the plan is made on a generated practice.
LADDER_CLIENTS = 12
LADDER_TRIES = 30


@dataclass
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str = ""
    expect: int = 200
    csrf: str = ""  # the CSRF cookie value, when the request posts a form
    kind: str = "anonymous"  # whose request: a kind of client, or a therapist

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Plan:
    pages: dict[str, list[Request]] = field(default_factory=dict)
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def _session_for(user: User, csrf: str) -> str:
    """A signed-in session as allauth's sign-in leaves it (password, then TOTP for staff)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    methods: list[dict[str, Any]] = [{"method": "password", "at": now, "email": user.email}]
    if user.is_practitioner:
        methods.append({"method": "mfa", "at": now, "type": "totp"})
    store["account_authentication_methods"] = methods
    store["account_authentication_methods_user"] = str(user.pk)
    store[STARTED] = store[SEEN] = int(now)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"


def _sample(rng: random.Random, ids: Iterable[int], count: int) -> list[int]:
    pool = sorted(ids)
    return sorted(rng.sample(pool, min(count, len(pool))))


def _clients(rng: random.Random, count: int) -> list[tuple[str, User]]:
    """Clients with something to practise, a third each: on their own, in a linked couple,
    and in a couple case whose partner is not taking part; the same mix at every scale."""
    active = Assignment.objects.filter(status=Assignment.Status.ACTIVE)
    practising = set(active.exclude(client=None).values_list("client_id", flat=True))
    couples_practising = set(active.exclude(couple=None).values_list("couple_id", flat=True))
    in_couple = dict(
        CoupleMember.objects.filter(client__isnull=False).values_list("client_id", "couple_id")
    )
    alone = set(
        CoupleMember.objects.filter(status=CoupleMember.Status.NOT_TAKING_PART).values_list(
            "couple_id", flat=True
        )
    )
    strata: dict[str, list[int]] = {"individual": [], "linked": [], "partner_not_taking_part": []}
    for client_id in ClientProfile.objects.values_list("user_id", flat=True):
        couple = in_couple.get(client_id)
        if client_id not in practising and couple not in couples_practising:
            continue
        if couple is None:
            strata["individual"].append(client_id)
        else:
            strata["partner_not_taking_part" if couple in alone else "linked"].append(client_id)
    chosen: list[tuple[str, User]] = []
    for kind, ids in strata.items():
        people = User.objects.filter(pk__in=_sample(rng, ids, count // len(strata)))
        chosen += [(kind, user) for user in people.order_by("pk")]
    return chosen


def _practice_body(rng: random.Random, assignment: Assignment, csrf: str) -> str:
    version = assignment.version
    outcome = rng.choice(("completed", "completed", "not_this_time"))
    # No one-time submission key: wrk sends the same body again and again, and each is meant
    # to store a new entry here.
    data: dict[str, Any] = {
        "csrfmiddlewaretoken": csrf,
        "outcome": outcome,
        "visibility": "therapist",
        "reflection": rng.choice(
            (
                "",
                "Quieter today. I stayed with it a little longer.",
                "It was harder to slow down than I expected, but counting helped.",
            )
        ),
    }
    if outcome == "completed":
        for when, keys in (("before", version.ratings_before), ("after", version.ratings_after)):
            for key in keys:
                data[f"{when}_{key}"] = rng.randint(2, 7) * RATINGS[key].step
        data["duration_minutes"] = version.duration_minutes
    else:
        data["reasons"] = "not_right_time"
    return urlencode(data)


def _ladder_with_history(rng: random.Random, client: User) -> tuple[int, int, str]:
    """(assignment id, open try id, a step's page) of CLIENT's exposure ladder, given a history
    of steps and tries the first time (the generated practice has none): made through the real
    actions, so it reads exactly as one a client built with their therapist."""
    from interlude.exercises.models import Exercise
    from interlude.homework.actions import assignment_create
    from interlude.ladder import actions as ladder
    from interlude.ladder.assignments import current_given_to

    therapist = client.client_profile.therapist
    found = [a for a in current_given_to(therapist, client, 5) if a.client_id == client.pk]
    if found:
        assignment = found[0]
    else:
        exercise = Exercise.objects.get(practice=None, slug="practising-a-ladder-step")
        version = exercise.versions.get(version=exercise.latest_version)
        assignment = assignment_create(therapist=therapist, version=version, client=client)
    made = ladder.ladder_for(assignment=assignment, client=client)
    if not made.steps.exists():
        words = ("Sitting close", "Holding hands", "A long hug", "Undressed, lights low")
        steps = [
            ladder.step_add(ladder=made, by=therapist, text=text, suds=20 + 15 * i)
            for i, text in enumerate(words)
        ]
        ladder.pause_point_set(ladder=made, client=client, suds=70, note="if I feel far away")
        for number in range(LADDER_TRIES):
            step = steps[min(number // 10, len(steps) - 1)]
            assert step is not None
            ladder.step_choose(ladder=made, step=step, client=client)
            made.refresh_from_db()
            attempt = ladder.attempt_start(ladder=made, client=client)
            ladder.attempt_begin(
                attempt=attempt,
                client=client,
                suds_before=rng.randint(6, 12) * 5,
                reflection=rng.choice(("", "My heart is racing a little.")),
                visibility="therapist",
            )
            outcome = rng.choice(("completed", "completed", "stopped"))
            ladder.attempt_to_afterwards(attempt=attempt, client=client, outcome=outcome)
            ladder.attempt_finish(
                attempt=attempt,
                client=client,
                outcome=outcome,
                suds_peak=rng.randint(10, 16) * 5,
                suds_after=rng.randint(3, 10) * 5,
                minutes=rng.randint(5, 40),
                reasons=["pause_point"] if outcome == "stopped" else [],
                reflection=rng.choice(("", "Less than I feared.", "Hard, and I stayed.")),
                visibility="therapist",
            )
    made.refresh_from_db()
    step_page = f"/ladders/{made.pk}/steps/{made.current_step_id}/"
    return assignment.pk, ladder.attempt_start(ladder=made, client=client).pk, step_page


DESIRE_ANSWERS = {
    "long-hugs": ("yes", False),
    "holding-hands": ("maybe", False),
    "slow-kissing": ("yes", True),
    "compliments": ("no", False),
    "back-massage": ("maybe", False),
}


def _desire_map(client: User) -> Assignment:
    """CLIENT's desire map (their couple's, or their own), given by their therapist the first
    time; for a linked couple, with a round both have sent and so compared. Made once and kept
    with the generated practice, so every run measures the same pages."""
    from interlude.desire.access import get_map_for_client
    from interlude.desire.actions import desire_answers_save, desire_answers_submit
    from interlude.desire.models import DesireRound
    from interlude.exercises.models import Exercise
    from interlude.homework.actions import assignment_create
    from interlude.sharing.person import Person

    person = Person(client)
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    found = Assignment.objects.filter(
        version__exercise=exercise,
        status=Assignment.Status.ACTIVE,
        **({"couple_id": person.couple_id} if person.couple_id else {"client": client}),
    ).first()
    if found is None:
        profile = client.client_profile
        member = person.couple_member
        found = assignment_create(
            therapist=profile.therapist,
            version=exercise.versions.get(version=exercise.latest_version),
            **({"couple": member.couple} if person.couple_id and member else {"client": client}),
        )
    partner = person.partner
    compared = DesireRound.objects.filter(assignment=found, revealed_at__isnull=False)
    if partner is not None and found.couple_id is not None and not compared.exists():
        for who in (client, partner):
            map_ = get_map_for_client(Person(who), found.pk)
            desire_answers_save(map_=map_, slugs=list(DESIRE_ANSWERS), answers=DESIRE_ANSWERS)
            desire_answers_submit(map_=map_)
    return found


def _desire_requests(plan: Plan, kind: str, client: User, cookie: str, csrf: str) -> str:
    """The desire-map pages of CLIENT; returns the therapist's page of the map."""
    from interlude.desire.models import DesireRound

    assignment = _desire_map(client)
    base = f"/map/{assignment.pk}/"
    plan.pages["desire_map"].append(Request("GET", base, cookie, kind=kind))
    plan.pages["desire_group"].append(Request("GET", f"{base}group/1/", cookie, kind=kind))
    compared = (
        DesireRound.objects.filter(assignment=assignment, revealed_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if compared is not None:
        plan.pages["desire_shared"].append(
            Request("GET", f"{base}round/{compared.number}/", cookie, kind=kind)
        )
    elif kind != "linked":
        # A personal map's answers change at any time (a couple's lock once sent).
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "answer_long-hugs": "yes",
                "answer_compliments": "no",
                "go": "home",
            }
        )
        plan.pages["desire_save"].append(
            Request("POST", f"{base}group/1/", cookie, body, expect=302, csrf=csrf, kind=kind)
        )
    return f"/assignments/{assignment.pk}/map/shared/"


def build_plan(*, seed: int, users: int) -> Plan:
    """Sessions and requests for every measured page; about USERS clients, their therapists."""
    from interlude.homework.access import assignments_for_client
    from interlude.sharing.person import Person

    rng = random.Random(seed)
    clients = _clients(rng, users)
    plan = Plan(pages={name: [] for name in PAGES})
    plan.pages["floor"].append(Request("GET", FLOOR))
    therapist_cookies: dict[int, str] = {}
    signed_in: list[tuple[str, User, str]] = []
    per_kind: dict[str, int] = {}
    # Its own numbers, so the other pages' requests are the same with or without ladders.
    ladder_rng = random.Random(seed + 1)
    for kind, client in clients:
        csrf = get_random_string(32, CSRF_ALLOWED)
        cookie = _session_for(client, csrf)
        signed_in.append((kind, client, cookie))
        assignment = (
            assignments_for_client(Person(client))
            .filter(status=Assignment.Status.ACTIVE)
            .select_related("version__exercise")
            .order_by("pk")
            .first()
        )
        assert assignment is not None, f"client {client.pk} has nothing to practise"
        practice = f"/practice/{assignment.pk}/"
        plan.pages["floor_signed_in"].append(Request("GET", FLOOR, cookie, kind=kind))
        plan.pages["client_home"].append(Request("GET", "/", cookie, kind=kind))
        # The practice page asks more about an exercise in stages: kept by exercise too.
        exercise = f"{kind} / {assignment.version.exercise.slug}"
        plan.pages["practice"].append(Request("GET", practice, cookie, kind=exercise))
        plan.pages["practice_step"].append(
            Request("GET", f"{practice}step/1/", cookie, kind=exercise)
        )
        plan.pages["practice_after"].append(
            Request("GET", f"{practice}after/", cookie, kind=exercise)
        )
        plan.pages["journal"].append(Request("GET", "/journal/", cookie, kind=kind))
        plan.pages["reminders"].append(Request("GET", "/reminders/", cookie, kind=kind))
        plan.pages["shared_by_partner"].append(
            Request("GET", "/partner/shared/", cookie, kind=kind)
        )
        for _ in range(4):  # a few different entries each, so each save is a new one
            plan.pages["practice_save"].append(
                Request(
                    "POST",
                    f"{practice}after/",
                    cookie,
                    _practice_body(rng, assignment, csrf),
                    expect=302,
                    csrf=csrf,
                    kind=exercise,
                )
            )
        therapist = client.client_profile.therapist
        if therapist.pk not in therapist_cookies:
            therapist_cookies[therapist.pk] = _session_for(
                therapist, get_random_string(32, CSRF_ALLOWED)
            )
        plan.pages["therapist_client"].append(
            Request("GET", f"/clients/{client.pk}/", therapist_cookies[therapist.pk], kind=kind)
        )
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] <= LADDER_CLIENTS // 3:
            ladder_assignment, open_try, step_page = _ladder_with_history(ladder_rng, client)
            plan.pages["ladder"].append(
                Request("GET", f"/ladder/{ladder_assignment}/", cookie, kind=kind)
            )
            plan.pages["ladder_try"].append(
                Request("GET", f"/ladder/tries/{open_try}/", cookie, kind=kind)
            )
            plan.pages["ladder_step"].append(Request("GET", step_page, cookie, kind=kind))
            plan.pages["ladder_shared"].append(
                Request("GET", "/ladder/shared-with-you/", cookie, kind=kind)
            )
            plan.pages["ladder_therapist"].append(
                Request(
                    "GET",
                    f"/clients/{client.pk}/ladder/{ladder_assignment}/",
                    therapist_cookies[therapist.pk],
                    kind=kind,
                )
            )
        plan.pages["therapist_sessions"].append(
            Request(
                "GET", f"/clients/{client.pk}/sessions/", therapist_cookies[therapist.pk], kind=kind
            )
        )
        last = (
            Consultation.objects.filter(attendances__client=client, status=Consultation.Status.HELD)
            .order_by("-at")
            .first()
        )
        if last is not None:
            plan.pages["session_note"].append(
                Request(
                    "GET",
                    f"/clients/{client.pk}/sessions/{last.pk}/note/",
                    therapist_cookies[therapist.pk],
                    kind=kind,
                )
            )
        results = _desire_requests(plan, kind, client, cookie, csrf)
        plan.pages["desire_results"].append(
            Request("GET", results, therapist_cookies[therapist.pk], kind=kind)
        )
        _talk_pages(plan, client, kind, cookie, csrf, therapist_cookies[therapist.pk])
        plan.pages["questionnaires"].append(Request("GET", "/questionnaires/", cookie, kind=kind))
        measure = (
            MeasureAssignment.objects.filter(client=client, status=MeasureAssignment.Status.ACTIVE)
            .order_by("pk")
            .first()
        )
        if measure is not None:
            plan.pages["questionnaire"].append(
                Request(
                    "GET",
                    f"/questionnaires/{measure.pk}/",
                    cookie,
                    kind=f"{kind} / {measure.instrument}",
                )
            )
    for cookie in therapist_cookies.values():
        plan.pages["caseload"].append(Request("GET", "/clients/", cookie, kind="therapist"))
    _tool_pages(plan, signed_in, therapist_cookies)
    plan.users = {"clients": len(clients), "therapists": len(therapist_cookies)}
    return plan


def _tool_assignment(client: User, tool: str) -> Assignment | None:
    from interlude.homework.access import assignments_for_client
    from interlude.sharing.person import Person

    return (
        assignments_for_client(Person(client))
        .filter(
            status=Assignment.Status.ACTIVE,
            version__exercise__slug__in=TOOL_SLUGS[tool],
            version__exercise__practice__isnull=True,
        )
        .order_by("pk")
        .first()
    )


CHECKIN, COACH = "weekly-intimacy-check-in", "i-statement-practice"
COACH_WORDS = "You never plan anything. Why can't you just tell me earlier? I'd like a walk."


def _latest(slug: str) -> Any:
    from interlude.exercises.models import ExerciseVersion

    return (
        ExerciseVersion.objects.filter(exercise__slug=slug, exercise__practice__isnull=True)
        .order_by("-version")
        .first()
    )


def _tool_pages(
    plan: Plan, signed_in: list[tuple[str, User, str]], therapist_cookies: dict[int, str]
) -> None:
    """The guide, fantasy-journal and sensations pages for each sampled client who has such an
    exercise. Where none of them has one (a small generated practice), the first client is
    given one by their therapist, through the real action, so every page is measured."""
    from interlude.exercises.models import Exercise
    from interlude.homework.actions import assignment_create

    urls = {
        "guide": ("guide", "/guides/{}/"),
        "guide_play": ("guide", "/guides/{}/play/"),
        "fantasy_journal": ("fantasy", "/fantasy/{}/"),
        "sensations_log": ("sensations", "/sensations/{}/"),
    }
    found: dict[str, list[tuple[str, User, str, Assignment]]] = {t: [] for t in TOOL_SLUGS}
    for kind, client, cookie in signed_in:
        plan.pages["fantasy_shared"].append(Request("GET", "/fantasy/shared/", cookie, kind=kind))
        therapist = client.client_profile.therapist
        plan.pages["therapist_fantasy"].append(
            Request(
                "GET", f"/clients/{client.pk}/fantasy/", therapist_cookies[therapist.pk], kind=kind
            )
        )
        for tool in TOOL_SLUGS:
            assignment = _tool_assignment(client, tool)
            if assignment is not None:
                found[tool].append((kind, client, cookie, assignment))
    for tool, rows in found.items():
        if rows or not signed_in:
            continue
        kind, client, cookie = signed_in[0]
        exercise = Exercise.objects.get(practice=None, slug=TOOL_SLUGS[tool][0])
        assignment = assignment_create(
            therapist=client.client_profile.therapist,
            version=exercise.versions.get(version=exercise.latest_version),
            client=client,
        )
        rows.append((kind, client, cookie, assignment))
    for page, (tool, url) in urls.items():
        for kind, _client, cookie, assignment in found[tool]:
            plan.pages[page].append(Request("GET", url.format(assignment.pk), cookie, kind=kind))
    for kind, _client, _cookie, assignment in found["guide"]:
        if assignment.therapist_id not in therapist_cookies:
            therapist_cookies[assignment.therapist_id] = _session_for(
                assignment.therapist, get_random_string(32, CSRF_ALLOWED)
            )
        cookie = therapist_cookies[assignment.therapist_id]
        plan.pages["guide_defaults"].append(
            Request("GET", f"/guides/{assignment.pk}/defaults/", cookie, kind=kind)
        )


def _talk_assignment(client: User, slug: str) -> Assignment:
    """CLIENT's current assignment of SLUG (their couple case's, if they have one), given now
    if the generated practice has none: the same one on every run."""
    from django.db.models import Q

    from interlude.homework.actions import assignment_create
    from interlude.sharing.person import Person

    person = Person(client)
    couple = person.couple_member.couple if person.couple_id and person.couple_member else None
    mine = Q(couple=couple) if couple is not None else Q(client=client)
    found = (
        Assignment.objects.filter(mine, version__exercise__slug=slug)
        .exclude(status=Assignment.Status.DISCARDED)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    return assignment_create(
        therapist=client.client_profile.therapist,
        version=_latest(slug),
        client=None if couple is not None else client,
        couple=couple,
    )


def _talk_rows(client: User) -> tuple[Assignment, int, Assignment]:
    """A check-in assignment with one check-in held the week before (both partners ready, for
    a linked couple) and this week's preparation under way; an I-statement assignment with a
    draft. Made through the tools' own actions, once: a later run finds them."""
    import datetime as dt

    from interlude.checkins.access import get_place_for_client
    from interlude.checkins.actions import Written, checkin_prepare, checkin_ready
    from interlude.checkins.models import CheckIn
    from interlude.checkins.questions import questions_for, week_of
    from interlude.coach import access as coach_access
    from interlude.coach.actions import coach_draft_save
    from interlude.sharing.person import Person

    person = Person(client)
    checkin = _talk_assignment(client, CHECKIN)
    coach = _talk_assignment(client, COACH)
    place = get_place_for_client(person, checkin.pk)
    questions = questions_for(None, [], solo=person.partner is None)
    held = CheckIn.objects.filter(assignment=checkin, held_at__isnull=False).first()
    if held is None:
        people = [person] + ([Person(person.partner)] if person.partner is not None else [])
        for who in people:
            words = [
                Written(q, f"{q.title}: a few words.", "therapist", n)
                for n, q in enumerate(questions)
            ]
            checkin_prepare(place=place, person=who, answers=words)
            held = checkin_ready(place=place, person=who)
        assert held is not None and held.held_at is not None
        # Moved to the week before, so this week's check-in is still to prepare.
        CheckIn.objects.filter(pk=held.pk).update(week=week_of(client) - dt.timedelta(days=7))
    checkin_prepare(
        place=place,
        person=person,
        answers=[Written(questions[2], "You never put your phone away.", "only_me", 2)],
    )
    coach_draft_save(
        author=client,
        place=coach_access.Place(assignment_id=coach.pk, title=""),
        parts={"text": COACH_WORDS, "feeling": "hurt", "situation": "plans change"},
    )
    return checkin, held.pk, coach


def _talk_pages(
    plan: Plan, client: User, kind: str, cookie: str, csrf: str, therapist_cookie: str
) -> None:
    """The check-in's and the helper's requests for CLIENT and their therapist."""
    checkin, held, coach = _talk_rows(client)
    base = f"/checkin/{checkin.pk}/"
    plan.pages["checkin"].append(Request("GET", base, cookie, kind=kind))
    plan.pages["checkin_week"].append(Request("GET", f"{base}week/{held}/", cookie, kind=kind))
    plan.pages["checkin_agenda"].append(
        Request("GET", f"{base}questions/", therapist_cookie, kind=kind)
    )
    plan.pages["coach"].append(Request("GET", f"/coach/{coach.pk}/", cookie, kind=kind))
    plan.pages["coach_journal"].append(
        Request("GET", f"/coach/{coach.pk}/journal/", cookie, kind=kind)
    )
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "coach_field": "body",
            "body": COACH_WORDS,
            "visibility": "only_me",
            "coach_return": "/journal/",
        }
    )
    plan.pages["coach_check"].append(
        Request("POST", "/coach/check/", cookie, body, csrf=csrf, kind=kind)
    )


def _client_for(request: Request) -> Client:
    client = Client(enforce_csrf_checks=True)
    for part in filter(None, request.cookie.split("; ")):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    return client


def send(client: Client, request: Request) -> Any:
    if request.method == "POST":
        return client.generic(
            "POST", request.path, request.body, "application/x-www-form-urlencoded"
        )
    return client.get(request.path)


def count_queries(plan: Plan, per_kind: int = 2) -> None:
    """Queries per request, counted in this process on the same database and settings as the
    server: each request once to warm up (as a running worker is), then once counted. Counts
    differ by whose page it is (a linked partner's page asks about the partner), so they are
    kept by kind of person, the same kinds at every scale."""
    for name, requests in plan.pages.items():
        by_kind: dict[str, list[int]] = {}
        for request in requests:
            counts = by_kind.setdefault(request.kind, [])
            if len(counts) >= per_kind:
                continue
            client = _client_for(request)
            send(client, request)
            with CaptureQueriesContext(connection) as captured:
                response = send(client, request)
            if response.status_code != request.expect:
                raise RuntimeError(
                    f"{name}: {request.method} {request.path} answered "
                    f"{response.status_code}, not {request.expect}"
                )
            counts.append(len(captured.captured_queries))
        every = [n for counts in by_kind.values() for n in counts]
        plan.queries[name] = {
            "median": statistics.median(every),
            "min": min(every),
            "max": max(every),
            "by_kind": {kind: max(counts) for kind, counts in sorted(by_kind.items())},
        }
