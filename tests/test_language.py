"""Homework is not pass/fail: no shaming words in any template, exercise text or Python string
a person reads.

Scans every file under templates/, every exercise content file (after removing template tags,
variables and comments: code, not words anyone reads), and every string in Interlude's Python
modules (form labels, help texts, choices, messages, errors) except docstrings and the
operator-facing modules named below. Matches whole words, ignoring case.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "interlude" / "exercises" / "content"
PACKAGE = ROOT / "interlude"
# Modules whose strings only an operator reads (command output, benchmark reports, backup
# errors), never a client or therapist on a page or in an e-mail.
OPERATOR_FACING = ("management/commands/", "bench/", "migrations/", "encryption/backup.py")
# The words and patterns the I-statement coach looks for in what a client types: never shown
# (its titles, explanations and reframes are, and tests/test_coach.py checks them).
LOOKED_FOR = ("coach/lexicon.py", "coach/forms.py", "coach/claims.py")

APOSTROPHE = "['’]"
SHAME = [
    "missed",
    "overdue",
    "failed",
    "fail",
    "fails",
    "failure",
    "failures",
    "streak",
    "streaks",
    "non-compliant",
    "noncompliant",
    "non-compliance",
    "noncompliance",
    r"incomplete\s+homework",
    "should",
    f"shouldn{APOSTROPHE}t",
    f"you\\s+didn{APOSTROPHE}t",
    r"you\s+did\s+not",
    "fix",
]
SHAME_RE = re.compile(r"(?<!\w)(?:" + "|".join(SHAME) + r")(?!\w)", re.IGNORECASE)

# Template code: {% comment %}…{% endcomment %}, {# … #}, {% … %}, {{ … }}, and HTML comments.
CODE_RE = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}|<!--.*?-->",
    re.DOTALL,
)


def words_to_check(text: str) -> str:
    """The text a person reads: template code replaced by a space."""
    return CODE_RE.sub(" ", text)


def shaming_words(text: str, *, path: str = "") -> list[str]:
    """Each shaming word or phrase found, with its line."""
    found = []
    for number, line in enumerate(words_to_check(text).splitlines(), start=1):
        for match in SHAME_RE.finditer(line):
            found.append(f"{path}:{number}: “{match.group(0)}” in: {line.strip()}")
    return found


def python_strings(source: str) -> list[tuple[int, str]]:
    """Every string constant in a module (f-string parts included), except docstrings."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def python_modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not any(
            part in p.relative_to(PACKAGE).as_posix() for part in OPERATOR_FACING + LOOKED_FOR
        )
    )


def scanned_files() -> list[Path]:
    files = [p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}]
    return sorted(files) + sorted(CONTENT.rglob("*.md"))


@pytest.mark.parametrize("path", scanned_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_it_finds_no_shaming_words(path):
    relative = str(path.relative_to(ROOT))
    found = shaming_words(path.read_text(encoding="utf-8"), path=relative)
    assert not found, "Pass/fail or shaming words in client-facing text:\n" + "\n".join(found)


def test_it_scans_templates_and_every_content_file():
    files = scanned_files()
    assert any(p.name == "base.html" for p in files)
    assert sum(p.suffix == ".md" for p in files) >= 44


@pytest.mark.parametrize(
    "bad",
    [
        "You missed Tuesday.",
        "2 exercises OVERDUE",
        "Practice failed",
        "Don't fail your streak!",
        "A 5-day streak",
        "Marked as non-compliant",
        "Noncompliant this week",
        "Incomplete   homework: 3",
        "You should practise daily.",
        "You shouldn’t skip this.",
        "You didn't finish.",
        "You didn’t do it",
        "you did not practise",
        "A failure to engage",
        "Let's fix this",
    ],
)
def test_it_catches_a_sample_bad_string(bad):
    assert shaming_words(bad), f"not caught: {bad!r}"
    assert shaming_words(f"<p>{bad}</p>"), f"not caught inside HTML: {bad!r}"


@pytest.mark.parametrize(
    "fine",
    [
        "{% if assignment.failed %}Not this time.{% endif %}",
        "{# we should never say this #}",
        "{% comment %}\nNo overdue badges.\n{% endcomment %}",
        "{{ streak_count }}",
        "<!-- missed -->",
        "A shoulder rub, a fixture, a prefix, unfailing care.",
        "Not this time is always fine.",
    ],
)
def test_it_ignores_template_code_and_other_words(fine):
    assert not shaming_words(fine), fine


@pytest.mark.parametrize("path", python_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_it_finds_no_shaming_words_in_python_strings(path):
    relative = str(path.relative_to(ROOT))
    found = [
        f"{relative}:{line}: {problem.split(': ', 2)[-1]}"
        for line, text in python_strings(path.read_text(encoding="utf-8"))
        for problem in shaming_words(text, path=relative)
    ]
    assert not found, "Pass/fail or shaming words in Python strings people read:\n" + "\n".join(
        found
    )


def test_it_reads_labels_choices_and_messages_but_not_docstrings():
    source = '''
"""A docstring may say what a test should do."""
from django import forms
class F(forms.Form):
    """So may this one: it should never be shown."""
    when = forms.CharField(label="When you missed it", help_text="Not streak")
CHOICES = [("late", "Overdue")]
def view(request):
    messages.success(request, f"You failed {n} times")
'''
    found = " ".join(text for _, text in python_strings(source) if shaming_words(text))
    for phrase in ("When you missed it", "Not streak", "Overdue", "You failed"):
        assert phrase in found
    assert "should" not in found


def test_it_scans_the_modules_people_read_and_not_the_operator_ones():
    modules = {str(p.relative_to(PACKAGE)) for p in python_modules()}
    assert {"homework/forms.py", "journal/forms.py", "onboarding/views.py"} <= modules
    assert not any(m.startswith(("bench/", "encryption/backup")) for m in modules)
