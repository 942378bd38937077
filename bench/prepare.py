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
    "shared_by_partner": "What a partner shared",
    "therapist_client": "A therapist's client page",
    "caseload": "The therapist's caseload",
    "therapist_sessions": "A client's sessions, with the forms to record and plan one",
    "session_note": "A private note on the last session",
    "questionnaires": "A client's questionnaires",
    "questionnaire": "A questionnaire to answer (GET)",
}


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


def build_plan(*, seed: int, users: int) -> Plan:
    """Sessions and requests for every measured page; about USERS clients, their therapists."""
    from interlude.homework.access import assignments_for_client
    from interlude.sharing.person import Person

    rng = random.Random(seed)
    clients = _clients(rng, users)
    plan = Plan(pages={name: [] for name in PAGES})
    plan.pages["floor"].append(Request("GET", FLOOR))
    therapist_cookies: dict[int, str] = {}
    for kind, client in clients:
        csrf = get_random_string(32, CSRF_ALLOWED)
        cookie = _session_for(client, csrf)
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
    plan.users = {"clients": len(clients), "therapists": len(therapist_cookies)}
    return plan


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
