"""Homework's part of a client's page for their therapist (interlude/lib/workspace.py): what
happened with each exercise since the last session, in plain sentences built from the practice
log and the exercises' change history; gentle flags; and before/after charts per exercise.

Sentences describe; they never grade. Not practising is told as plainly as practising.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from interlude.accounts.models import User
from interlude.exercises.models import RATINGS
from interlude.homework.access import exercise_tools
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.homework.queries import (
    REASON_WORDS,
    TIMELINE_PAGE,
    AssignmentLine,
    assignment_lines,
    assignments_for_therapist_page,
    gentle_flags,
    log_for_therapist,
)
from interlude.lib.charts import Chart, Series, line_chart, trend_sentence
from interlude.lib.workspace import CaseloadPart, Section, count_since, moment_words, plural
from interlude.sharing.visibility import THERAPIST_CAN_READ

# "Since last session" reads this many entries one by one (the newest): more are counted, and
# the details (steps, reasons, ratings, flags, reflections) come from these.
SINCE_DETAIL = 40
CHART_TRIES = 12
# "Since last session" links to this many of the newest reflections (the log has the rest).
LINKED_REFLECTIONS = 8

OUTCOME = PracticeEntry.Outcome


def _day(moment: datetime) -> str:
    return moment_words(moment)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _title(assignment: Assignment) -> str:
    version = assignment.version
    title = version.title
    if version.stage and f"stage {version.stage}" not in title.lower():
        title = f"{title} (stage {version.stage})"
    return title


def _reasons(entries: list[PracticeEntry]) -> str:
    words: list[str] = []
    for entry in entries:
        for reason in entry.reasons:
            word = REASON_WORDS.get(reason, "Something else")
            if word not in words:
                words.append(word)
    return f" (“{'”, “'.join(words)}”)" if words else ""


def _ratings_sentence(entries: list[PracticeEntry]) -> list[str]:
    """Before → after on average for each scale rated both ways; a trend for SUDS."""
    oldest_first = list(reversed(entries))
    keys: list[str] = []
    for entry in oldest_first:
        for key in [*entry.ratings_before, *entry.ratings_after]:
            if key not in keys:
                keys.append(key)
    parts = []
    for key in keys:
        pairs = [
            (e.ratings_before[key], e.ratings_after[key])
            for e in oldest_first
            if key in e.ratings_before and key in e.ratings_after
        ]
        name = "SUDS" if key == "suds" else key.replace("_", " ")
        if pairs:
            before = sum(p[0] for p in pairs) / len(pairs)
            after = sum(p[1] for p in pairs) / len(pairs)
            top = RATINGS[key].top if key in RATINGS else 10
            how = "on average over " + plural(len(pairs), "try", "tries") if len(pairs) > 1 else ""
            parts.append(
                f"{name} {before:.3g} before → {after:.3g} after (of {top})"
                + (f", {how}" if how else "")
            )
        if key == "suds":
            values: list[float | None] = [
                float(e.ratings_before["suds"]) for e in oldest_first if "suds" in e.ratings_before
            ]
            if len(values) >= 2:
                parts.append(
                    trend_sentence(
                        values,
                        noun="SUDS before practising",
                        higher_is="worse",
                        scale_max=100,
                        worse_note="",
                    ).rstrip(".")
                )
    return parts


def _stage_lines(changes: list[AssignmentChange]) -> list[str]:
    """Stages opened or stepped back, from the change history (oldest first)."""
    lines = []
    for change in sorted(changes, key=lambda c: c.created_at):
        if change.kind != AssignmentChange.Kind.CHANGED or "stage" not in change.fields:
            continue
        when = _day(change.created_at)
        if change.by_id is not None:
            lines.append(f"you moved it to stage {change.stage} on {when}")
        elif change.reason.startswith("Your practice is back"):
            lines.append(f"stepped back to stage {change.stage} on {when}")
        else:
            lines.append(f"stage {change.stage} opened on {when} (they said they felt ready)")
    return lines


def assignment_sentence(
    assignment: Assignment,
    entries: list[PracticeEntry],
    changes: list[AssignmentChange],
    totals: Mapping[str, int] | None = None,
    *,
    had_session: bool = True,
) -> str:
    """What happened with one exercise since the last session, in one or two sentences. With
    TOTALS (outcome -> count, when there were more entries than are read one by one), the
    counts are those, and the details come from the latest ENTRIES."""
    title = _title(assignment)
    stages = _stage_lines(changes)
    done = [e for e in entries if e.outcome == OUTCOME.COMPLETED]
    stopped = [e for e in entries if e.outcome == OUTCOME.STOPPED]
    not_now = [e for e in entries if e.outcome == OUTCOME.NOT_THIS_TIME]
    if totals is None:
        counts = {OUTCOME.COMPLETED: len(done), OUTCOME.STOPPED: len(stopped)}
        counts[OUTCOME.NOT_THIS_TIME] = len(not_now)
    else:
        counts = {outcome: totals.get(outcome, 0) for outcome in OUTCOME}
    noted = sum(counts.values())
    if not noted:
        sentence = f"{title}: nothing noted {'since the last session' if had_session else 'yet'}."
    else:
        partial = totals is not None and len(entries) < noted
        parts = []
        if counts[OUTCOME.COMPLETED]:
            parts.append(f"completed {_times(counts[OUTCOME.COMPLETED])}")
        if counts[OUTCOME.STOPPED]:
            steps = sorted({e.stopped_at_step for e in stopped if e.stopped_at_step})
            at = f" at step {', '.join(map(str, steps))}" if steps and not partial else ""
            reasons = _reasons(stopped) if not partial else ""
            parts.append(f"stopped partway {_times(counts[OUTCOME.STOPPED])}{at}{reasons}")
        if counts[OUTCOME.NOT_THIS_TIME]:
            reasons = _reasons(not_now) if not partial else ""
            parts.append(f"not this time {_times(counts[OUTCOME.NOT_THIS_TIME])}{reasons}")
        sentence = f"{title}: noted {_times(noted)}: {'; '.join(parts)}."
        details = []
        if partial and entries:
            steps = sorted({e.stopped_at_step for e in stopped if e.stopped_at_step})
            if steps:
                details.append(f"stopped at step {', '.join(map(str, steps))}")
            reasons = _reasons(stopped + not_now).strip(" ()")
            if reasons:
                details.append(f"reasons given: {reasons}")
        details += _ratings_sentence(entries)
        if details:
            lead = f"In the latest {len(entries)}: " if partial else ""
            sentence += f" {lead}" + "; ".join(details) + "."
    if stages:
        sentence += " The stage: " + "; ".join(stages) + "."
    return sentence


def _entries_since(therapist: User, client: User, since: datetime | None) -> list[PracticeEntry]:
    """The newest SINCE_DETAIL entries since SINCE, newest first."""
    found = log_for_therapist(therapist, client)
    if since is not None:
        found = found.filter(practised_at__gt=since)
    return list(found[:SINCE_DETAIL])


def _totals_since(
    client: User, assignments: list[Assignment], since: datetime | None
) -> dict[int, dict[str, int]]:
    """How many of each outcome each assignment has since SINCE (one grouped query)."""
    found = PracticeEntry.objects.filter(client=client, assignment__in=assignments)
    if since is not None:
        found = found.filter(practised_at__gt=since)
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for assignment_id, outcome, count in (
        found.values("assignment_id", "outcome")
        .annotate(n=Count("pk"))
        .values_list("assignment_id", "outcome", "n")
        .order_by()
    ):
        totals[assignment_id][outcome] = count
    return totals


def _timeline_link(url: str, position: int, entry: PracticeEntry) -> str:
    page = position // TIMELINE_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{url}{query}#entry-{entry.pk}"


def _flag_words(text: str, entry: PracticeEntry) -> SafeString:
    """A flag with the exercise and stage it came from, and when."""
    title = entry.version.title
    if entry.stage and f"stage {entry.stage}" not in title.lower():
        title = f"{title} (stage {entry.stage})"
    return format_html(
        '<strong>{}</strong> <span class="small muted">· {} · {}</span>',
        text,
        title,
        _day(entry.practised_at),
    )


def charts(therapist: User, client: User) -> list[Chart]:
    """Before and after, per try, for each current exercise's first scale (its latest tries),
    for the client's progress page."""
    current = list(
        assignments_for_therapist_page(therapist, client)
        .exclude(status=Assignment.Status.DISCARDED)
        .order_by("status", "-updated_at")
    )
    if not current:
        return []
    recent = (
        PracticeEntry.objects.filter(client=client, assignment__in=current)
        .annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("assignment_id")],
                order_by=[F("practised_at").desc(), F("pk").desc()],
            )
        )
        .filter(n__lte=CHART_TRIES)
        .only("assignment_id", "practised_at", "ratings_before", "ratings_after", "outcome")
        .order_by("assignment_id", "practised_at", "pk")
    )
    by_assignment: dict[int, list[PracticeEntry]] = defaultdict(list)
    for entry in recent:
        by_assignment[entry.assignment_id].append(entry)
    found = []
    for assignment in current:
        entries = by_assignment.get(assignment.pk, [])
        keys = [
            k
            for k in dict.fromkeys(
                [*assignment.version.ratings_before, *assignment.version.ratings_after]
            )
            if k in RATINGS and any(k in e.ratings_before or k in e.ratings_after for e in entries)
        ]
        if not keys:
            continue
        key = keys[0]
        rating = RATINGS[key]
        before: list[float | None] = [
            float(e.ratings_before[key]) if key in e.ratings_before else None for e in entries
        ]
        after: list[float | None] = [
            float(e.ratings_after[key]) if key in e.ratings_after else None for e in entries
        ]
        name = "SUDS" if key == "suds" else key.capitalize()
        label = name if key == "suds" else name.lower()
        found.append(
            line_chart(
                title=f"{_title(assignment)}: {label}, before and after",
                series=[Series("Before", before), Series("After", after)],
                x_labels=[_day(e.practised_at) for e in entries],
                y_min=0,
                y_max=rating.top,
                y_step=rating.top / 5 if rating.top == 100 else 2,
                y_label=f"{name} (0 to {rating.top})",
                x_heading="Tried",
                summary=trend_sentence(
                    before,
                    noun=f"{label} before practising",
                    higher_is="worse"
                    if key in ("anxiety", "suds", "tension", "pain")
                    else "better",
                    scale_max=rating.top,
                    worse_note="",
                ),
                chart_id=f"chart-exercise-{assignment.pk}",
            )
        )
    return found


# Every id in a URL is 18 digits at most: one reverse() for a whole list.
SENTINEL = 987_654_321_987_654_321


def _set_aside_html(lines: list[AssignmentLine]) -> SafeString:
    """A line for each exercise set aside, made here (a client with two years of exercises has
    dozens, and each in the template, with its link, cost more than the rest of the cards)."""
    link = reverse("assignment_change", args=[SENTINEL])
    rows = []
    for line in lines:
        assignment = line.assignment
        url = link.replace(str(SENTINEL), str(assignment.pk))
        title = escape(assignment.version.title)
        rows.append(
            f'<li class="row" id="assignment-{assignment.pk}"><span>{title} '
            f'<span class="small muted">· {escape(line.who)} · set aside</span></span>'
            f'<a href="{url}">Adjust<span class="visually-hidden"> {title}</span></a></li>'
        )
    # Every piece of text was escaped; URLs are made from ids.
    return mark_safe("".join(rows))  # noqa: S308


def section(therapist: User, client: User, since: datetime | None) -> Section:
    """Homework's part of the client's page: the exercises' cards (set aside ones as a line
    each), their since-last-session sentences, and gentle flags."""
    assignments = list(
        assignments_for_therapist_page(therapist, client).order_by("status", "-updated_at")
    )
    # Every entry since is counted; the newest are read one by one for the details.
    entries = _entries_since(therapist, client, since)[:SINCE_DETAIL]
    totals = _totals_since(client, assignments, since) if assignments else {}
    by_assignment: dict[int, list[PracticeEntry]] = defaultdict(list)
    for entry in entries:
        by_assignment[entry.assignment_id].append(entry)
    changes: dict[int, list[AssignmentChange]] = defaultdict(list)
    if assignments:
        found = AssignmentChange.objects.filter(
            assignment__in=assignments, kind=AssignmentChange.Kind.CHANGED
        )
        if since is not None:
            found = found.filter(created_at__gt=since)
        for change in found.order_by("-created_at")[:100]:
            changes[change.assignment_id].append(change)
    # An exercise used through its own tool (a check-in, a ladder, a desire map…) is told by
    # that tool's sentences; "nothing noted" here would read as if nothing had happened.
    tools = exercise_tools(therapist, client)
    lines = [
        assignment_sentence(
            a,
            by_assignment.get(a.pk, []),
            changes.get(a.pk, []),
            totals.get(a.pk, {}),
            had_session=since is not None,
        )
        for a in assignments
        if a.status != Assignment.Status.DISCARDED or a.pk in totals
        if a.pk in totals or changes.get(a.pk) or a.version.exercise_id not in tools
    ]
    # The newest few, opened one by one until there are enough (each is decrypted to see
    # whether anything was written).
    reflections: list[tuple[int, PracticeEntry]] = []
    for position, e in enumerate(entries):
        if e.visibility in THERAPIST_CAN_READ and e.reflection:
            reflections.append((position, e))
            if len(reflections) > LINKED_REFLECTIONS:
                break
    if reflections:
        url = reverse("client_detail", args=[client.pk])
        newest = reflections[:LINKED_REFLECTIONS]
        links: SafeString = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (_timeline_link(url, position, e), f"{_day(e.practised_at)} ({e.version.title})")
                for position, e in reversed(newest)
            ),
        )
        more = len(reflections) > len(newest)
        lines.append(
            format_html(
                "{} shared with you: {}{}.",
                "New reflections" if more else plural(len(reflections), "new reflection"),
                links,
                ", and more in the practice log" if more else "",
            )
        )
    # Flags from what happened since the session: what came before was there to talk about.
    new_flags = gentle_flags(entries)
    # Pressure or fear in work done together is raised with the person alone first.
    couple_work = {a.pk for a in assignments if a.couple_id}
    lines_of = assignment_lines(assignments, client)
    set_aside = [a for a in lines_of if a.assignment.status == Assignment.Status.DISCARDED]
    return Section(
        title="Exercises",
        template="clinic/sections/homework.html",
        context={
            "current": [a for a in lines_of if a.assignment.status != Assignment.Status.DISCARDED],
            "set_aside": len(set_aside),
            "set_aside_html": _set_aside_html(set_aside),
        },
        since=lines,
        flags=[_flag_words(f.text, f.entry) for f in new_flags if f.kind != "unsafe"],
        safety=[
            _flag_words(
                f"{f.text} during couple work: talk with them on their own first"
                if f.entry.assignment_id in couple_work
                else f.text,
                f.entry,
            )
            for f in new_flags
            if f.kind == "unsafe"
        ],
        order=10,
    )


def caseload(therapist: User, since: Mapping[int, datetime | None]) -> dict[int, CaseloadPart]:
    """Each client's tries, stops and "not this time" since their last session, and the flags
    that need no look back, in one query for the whole caseload (every entry of the client's,
    as the caseload holds only the therapist's own clients)."""
    outcome = '"outcome"'
    counts = count_since(
        PracticeEntry,
        since,
        client="client",
        at="practised_at",
        counts={
            "done": (f"found.{outcome} = %s", [OUTCOME.COMPLETED]),
            "stopped": (f"found.{outcome} = %s", [OUTCOME.STOPPED]),
            "not_now": (f"found.{outcome} = %s", [OUTCOME.NOT_THIS_TIME]),
            "unsafe": ('found."felt_unsafe"', []),
            "talk": ('found."wants_to_talk"', []),
            "too_much": (
                'CAST(found."reasons" AS TEXT) LIKE %s',
                [f'%"{PracticeEntry.Reason.TOO_MUCH}"%'],
            ),
        },
    )
    parts: dict[int, CaseloadPart] = {}
    for client_id, row in counts.items():
        words = []
        if row["done"]:
            words.append(plural(row["done"], "completed", "completed"))
        if row["stopped"]:
            words.append(plural(row["stopped"], "stopped partway", "stopped partway"))
        if row["not_now"]:
            words.append(plural(row["not_now"], "not this time", "not this time"))
        flags = []
        if row["too_much"]:
            flags.append("Said it felt like too much")
        if row["talk"]:
            flags.append("Would like to talk about changing an exercise")
        safety = ["Said they felt pressured or unsafe"] if row["unsafe"] else []
        parts[client_id] = CaseloadPart(since=words, flags=flags, safety=safety)
    return parts
