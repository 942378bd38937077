"""A client's page for their therapist, gathered from the tools: "Since last session" at the
top (each tool's sentences, the questionnaires, what was shared), alerts and gentle flags, the
sessions, each tool's section, and one page of the practice log with the sessions set among
its entries. Constant queries however long the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from interlude.accounts.models import User
from interlude.clinic.sections import sections_for
from interlude.consultations.models import Consultation
from interlude.consultations.queries import (
    SessionsView,
    sessions_in,
    sessions_view,
    when_words,
)
from interlude.homework.queries import (
    TherapistClientView,
    TimelineItem,
    therapist_client_view,
)
from interlude.journal.access import entries_shared_with_therapist
from interlude.lib.workspace import Section, moment_words, plural
from interlude.measures.instruments import SAFETY_ITEM, answer_words
from interlude.measures.models import SafetyAlert
from interlude.practice.models import ClientProfile


@dataclass
class Alert:
    alert: SafetyAlert
    words: str


@dataclass
class SinceGroup:
    title: str
    lines: list[str]


@dataclass
class TimelineRow:
    """One row of the practice log: an entry, or a session between entries, as its list item
    (made here: in the template, the log's rows were a third of the page's rendering)."""

    at: datetime
    html: SafeString


def _entry_row(item: TimelineItem, readable: bool) -> TimelineRow:
    entry = item.entry
    parts = [format_html('<p class="entry-meta">{}</p>', item.meta)]
    if item.ratings:
        parts.append(format_html('<p class="ratings">{}</p>', item.ratings))
    if item.reasons:
        parts.append(format_html('<p class="small">{}</p>', item.reasons))
    if readable and entry.reflection:
        # Escaped, as the template's |linebreaks filter does.
        reflection = linebreaks(entry.reflection, autoescape=True)
        parts.append(format_html("<blockquote>{}</blockquote>", mark_safe(reflection)))  # noqa: S308
    return TimelineRow(
        entry.practised_at,
        format_html('<li id="entry-{}">{}</li>', entry.pk, mark_safe("".join(parts))),  # noqa: S308
    )


@dataclass
class ClientPage:
    view: TherapistClientView
    sections: list[Section]
    sessions: SessionsView
    last_session: Consultation | None
    since_heading: str
    since: list[SinceGroup] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    safety: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    page_url: str = ""


def _day(moment: datetime) -> str:
    return moment_words(moment)


def _alerts(therapist: User, client: User) -> list[Alert]:
    found = list(
        SafetyAlert.objects.filter(client=client, therapist=therapist, acknowledged_at__isnull=True)
        .select_related("response")
        .order_by("created_at")
    )
    words = answer_words()
    alerts = []
    for alert in found:
        answer = alert.response.answers[SAFETY_ITEM - 1]
        alerts.append(
            Alert(
                alert,
                f"On {when_words(alert.response.completed_at)}, {client.display_name} answered "
                f"the PHQ-9's ninth question (thoughts that they would be better off dead or of "
                f"hurting themselves) with “{words[answer]}”.",
            )
        )
    return alerts


def _journal_line(therapist: User, client: User, since: datetime | None) -> SafeString | None:
    shared = (
        entries_shared_with_therapist(therapist, client)
        .select_related(None)
        .only("pk", "created_at")
    )
    if since is not None:
        shared = shared.filter(created_at__gt=since)
    days = [e.created_at for e in shared.order_by("created_at")[:50]]
    if not days:
        return None
    return format_html(
        '{} shared with you ({}): <a href="{}">read {}</a>.',
        plural(len(days), "journal entry", "journal entries"),
        ", ".join(_day(d) for d in days),
        reverse("client_journal", args=[client.pk]),
        "it" if len(days) == 1 else "them",
    )


def _timeline(view: TherapistClientView, client: User, sessions: SessionsView) -> list[TimelineRow]:
    rows = [_entry_row(item, item.entry.pk in view.readable) for item in view.timeline]
    if not rows and view.page > 1:  # past the oldest page
        return []
    among = sessions.held_in(view.start, view.end)
    if among is None:
        among = sessions_in(client, view.start, view.end)
    for consultation in among:
        mode = consultation.get_mode_display().lower()
        words = f"Session · {when_words(consultation.at)} · {mode}"
        rows.append(
            TimelineRow(
                consultation.at,
                format_html(
                    '<li class="timeline__session"><p class="entry-meta"><strong>{}</strong>'
                    "</p></li>",
                    words,
                ),
            )
        )
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows


def client_page(
    therapist: User, profile: ClientProfile, *, page: int, partner: User | None
) -> ClientPage:
    client = profile.user
    sessions = sessions_view(profile, partner)
    last = sessions.last
    since = last.at if last is not None else None
    view = therapist_client_view(therapist, client, page)
    sections = sections_for(therapist, client, since)
    groups = [SinceGroup(s.title, list(s.since)) for s in sections if s.since]
    journal = _journal_line(therapist, client, since)
    if journal is not None:
        groups.append(SinceGroup("Journal", [journal]))
    heading = (
        f"Since the last session ({when_words(last.at)}, {last.get_mode_display().lower()})"
        if last is not None
        else "Since they began (no session recorded yet)"
    )
    return ClientPage(
        view=view,
        sections=sections,
        sessions=sessions,
        last_session=last,
        since_heading=heading,
        since=groups,
        alerts=_alerts(therapist, client),
        safety=[words for s in sections for words in s.safety],
        flags=[words for s in sections for words in s.flags],
        timeline=_timeline(view, client, sessions),
        page_url=reverse("client_detail", args=[client.pk]),
    )
