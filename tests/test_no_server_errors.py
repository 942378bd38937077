"""Ordinary bad input never answers 500, and nothing a person typed is lost on the way.

Property tests (hypothesis) first: every form in the permission matrix is posted, by each
person who may post it, with random and extreme values built from the form's real fields (read
off the page that holds the form): empty, very long (100 kB to 2 MB), right-to-left marks,
combining marks, emoji, NUL, numbers far outside any column, floats, several values for one
field, fields nobody asked for. Mostly a valid form with a few fields spoilt, so what happens
after validation is reached too. The query parameters and free-text path segments the views
read are tried the same way, and every id in a URL with numbers no database holds. Then the
cases once reported as 500s, each on its own, and the forms' bounds.

A form given back with its errors (200 or 400) keeps every word typed into it: each text field
carries a short marker, and the marker must be on the page that comes back (passwords aside).

What still answers 500 because its cause lies outside this change is listed, narrowly, in
KNOWN_500S (and typed text a page drops in KNOWN_LOST_TEXT), each with a test that fails once
it is fixed.

The cast is built once for the module and each request is rolled back (the permission matrix's
``answer``). Examples are derandomized, so a run in CI tries exactly what a run here tried.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interlude.exercises.access import latest_version
from interlude.exercises.models import Exercise, ExerciseVersion
from interlude.homework.actions import assignment_create
from interlude.homework.forms import AfterForm, AssignForm, BeforeForm, ChangeForm
from interlude.homework.models import Assignment, PracticeEntry
from interlude.lib.converters import MAX_ID, IdConverter
from interlude.onboarding.forms import (
    InviteForm,
    LinkConsentForm,
    PartnerNotTakingPartForm,
    TherapistSignupForm,
)
from interlude.testing import PASSWORD
from tests.test_permission_matrix import (
    EXERCISE_FORM,
    LOGIN,
    MATRIX,
    ROLES,
    Reauth,
    World,
    answer,
    confirm_who_you_are,
)

# --- Who may post where, and which page holds the form -------------------------------------

Kwargs = Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Host:
    """The page that offers a form: its URL name, its kwargs, and a query string if needed."""

    name: str
    kwargs: Kwargs = lambda cast, ctx: {}
    query: Callable[[dict[str, Any]], str] = lambda ctx: ""


_couple_work: Kwargs = lambda cast, ctx: {"assignment_id": ctx["assignment"]}  # noqa: E731
_first_step: Kwargs = lambda cast, ctx: {"assignment_id": ctx["assignment"], "number": 1}  # noqa: E731
_dave: Kwargs = lambda cast, ctx: {"client_id": cast.dave.pk}  # noqa: E731
_bob: Kwargs = lambda cast, ctx: {"client_id": cast.bob.pk}  # noqa: E731

# Something that is only done (POST) is offered on another page, and the assignment form only
# once an exercise is chosen: the form's fields are read there.
HOSTS: dict[str, Host] = {
    "assign": Host("assign", _bob, lambda ctx: f"?exercise={ctx['builtin']}"),
    "client_partner_invite": Host("client_detail", _dave),
    "client_partner_not_taking_part": Host("client_detail", _dave),
    "partner_invite": Host("partner"),
    "couple_consent": Host("partner"),
    "journal_entry_delete": Host(
        "journal_entry_edit", lambda cast, ctx: {"entry_id": ctx["entry"]}
    ),
    "consent_toggle": Host("privacy"),
    "exercise_copy": Host("exercise_detail", lambda cast, ctx: {"exercise_id": ctx["builtin"]}),
    "practice_stop": Host("practice_step", _first_step),
    "practice_pause": Host("practice_step", _first_step),
    "practice_undo": Host(
        "practice_entry_after", lambda cast, ctx: {"entry_id": ctx["practice_entry"]}
    ),
    "stage_not_ready": Host("practice", _couple_work),
    "stage_back": Host("practice", _couple_work),
    "practice_draft": Host("practice_after", _couple_work),
    "invitation_revoke": Host("caseload"),
}

# Query parameters the views read (the rest of a query string is ignored by every view).
QUERIES: dict[str, list[str]] = {
    "assign": ["exercise"],
    "practice_after": ["outcome"],
    "privacy_export": ["download"],
    "exercise_library": ["family", "suits", "intensity"],
    "account_login": ["next"],
    "account_signup": ["next"],
    "account_reauthenticate": ["next"],
}

# Path segments that are free text (every id has the `id` converter, tried on its own below).
PATH_TEXT: dict[str, list[str]] = {
    "invitation_accept": ["token"],
    "consent_toggle": ["kind", "turn"],
    "account_confirm_email": ["key"],
    "account_reset_password_from_key": ["uidb36", "key"],
}

REFUSED_CODES = (404, 405, LOGIN)


def _expected(expect: Any) -> Any:
    return expect.then if isinstance(expect, Reauth) else expect


def roles_who_may(name: str, method: str) -> list[str]:
    """The roles whose answer is the page or the action itself, not 'not found' or 'sign in'."""
    expect = getattr(MATRIX[name], method)
    return [role for role in ROLES if _expected(expect[role]) not in REFUSED_CODES]


def _pairs(method: str, names: list[str]) -> list[tuple[str, str]]:
    return [(name, role) for name in names for role in roles_who_may(name, method)]


POSTED = sorted(name for name in MATRIX if roles_who_may(name, "post"))
POST_PAIRS = _pairs("post", POSTED)
QUERY_PAIRS = _pairs("get", sorted(QUERIES))
PATH_CASES = [
    (name, role, method)
    for name in sorted(PATH_TEXT)
    for method in ("get", "post")
    for role in roles_who_may(name, method)
]


def _examples(name: str, method: str, total: int, least: int = 3) -> int:
    """About TOTAL examples per URL, shared among the roles who may use it (at least LEAST
    each)."""
    return max(least, total // len(roles_who_may(name, method)))


# --- Known 500s outside this change's reach --------------------------------------------------


@dataclass(frozen=True)
class Known500:
    """A 500 whose cause lies in code this change may not touch. It is excused only for URL,
    ROLES, an input for which WHEN holds, and the exception ERROR; REPRODUCER is one such input
    (test_each_known_500_is_still_there fails once it is fixed); WHERE names the code to fix."""

    url: str
    roles: tuple[str, ...]
    when: Callable[[dict[str, Any]], bool]
    error: str
    reproducer: dict[str, Any]
    where: str


def _last(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return str(value[-1] if isinstance(value, list) and value else value)


KNOWN_500S: list[Known500] = []

# Typed text a page does not give back, where the fix lies in a template this change may not
# touch: {(URL name, field): what to change}.
KNOWN_LOST_TEXT: dict[tuple[str, str], str] = {}


def _known_500(name: str, role: str, data: dict[str, Any], response: Any) -> Known500 | None:
    exc = getattr(response, "exc_info", None)
    error = type(exc[1]).__name__ if exc else ""
    return next(
        (
            k
            for k in KNOWN_500S
            if k.url == name and role in k.roles and k.error == error and k.when(data)
        ),
        None,
    )


# --- Reading a form off its page ------------------------------------------------------------

TEXT_KINDS = {"text", "email", "search", "url", "tel", "textarea"}


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "textarea", "select" or "button"
    values: list[str] = field(default_factory=list)  # what the page offers (choices, hidden)


class _Forms(HTMLParser):
    """Every <form>'s targets (action and hx-post) and fields."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[list[str], dict[str, Field]]] = []
        self._current: dict[str, Field] | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            targets = [a.get("action", ""), *([a["hx-post"]] if "hx-post" in a else [])]
            self._current = {}
            self.forms.append((targets, self._current))
            return
        if self._current is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.values.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset", "file"):
                return
            entry = self._current.setdefault(name, Field(name, kind))
            if kind in ("radio", "checkbox", "hidden"):
                entry.values.append(a.get("value", "on"))
        elif tag == "textarea":
            self._current.setdefault(name, Field(name, "textarea"))
        elif tag == "select":
            self._select = self._current.setdefault(name, Field(name, "select"))
        elif tag == "button":
            self._current.setdefault(name, Field(name, "button")).values.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def fields_posted_to(html: str, page_url: str, target: str) -> list[Field]:
    """The fields of every form on the page (at PAGE_URL) that posts to TARGET."""
    parser = _Forms()
    parser.feed(html)
    found: dict[str, Field] = {}
    for targets, fields in parser.forms:
        paths = [urlsplit(t).path or urlsplit(page_url).path for t in targets]
        if target in paths:
            found.update(fields)
    found.pop("csrfmiddlewaretoken", None)  # the test client does not check it
    return list(found.values())


def signed_in(role: str, world: World, reauth: bool = False) -> Client:
    client = Client()
    if role != "anonymous":
        user = getattr(world.cast, role)
        client.force_login(user)
        if reauth:
            confirm_who_you_are(client, user)
    return client


def _needs_reauth(name: str, method: str, role: str) -> bool:
    return isinstance(getattr(MATRIX[name], method)[role], Reauth)


def matrix_data(name: str, world: World) -> dict[str, Any]:
    """The permission matrix's data for NAME, with its ids filled in: a form that is accepted."""
    return {k: (str(world.ctx[v]) if v in world.ctx else v) for k, v in MATRIX[name].data.items()}


def url_of(name: str, world: World) -> str:
    return reverse(name, kwargs=MATRIX[name].kwargs(world.cast, world.ctx))


def fields_offered(role: str, host: Host, target: str, world: World) -> list[Field]:
    """The fields ROLE is offered for posting to TARGET, read from the HOST page."""
    page = reverse(host.name, kwargs=host.kwargs(world.cast, world.ctx))
    client = signed_in(role, world, reauth=_needs_reauth(host.name, "get", role))
    response = answer(client, "get", page + host.query(world.ctx), {})
    html = response.content.decode() if response.status_code == 200 else ""
    return fields_posted_to(html, page, target)


def form_fields(name: str, role: str, world: World) -> list[Field]:
    """The fields ROLE is offered for posting to NAME, read from the page that holds the form."""
    host = HOSTS.get(name, Host(name, MATRIX[name].kwargs))
    return fields_offered(role, host, url_of(name, world), world)


# --- Random and extreme values --------------------------------------------------------------

NUMBERS = [
    "-1",
    "0",
    "1",
    "3",
    "99999",
    "32767",
    "32768",
    "65536",
    "2147483648",
    str(MAX_ID),
    str(MAX_ID + 1),
    "99999999999999999999999",
    "-99999999999999999999999",
    "9" * 5000,  # past Python's limit for turning digits into an int
    "1e309",
    "-1e309",
    "1.5",
    "1,5",
    "nan",
    "inf",
    "-0",
    "²",
    "١٢",  # Arabic-Indic digits
    "１２",  # full-width digits
    " 7 ",
    "0x10",
    "1_000",
    "+3",
]
WORDS = [
    "",
    " ",
    "\u202eright to left\u202c",
    "שלום עולם",
    "e\u0301\u0302\u0303\u0304\u0305",
    "🫶🏽👩‍❤️‍👨",
    "\x00",
    "a\x00b",
    "\ufffd\ufffd",
    "\r\n\r\n",
    "\u200b\u200d\ufeff",
    "<script>alert(1)</script>",
    "'; drop table --",
    "{{ 7*7 }}",
    "%00%0a",
    "on",
    "true",
    "None",
    "delete",
    "[]",
    "../../etc/passwd",
    "ﬁ𝐛𝔠",  # compatibility forms
    "bob@example.test",
    "someone@exa\u0301mple.test",
]
EXTRA_NAMES = [
    "stopped_at_step",
    "step",
    "id",
    "pk",
    "user",
    "user_id",
    "client",
    "practice",
    "is_staff",
    "is_superuser",
    "kind",
    "outcome",
    "visibility",
    "stage",
    "submission",
    "next",
    "csrfmiddlewaretoken",
    "",
    "\x00",
    "名前",
]
_letters = st.characters(exclude_categories=["Cs"])  # lone surrogates cannot cross HTTP
scalar = st.one_of(
    st.sampled_from(NUMBERS),
    st.sampled_from(WORDS),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(_letters, max_size=30),
)
NEW_PASSWORD = "seven quiet harbour lanterns"
HUGE_SIZES = [100_000, 700_000, 2_000_000]
HUGE_CHUNKS = ["a", "word ", "é", "\u202e", "🫶", "line\n", "e\u0301"]


@dataclass(frozen=True)
class Huge:
    """A very long value, written out only when it is posted (so a failing example reads
    as one short line)."""

    start: str
    chunk: str
    size: int

    def __str__(self) -> str:
        return self.start + (self.chunk * (self.size // len(self.chunk) + 1))[: self.size]


def written_out(data: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Huge) else v for k, v in data.items()}


def marker(index: int) -> str:
    return f"typed{index}kept"


def _valid(f: Field, baseline: dict[str, Any], mark: str) -> Any:
    """A value the form accepts for F (from the matrix's data where it has one); text fields
    carry MARK."""
    given = baseline.get(f.name)
    if f.kind == "password":
        return PASSWORD if f.name in ("password", "oldpassword") else NEW_PASSWORD
    if f.kind == "email":
        return f"{mark}@example.test"
    if f.kind in TEXT_KINDS:
        return f"{given or 'A few words.'} {mark}"
    if given is not None:
        return given
    if f.kind == "number":
        return "1"
    offered = [v for v in f.values if v]
    return offered[0] if offered else "on"


def _junk(draw: st.DrawFn, f: Field, mark: str, huge: bool) -> Any:
    if f.kind not in TEXT_KINDS | {"password"}:
        return draw(scalar)
    if huge:
        return Huge(mark, draw(st.sampled_from(HUGE_CHUNKS)), draw(st.sampled_from(HUGE_SIZES)))
    return draw(scalar) + mark + draw(scalar)


@st.composite
def form_data(
    draw: st.DrawFn, fields: list[Field], baseline: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values for FIELDS, and a few fields nobody asked for. Mostly a valid form with up to
    three fields spoilt (so what happens after validation is tried too); sometimes every field
    is random. Returns the data and the marker typed into each text field: {name: marker}."""
    names = [f.name for f in fields]
    wild = draw(st.booleans()) if names else False
    spoilt = (
        set(names)
        if wild
        else draw(st.sets(st.sampled_from(names), max_size=3))
        if names
        else set()
    )
    texts = [f.name for f in fields if f.kind in TEXT_KINDS | {"password"} and f.name in spoilt]
    huge = draw(st.none() | st.sampled_from(texts)) if texts else None
    data: dict[str, Any] = {}
    typed: dict[str, str] = {}
    for index, f in enumerate(fields):
        mark = marker(index)
        if f.name not in spoilt:
            data[f.name] = _valid(f, baseline, mark)
        else:
            how = draw(st.sampled_from(["junk", "junk", "junk", "omit", "many"]))
            if how == "omit":
                continue
            if how == "many":
                data[f.name] = draw(
                    st.lists(scalar | st.sampled_from(f.values or [""]), max_size=25)
                )
                continue
            data[f.name] = _junk(draw, f, mark, huge=f.name == huge)
        if f.kind in TEXT_KINDS:
            typed[f.name] = mark
    extra = draw(
        st.dictionaries(st.sampled_from(EXTRA_NAMES), scalar | st.lists(scalar), max_size=3)
    )
    for name, value in extra.items():
        data.setdefault(name, value)
    return data, typed


SHARP_CHOICES = ["²", "-1", "99999", "99999999999999999999999", "1.5"]
SHARP_TEXTS = ["\nsecond line", "\x00"]


def sharp_examples(
    fields: list[Field], baseline: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Always tried, whatever hypothesis draws: each extreme number in every field that is not
    typed (the typed ones valid), two-line and NUL text in every typed one, and all text empty."""
    typed_fields = [(i, f) for i, f in enumerate(fields) if f.kind in TEXT_KINDS | {"password"}]
    other = [f for f in fields if f.kind not in TEXT_KINDS | {"password"}]
    valid = {f.name: _valid(f, baseline, marker(i)) for i, f in enumerate(fields)}
    typed = {f.name: marker(i) for i, f in typed_fields if f.kind != "password"}
    examples = []
    if other:
        examples += [({**valid, **{f.name: x for f in other}}, typed) for x in SHARP_CHOICES]
    if typed_fields:
        examples += [
            ({**valid, **{f.name: marker(i) + x for i, f in typed_fields}}, typed)
            for x in SHARP_TEXTS
        ]
        examples.append(({**valid, **{f.name: "" for _, f in typed_fields}}, {}))
    return examples


def _shows_field(html: str, name: str) -> bool:
    return f'name="{name}"' in html


class Browser:
    """ROLE's browser, signed in once (and having confirmed who they are, if REAUTH). Each
    request is rolled back and leaves the cookies as they were, so a sign-out, a deletion or a
    message from one example never reaches the next."""

    def __init__(self, role: str, world: World, reauth: bool = False) -> None:
        self.role = role
        self.client = signed_in(role, world, reauth=reauth)
        self.client.raise_request_exception = False

    def send(self, name: str, method: str, url: str, data: dict[str, Any]) -> Any:
        """The answer to one request to the URL named NAME. A server error comes back as a 500
        response (with its exc_info), or as None when KNOWN_500S lists it."""
        cache.clear()  # rate limits: each example starts with none counted
        data = written_out(data)
        cookies = copy.deepcopy(self.client.cookies)
        try:
            response = answer(self.client, method, url, data)
        finally:
            self.client.cookies = cookies
        if response.status_code >= 500 and _known_500(name, self.role, data, response):
            return None
        return response


def browser_for(name: str, method: str, role: str, world: World) -> Browser:
    return Browser(role, world, reauth=_needs_reauth(name, method, role))


def _problem(response: Any) -> str:
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code}: {exc[1]!r}" if exc else str(response.status_code)


FUZZ = settings(
    deadline=None,
    derandomize=True,  # CI tries exactly what a run here tried
    database=None,  # and nothing is written next to the code
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- Every form, as everyone who may post it -------------------------------------------------


def fuzz_posts(
    name: str,
    role: str,
    url: str,
    fields: list[Field],
    baseline: dict[str, Any],
    world: World,
    examples: int,
) -> None:
    """Post hypothesis's values for FIELDS to URL as ROLE (and, for the first role who may
    post there, the sharp examples): never a server error, never typed text lost."""
    browser = browser_for(name, "post", role, world)

    @settings(FUZZ, max_examples=examples)
    @given(drawn=form_data(fields, baseline))
    def posts(drawn: tuple[dict[str, Any], dict[str, str]]) -> None:
        data, typed = drawn
        response = browser.send(name, "post", url, data)
        if response is None:
            return
        assert response.status_code < 500, f"POST {url} as {role}: {_problem(response)}"
        if response.status_code in (200, 400) and "html" in response.get("Content-Type", ""):
            html = response.content.decode(errors="replace")
            lost = [
                n
                for n, mark in typed.items()
                if _shows_field(html, n) and mark not in html and (name, n) not in KNOWN_LOST_TEXT
            ]
            assert not lost, f"POST {url} as {role}: the page came back without {lost}"

    if role == roles_who_may(name, "post")[0]:
        for drawn in sharp_examples(fields, baseline):
            posts = example(drawn=drawn)(posts)
    posts()


@pytest.mark.parametrize(("name", "role"), POST_PAIRS)
def test_it_answers_every_form_without_a_server_error_and_keeps_what_was_typed(
    name: str, role: str, world: World, db: None
) -> None:
    fields = form_fields(name, role, world)
    # A page with no form for this person is posted only fields nobody asked for: a few do.
    examples = _examples(name, "post", 20, least=2) if fields else _examples(name, "post", 6, 1)
    url = url_of(name, world)
    fuzz_posts(name, role, url, fields, matrix_data(name, world), world, examples)


@pytest.fixture(scope="module")
def staged(world: World, django_db_blocker: Any) -> World:
    """The world, with sensate focus at stage 2 (of a programme in stages) given to bob and
    carol, so the forms and actions for stages have something to work on. Undone with the
    world at the end of the module."""
    with django_db_blocker.unblock():
        exercise = Exercise.objects.get(practice=None, slug="sensate-focus-stage-2")
        couple = world.cast.member(world.cast.bob).couple
        work = assignment_create(
            therapist=world.cast.alice, version=latest_version(exercise), couple=couple
        )
    ctx = {**world.ctx, "staged_exercise": exercise.pk, "staged": work.pk}
    return World(world.cast, ctx)


_staged: Kwargs = lambda cast, ctx: {"assignment_id": ctx["staged"]}  # noqa: E731

# Forms and actions that change once the work comes in stages: {URL name: (its kwargs, the
# page that holds the form, an accepted form)}.
STAGED: dict[str, tuple[Kwargs, Host, dict[str, Any]]] = {
    "assign": (
        _bob,
        Host("assign", _bob, lambda ctx: f"?exercise={ctx['staged_exercise']}"),
        {"exercise": "staged_exercise", "who": "client", "period": "week", "stage": "2"},
    ),
    "assignment_change": (
        _staged,
        Host("assignment_change", _staged),
        {"status": "active", "period": "week", "reason": "Slower.", "stage": "1", "held": "on"},
    ),
    "practice": (_staged, Host("practice", _staged), {"action": "start"}),
    "ready_for_next_stage": (_staged, Host("ready_for_next_stage", _staged), {}),
    "stage_not_ready": (_staged, Host("practice", _staged), {}),
    "stage_back": (_staged, Host("practice", _staged), {}),
}
STAGED_PAIRS = [(name, role) for name in STAGED for role in roles_who_may(name, "post")]


@pytest.mark.parametrize(("name", "role"), STAGED_PAIRS)
def test_it_answers_work_in_stages_without_a_server_error_and_keeps_what_was_typed(
    name: str, role: str, staged: World, db: None
) -> None:
    kwargs, host, data = STAGED[name]
    url = reverse(name, kwargs=kwargs(staged.cast, staged.ctx))
    fields = fields_offered(role, host, url, staged)
    baseline = {k: str(staged.ctx.get(v, v)) for k, v in data.items()}
    fuzz_posts(name, role, url, fields, baseline, staged, _examples(name, "post", 12))


# --- Query parameters and path segments -----------------------------------------------------

SHARP_VALUES = ["²", "-1", "0", "99999999999999999999999", "\x00", ""]


@pytest.mark.parametrize(("name", "role"), QUERY_PAIRS)
def test_it_reads_every_query_parameter_without_a_server_error(
    name: str, role: str, world: World, db: None
) -> None:
    url = url_of(name, world)
    params = QUERIES[name]
    browser = browser_for(name, "get", role, world)

    @settings(FUZZ, max_examples=_examples(name, "get", 10, least=2))
    @given(values=st.fixed_dictionaries({p: scalar | st.lists(scalar, max_size=3) for p in params}))
    def reads(values: dict[str, Any]) -> None:
        query = urlencode(values, doseq=True)
        response = browser.send(name, "get", f"{url}?{query}", {})
        assert response is not None and response.status_code < 500, (
            f"GET {url}?{query} as {role}: {_problem(response)}"
        )

    if role == roles_who_may(name, "get")[0]:
        for value in SHARP_VALUES:
            reads = example(values=dict.fromkeys(params, value))(reads)
    reads()


@pytest.mark.parametrize(("name", "role", "method"), PATH_CASES)
def test_it_reads_every_path_segment_without_a_server_error(
    name: str, role: str, method: str, world: World, db: None
) -> None:
    kwargs = MATRIX[name].kwargs(world.cast, world.ctx)
    sentinels = {k: f"Sentinel{n}For{k}" for n, k in enumerate(PATH_TEXT[name])}
    template = reverse(name, kwargs={**kwargs, **sentinels})
    segment = st.text(_letters, min_size=1, max_size=300) | st.sampled_from(
        [v for v in NUMBERS + WORDS if v]
    )
    browser = browser_for(name, method, role, world)

    @settings(FUZZ, max_examples=_examples(name, method, 10, least=2))
    @given(values=st.fixed_dictionaries(dict.fromkeys(PATH_TEXT[name], segment)))
    def reads(values: dict[str, str]) -> None:
        url = template
        for k, sentinel in sentinels.items():
            url = url.replace(sentinel, quote(values[k], safe=""))
        response = browser.send(name, method, url, {})
        assert response is not None and response.status_code < 500, (
            f"{method.upper()} {url} as {role}: {_problem(response)}"
        )

    reads()


# --- Ids in URLs ----------------------------------------------------------------------------


def path_converters() -> list[tuple[str, str, Any]]:
    """(URL name, parameter, converter) for every path parameter in the URL configuration."""
    found: list[tuple[str, str, Any]] = []

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                converters = getattr(pattern.pattern, "converters", {})
                found.extend((str(pattern.name), k, c) for k, c in converters.items())

    walk(get_resolver().url_patterns)
    return sorted(found, key=lambda t: (t[0], t[1]))


def _is_allauths(name: str) -> bool:
    return name.startswith(("account_", "mfa_", "usersessions_"))


NUMERIC_PARAMETERS = [
    (name, kwarg)
    for name, kwarg, converter in path_converters()
    if isinstance(converter, (IdConverter, IntConverter))
]
SENTINEL_ID = 987_654_321_987_654_321  # 18 digits, as every id in a URL
NOT_IDS = ["0", "00", "9" * 19, "99999999999999999999999", "-1", "²", "１", "1.0", "1e3"]


def test_every_number_in_interludes_own_urls_is_read_by_the_id_converter() -> None:
    ours = [(n, k, c) for n, k, c in path_converters() if not _is_allauths(n)]
    assert any(isinstance(c, IdConverter) for _, _, c in ours)
    plain_numbers = [(n, k) for n, k, c in ours if isinstance(c, IntConverter)]
    assert not plain_numbers, f"Use <id:...> for these, not <int:...>: {plain_numbers}"


def test_the_id_converter_reads_only_what_a_database_holds() -> None:
    converter = IdConverter()
    whole = re.compile(rf"\A(?:{converter.regex})\Z")
    assert whole.match("1") and whole.match("9" * 18)
    for text in ["9" * 19, "99999999999999999999999", "-1", "²", "١", "１", " 1", "1.0", ""]:
        assert not whole.match(text), text
    assert converter.to_python("9" * 18) == 10**18 - 1 <= MAX_ID
    for text in ["0", "000000000000000000"]:
        with pytest.raises(ValueError):
            converter.to_python(text)


@pytest.mark.parametrize("segment", NOT_IDS)
def test_a_url_with_an_id_no_database_holds_is_not_found(segment: str) -> None:
    with pytest.raises(Resolver404):
        resolve(f"/clients/{quote(segment)}/")


def _with_id(name: str, kwarg: str, segment: str, world: World) -> str:
    kwargs = {**MATRIX[name].kwargs(world.cast, world.ctx), kwarg: SENTINEL_ID}
    return reverse(name, kwargs=kwargs).replace(str(SENTINEL_ID), quote(segment))


def _user_of(name: str) -> str:
    """Someone who may use the URL, so that its row really is looked up."""
    return (roles_who_may(name, "get") or roles_who_may(name, "post") or ["alice"])[0]


@pytest.mark.parametrize(("name", "kwarg"), NUMERIC_PARAMETERS)
def test_every_id_in_a_url_is_not_found_rather_than_a_server_error(
    name: str, kwarg: str, world: World, db: None
) -> None:
    """The reported 500: ids such as 99999999999999999999999 (OverflowError on SQLite, out of
    range for bigint on PostgreSQL). Ids that cannot be a row are not found; the largest that
    can (18 digits) is looked up and answers as a missing row does."""
    role = _user_of(name)
    problems = []
    for method in ("get", "post"):
        browser = browser_for(name, method, role, world)
        for segment in ["0", "99999999999999999999999", "9" * 18]:
            response = browser.send(name, method, _with_id(name, kwarg, segment, world), {})
            fine = response is not None and (
                response.status_code == 404 if segment in NOT_IDS else response.status_code < 500
            )
            if not fine:
                problems.append(f"{method.upper()} {segment!r}: {_problem(response)}")
    assert not problems, f"{name} ({kwarg}) as {role}: " + "; ".join(problems)


# --- The cases reported as 500s -------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Several requests that build on each other, undone together at the end."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _latest_entry(world: World, role: str) -> PracticeEntry:
    return PracticeEntry.objects.filter(client=getattr(world.cast, role)).latest("pk")


def _steps(world: World) -> int:
    return len(Assignment.objects.get(pk=world.ctx["assignment"]).effective_steps)


@pytest.mark.parametrize("step", ["-1", "0", "99999", "²", "99999999999999999999999", "two"])
def test_a_stop_at_a_step_the_exercise_lacks_is_noted_at_one_it_has(
    step: str, world: World, db: None
) -> None:
    with rolled_back():
        client = signed_in("carol", world)
        url = reverse("practice_stop", args=[world.ctx["assignment"]])
        assert client.post(url, {"step": step}).status_code == 302
        assert _latest_entry(world, "carol").stopped_at_step in range(1, _steps(world) + 1)


@pytest.mark.parametrize("value", ["-1", "99999"])
def test_a_posted_stopped_at_step_is_not_read(value: str, world: World, db: None) -> None:
    """The reported 500: stopped_at_step=-1 broke the CHECK constraint and 99999 PostgreSQL's
    smallint. It is no field of the form: the step comes from where the practice stopped."""
    with rolled_back():
        client = signed_in("carol", world)
        url = reverse("practice_after", args=[world.ctx["assignment"]])
        data = {"outcome": "stopped", "visibility": "only_me", "stopped_at_step": value}
        assert client.post(url, data).status_code == 302
        assert _latest_entry(world, "carol").stopped_at_step is None


@pytest.mark.parametrize("step", ["-1", "99999", "²", "two", "99999999999999999999999"])
def test_a_step_kept_in_a_draft_is_always_a_step_of_the_exercise(
    step: str, world: World, db: None
) -> None:
    """A draft keeps what was posted; the step it keeps is one the exercise has, so the page
    that offers to carry on, and the record of a stop, never meet anything else."""
    assignment = world.ctx["assignment"]
    with rolled_back():
        client = signed_in("carol", world)
        draft = {"step": step, "before_anxiety": "²", "before_comfort": "99999"}
        assert client.post(reverse("practice_draft", args=[assignment]), draft).status_code == 302
        assert client.get(reverse("practice", args=[assignment])).status_code == 200
        after = {"outcome": "stopped", "visibility": "only_me"}
        response = client.post(reverse("practice_after", args=[assignment]), after)
        assert response.status_code == 302
        entry = _latest_entry(world, "carol")
        assert entry.stopped_at_step is None or 1 <= entry.stopped_at_step <= _steps(world)
        assert entry.ratings_before == {}  # neither was a number on its scale


def test_a_stop_after_a_draft_with_ratings_off_their_scale_is_noted(world: World, db: None) -> None:
    assignment = world.ctx["assignment"]
    with rolled_back():
        client = signed_in("carol", world)
        draft = {"before_anxiety": "²", "before_comfort": "99999"}
        client.post(reverse("practice_draft", args=[assignment]), draft)
        response = client.post(reverse("practice_stop", args=[assignment]), {"step": "2"})
        assert response.status_code == 302
        entry = _latest_entry(world, "carol")
        assert (entry.stopped_at_step, entry.ratings_before) == (2, {})


@pytest.mark.parametrize(("minutes", "words"), [("99999", "up to 600"), ("-1", "from 0")])
def test_minutes_beyond_any_practice_are_explained_and_the_note_kept(
    minutes: str, words: str, world: World, db: None
) -> None:
    """99999 minutes would overflow PostgreSQL's smallint; the form says how many fit."""
    client = signed_in("carol", world)
    url = reverse("practice_after", args=[world.ctx["assignment"]])
    data = {"outcome": "completed", "visibility": "only_me", "duration_minutes": minutes}
    response = answer(client, "post", url, {**data, "reflection": "Warm hands, slow breath."})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert "Warm hands, slow breath." in response.content.decode()


@pytest.mark.parametrize(
    ("exercise", "status"),
    [
        ("²", 200),  # isdigit() says yes, int() says no: the reported 500
        ("١٢", 200),
        ("99999999999999999999999", 200),
        ("-1", 200),
        ("", 200),
        ("999999999999999999", 404),  # a number a database holds, and no such exercise
    ],
)
def test_the_exercise_asked_for_in_the_query_is_read_as_plain_digits(
    exercise: str, status: int, world: World, db: None
) -> None:
    """Anything that is not an exercise's id shows the list to choose from."""
    client = signed_in("alice", world)
    url = reverse("assign", args=[world.cast.bob.pk]) + "?" + urlencode({"exercise": exercise})
    assert answer(client, "get", url, {}).status_code == status


def test_a_two_line_summary_is_explained_and_kept(world: World, db: None) -> None:
    client = signed_in("alice", world)
    client.raise_request_exception = False
    data = {**EXERCISE_FORM, "summary": "A slow scan from feet to head.\nNo goal at all."}
    response = answer(client, "post", reverse("exercise_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "No goal at all." in html and "Harbour body scan" in html
    assert "fits on one line" in html


def test_a_rating_ticked_twice_is_kept_once(world: World, db: None) -> None:
    client = signed_in("alice", world)
    data = {**EXERCISE_FORM, "ratings_before": ["calm", "calm"]}
    response = answer(client, "post", url_of("exercise_edit", world), data)
    assert response.status_code == 302


# --- Typed fields are bounded, in Interlude's words ------------------------------------------


def _our_forms() -> list[forms.Form]:
    version = ExerciseVersion.objects.filter(exercise__slug="body-scan").first()
    assert version is not None
    return [
        AssignForm(who=[("client", "Bob")], stages=[(1, "Stage 1")]),
        ChangeForm(stages=[(1, "Stage 1")]),
        AfterForm(version=version, allowed=["only_me"], labels={"only_me": "Only me"}),
        BeforeForm(version=version),
        InviteForm(),
        PartnerNotTakingPartForm(),
        TherapistSignupForm(),
        LinkConsentForm(),
    ]


def test_every_field_a_person_types_into_is_bounded_and_says_so_kindly(db: None) -> None:
    problems = []
    for form in _our_forms():
        for name, f in form.fields.items():
            where = f"{type(form).__name__}.{name}"
            if isinstance(f, forms.CharField) and (
                not f.max_length or "max_length" not in f.error_messages
            ):
                problems.append(f"{where}: a max_length, with its own message")
            if isinstance(f, forms.IntegerField):
                bounded = f.min_value is not None and f.max_value is not None
                if not bounded or not {"min_value", "max_value"} <= set(f.error_messages):
                    problems.append(f"{where}: min_value and max_value, with their own messages")
            for message in f.error_messages.values():
                if re.search(r"\b(should|fail|invalid)", str(message), re.IGNORECASE):
                    problems.append(f"{where}: {message!r} is not in our words")
    assert not problems, problems


# --- The known lists stay true ---------------------------------------------------------------


@pytest.mark.parametrize("known", KNOWN_500S, ids=lambda k: k.url)
def test_each_known_500_is_still_there(known: Known500, world: World, db: None) -> None:
    """When this fails, the cause was fixed: take the entry off KNOWN_500S."""
    role = known.roles[0]
    client = signed_in(role, world)
    client.raise_request_exception = False
    response = answer(client, "post", url_of(known.url, world), known.reproducer)
    assert response.status_code == 500
    assert _known_500(known.url, role, known.reproducer, response) is known


@pytest.mark.parametrize(("name", "field_name"), sorted(KNOWN_LOST_TEXT))
def test_each_known_loss_of_typed_text_is_still_there(
    name: str, field_name: str, world: World, db: None
) -> None:
    """When this fails, the page keeps what was typed now: take it off KNOWN_LOST_TEXT."""
    role = roles_who_may(name, "post")[0]
    browser = browser_for(name, "post", role, world)
    response = browser.send(name, "post", url_of(name, world), {field_name: "typed0kept"})
    html = response.content.decode()
    assert _shows_field(html, field_name) and "typed0kept" not in html
