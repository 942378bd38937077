"""The guides' part of a client's page for their therapist: which guides the client used, and
a way to choose what each guide exercise offers first."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.guides.access import guide_assignments_for_therapist, guide_kind, uses_for_therapist
from interlude.guides.models import GuideDefault
from interlude.guides.plans import choose, describe
from interlude.lib.workspace import Section

TIMES = {1: "once", 2: "twice"}


def times(n: int) -> str:
    return TIMES.get(n, f"{n} times")


# Asked for its section only when the client was given an exercise that opens it.
SHOWN_FOR = frozenset({"guide"})


def section(therapist: User, client: User, since: datetime | None) -> Section | None:
    assignments = guide_assignments_for_therapist(therapist, client)
    uses = uses_for_therapist(therapist, client)
    if since is not None:
        uses = uses.filter(created_at__gt=since)
    counted = list(
        uses.values("kind", "minutes", "pattern", "outcome")
        .annotate(n=Count("id"))
        .order_by("kind", "minutes", "pattern", "outcome")
    )
    if not assignments and not counted:
        return None
    used: Counter[tuple[str, int, str]] = Counter()
    stopped: Counter[tuple[str, int, str]] = Counter()
    for row in counted:
        key = (row["kind"], row["minutes"], row["pattern"])
        used[key] += row["n"]
        if row["outcome"] == "stopped":
            stopped[key] += row["n"]
    when = f" since {date_format(timezone.localtime(since), 'j M')}" if since else ""
    sentences = []
    for key, n in sorted(used.items()):
        sentence = f"Used {describe(*key)} {times(n)}{when}"
        if stopped[key]:
            sentence += f" (stopped partway {times(stopped[key])})"
        sentences.append(sentence + ".")
    defaults = {
        d.assignment_id: d
        for d in GuideDefault.objects.filter(assignment__in=[a.pk for a in assignments])
    }
    rows = []
    for assignment in assignments:
        kind = guide_kind(assignment) or ""
        default = defaults.get(assignment.pk)
        choice = choose(
            kind,
            default_minutes=(
                (default.scan_minutes if kind == "body_scan" else default.breathing_minutes)
                if default
                else None
            ),
            default_pattern=default.pattern if default else "",
        )
        rows.append((assignment, describe(kind, choice.minutes, choice.pattern)))
    return Section(
        title="Guides",
        template="guides/_section.html",
        context={"sentences": sentences, "rows": rows},
        since=sentences,
        order=60,
    )
