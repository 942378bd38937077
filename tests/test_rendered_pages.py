"""No template code ever reaches a page.

Django treats ``{# ... #}`` as a comment only when it fits on one line: a two-line one is printed as
text (this once put a comment above every rating block, and its ``<input>`` became a real,
unlabelled input). Every GET page in the permission matrix is rendered as each role that gets a
200, and no ``{#``, ``#}``, ``{%``, ``%}``, ``{{`` or ``}}`` may appear in it outside attributes
meant to carry JSON.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from interlude.homework.actions import assignment_create
from interlude.invitations.models import Invitation
from interlude.journal.actions import journal_entry_create
from interlude.testing import make_exercise, make_invitation
from tests.test_permission_matrix import MATRIX, ROLES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "interlude").glob("*/templates"))]
TEMPLATE_CODE = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
# Attributes whose values are JSON or similar for scripts to read (htmx's hx-vals and hx-headers,
# any data-* attribute), stripped before scanning.
CODE_ATTRIBUTES = re.compile(
    r"""\s(?:hx-vals|hx-headers|data-[\w-]+)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE
)
# Pages whose GET parameters show a second screen: also rendered with them.
ALSO_WITH = {"assign": lambda ctx: {"exercise": ctx["exercise"]}}
PAGES = sorted(
    name for name, case in MATRIX.items() if case.method == "get" and 200 in case.expect.values()
)


def leaks(html: str) -> list[str]:
    """Each piece of template code in HTML, with a little of what surrounds it."""
    scanned = CODE_ATTRIBUTES.sub(" ", html)
    return [
        repr(scanned[max(0, found.start() - 60) : found.end() + 60])
        for found in TEMPLATE_CODE.finditer(scanned)
    ]


def test_leaks_finds_template_code_but_not_json_attributes():
    assert leaks("<p>{# a comment\n that runs on #}</p>")
    assert leaks("<p>{{ name }}</p>") and leaks("<p>{% if x %}</p>")
    assert not leaks("""<button hx-vals='{"a": {"b": 1}}' data-x="{{}}">Go</button>""")


@pytest.mark.parametrize("name", PAGES)
def test_it_renders_no_template_code(name, client, cast):
    case = MATRIX[name]
    # The same rows the permission matrix builds for its URLs.
    invitation, token = make_invitation(
        kind=Invitation.Kind.CLIENT, email="newcomer@example.test", by=cast.alice
    )
    key = Authenticator.objects.get(user=cast.mallory, type=Authenticator.Type.TOTP)
    entry = journal_entry_create(author=cast.bob, body="only mine", visibility="therapist")
    version = make_exercise()
    assignment = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.bob).couple
    )
    ctx = {
        "token": token,
        "inv": invitation.pk,
        "key": key.pk,
        "entry": entry.pk,
        "assignment": assignment.pk,
        "exercise": version.exercise_id,
    }
    url = reverse(name, kwargs=case.kwargs(cast, ctx))
    problems = []
    for role in ROLES:
        if case.expect[role] != 200:
            continue
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        queries = [case.data]
        if name in ALSO_WITH:
            queries.append(ALSO_WITH[name](ctx))
        for query in queries:
            response = client.get(url, query)
            assert response.status_code == 200, f"{name} {query} as {role}: {response.status_code}"
            problems += [f"{role} {query}: {leak}" for leak in leaks(response.content.decode())]
    if problems:
        pytest.fail(f"Template code on {name} ({url}):\n" + "\n".join(problems), pytrace=False)


def test_no_template_has_a_comment_over_several_lines():
    """A ``{#`` must close on its own line; longer comments use {% comment %}."""
    problems = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*")):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml", ".svg"}:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                for opened in re.finditer(r"\{#", line):
                    if "#}" not in line[opened.end() :]:
                        problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    if problems:
        pytest.fail(
            "These {# comments run over several lines, so Django prints them on the page; "
            "use {% comment %}...{% endcomment %}:\n" + "\n".join(problems),
            pytrace=False,
        )
