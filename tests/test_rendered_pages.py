"""No template code, and no request to another site, ever reaches a page.

Django treats ``{# ... #}`` as a comment only when it fits on one line: a two-line one is printed as
text (this once put a comment above every rating block, and its ``<input>`` became a real,
unlabelled input). Every GET page in the permission matrix is rendered as each role that gets a
200, and no ``{#``, ``#}``, ``{%``, ``%}``, ``{{`` or ``}}`` may appear in it outside attributes
meant to carry JSON; nor may it make the browser fetch anything from another site.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_no_third_party_requests import EXTERNAL, FETCHING
from tests.test_permission_matrix import MATRIX, ROLES, World, answer

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "interlude").glob("*/templates"))]
TEMPLATE_CODE = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
# Attributes whose values are JSON or similar for scripts to read (htmx's hx-vals and hx-headers,
# any data-* attribute), stripped before scanning.
CODE_ATTRIBUTES = re.compile(
    r"""\s(?:hx-vals|hx-headers|data-[\w-]+)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE
)
# Pages whose GET parameters show a second screen: also rendered with them.
ALSO_WITH = {"assign": lambda ctx: {"exercise": ctx["builtin"]}}
PAGES = sorted(name for name, case in MATRIX.items() if 200 in case.get.values())


# Data for scripts (Django's json_script), which may well hold "}}".
JSON_SCRIPTS = re.compile(r"<script[^>]*application/json[^>]*>.*?</script>", re.S | re.I)


def leaks(html: str) -> list[str]:
    """Each piece of template code in HTML, with a little of what surrounds it."""
    scanned = CODE_ATTRIBUTES.sub(" ", JSON_SCRIPTS.sub(" ", html))
    return [
        repr(scanned[max(0, found.start() - 60) : found.end() + 60])
        for found in TEMPLATE_CODE.finditer(scanned)
    ]


def test_leaks_finds_template_code_but_not_json_attributes():
    assert leaks("<p>{# a comment\n that runs on #}</p>")
    assert leaks("<p>{{ name }}</p>") and leaks("<p>{% if x %}</p>")
    assert not leaks("""<button hx-vals='{"a": {"b": 1}}' data-x="{{}}">Go</button>""")


def fetches_elsewhere(html: str) -> list[str]:
    """Each URL on another site the page would make the browser fetch (a link the person
    chooses to follow, such as quick exit, is not a fetch)."""
    page = html.replace(f'href="{settings.QUICK_EXIT_URL}"', "")
    return [m.group(0) for m in FETCHING.finditer(page) if EXTERNAL.search(page[m.start() :])]


def repeated_ids(html: str) -> list[str]:
    """Element ids used more than once: a label or an error would then reach another field."""
    seen = Counter(re.findall(r'\sid="([^"]+)"', html))
    return sorted(i for i, n in seen.items() if n > 1)


def test_repeated_ids_are_found():
    assert repeated_ids('<input id="id_day"><input id="id_day">') == ["id_day"]
    assert repeated_ids('<input id="id_day"><input id="id_plan_day">') == []


def test_fetches_elsewhere_finds_a_cdn_but_not_a_link_out():
    assert fetches_elsewhere('<script src="https://cdn.example.com/htmx.js"></script>')
    assert fetches_elsewhere("<style>@import url(//fonts.example.com/a.css)</style>")
    assert not fetches_elsewhere(f'<a href="{settings.QUICK_EXIT_URL}">Exit</a>')


@pytest.mark.parametrize("name", PAGES)
def test_it_renders_no_template_code_and_fetches_nothing_elsewhere(
    name: str, world: World, db: None
) -> None:
    case = MATRIX[name]
    cast, ctx = world.cast, world.ctx
    url = reverse(name, kwargs=case.kwargs(cast, ctx))
    problems = []
    for role in ROLES:
        if case.get[role] != 200:
            continue
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        queries = [{}]
        if name in ALSO_WITH:
            queries.append(ALSO_WITH[name](ctx))
        for query in queries:
            target = url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
            response = answer(client, "get", target, {})
            assert response.status_code == 200, f"{name} {query} as {role}: {response.status_code}"
            html = response.content.decode()
            problems += [f"{role} {query}: {leak}" for leak in leaks(html)]
            problems += [f"{role} {query}: fetches {u}" for u in fetches_elsewhere(html)]
            problems += [f"{role} {query}: id {i!r} twice" for i in repeated_ids(html)]
    if problems:
        pytest.fail(f"On {name} ({url}):\n" + "\n".join(problems), pytrace=False)


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
