"""Reads for the therapist's workspace: the caseload (one row per client or couple, in a
constant number of queries for hundreds of clients) and the parts of a client's page that come
from several tools."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from interlude.accounts.models import User
from interlude.clinic.sections import caseload_parts
from interlude.consultations.queries import SessionTimes, read_moment, session_annotations
from interlude.couples.models import CoupleMember
from interlude.lib.workspace import moment_words
from interlude.measures.queries import open_alerts
from interlude.practice.models import ClientProfile

CASELOAD_PAGE = 50
# Every id in a URL is 18 digits at most; one reverse() for the whole caseload (a {% url %}
# for each of hundreds of clients was a quarter of the page's time, make bench's profile).
SENTINEL = 987_654_321_987_654_321


@dataclass(slots=True)
class Person:
    """One client in a caseload row: only what the row shows (hundreds of full model rows were
    a fifth of the page's time)."""

    id: int
    name: str
    times: SessionTimes
    url: str = ""
    since: list[str] = field(default_factory=list)
    had_session: bool = False

    @property
    def summary(self) -> str:
        """What happened since their last session, in neutral counts."""
        start = "since the last session" if self.had_session else "since they began"
        if not self.since:
            return f"Nothing noted {start}."
        return f"{start[0].upper()}{start[1:]}: {', '.join(self.since)}."


@dataclass(slots=True)
class CaseloadRow:
    """A client, or a linked couple, with what their therapist may want to see first."""

    people: list[Person]
    times: SessionTimes
    alerts: int = 0
    safety: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    note: str = ""  # about the couple: a partner not taking part
    html: SafeString = SafeString("")  # the row's inside, made for the rows shown only

    @property
    def attention(self) -> bool:
        return bool(self.alerts or self.safety)

    @property
    def name(self) -> str:
        return " and ".join(p.name for p in self.people)

    @property
    def sort_key(self) -> tuple[int, float, str]:
        group = 0 if self.alerts or self.safety else 1 if self.flags else 2
        if group == 2 and self.times.next is None:
            group = 3
        upcoming = self.times.next.timestamp() if self.times.next else float("inf")
        return (group, upcoming, self.name.casefold())


def _when(moment: datetime) -> str:
    return moment_words(moment, weekday=True, time=True)


def _row_html(row: CaseloadRow) -> SafeString:
    """One row's inside, made here with escape() and f-strings: the same in the template was
    most of the page's time, and with format_html still a tenth of it."""
    several = len(row.people) > 1
    names = " and ".join(f'<a href="{p.url}">{escape(p.name)}</a>' for p in row.people)
    note = f'<span class="small muted">{escape(row.note)}</span>' if row.note else ""
    parts = [
        f'<div class="caseload-row__who"><h2 class="caseload-row__name">{names}</h2>{note}</div>'
    ]
    if row.alerts:
        what = (
            "questionnaire answers to look at and acknowledge."
            if row.alerts > 1
            else "a questionnaire answer to look at and acknowledge."
        )
        parts.append(f'<p class="attention"><strong>Needs your attention:</strong> {what}</p>')
    parts += [f'<p class="attention">{escape(words)}</p>' for words in row.safety]
    last = _when(row.times.last) if row.times.last else "none recorded yet"
    upcoming = _when(row.times.next) if row.times.next else "none planned"
    parts.append(
        f'<p class="small caseload-row__sessions">Last session: {last} · Next: {upcoming}</p>'
    )
    for person in row.people:
        summary = person.summary
        if several:  # "Bob, since the last session: ..." / "Carol: nothing noted ..."
            rest = summary[0].lower() + summary[1:]
            joiner = ", " if rest.startswith("since") else ": "
            summary = f"{person.name}{joiner}{rest}"
        parts.append(f'<p class="small">{escape(summary)}</p>')
    if row.flags:
        flags = "".join(f"<li>{escape(flag)}</li>" for flag in row.flags)
        parts.append(f'<ul class="caseload-row__flags small">{flags}</ul>')
    # Every piece of text was escaped; URLs and dates are made here from ids and numbers.
    return mark_safe("".join(parts))  # noqa: S308


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    total: int  # rows matching the search, on every page
    page: int
    pages: int
    query: str
    clients: int  # everyone on the caseload, searched or not


def _couples(ids: QuerySet[Any]) -> tuple[dict[int, int], dict[int, str]]:
    """For clients in an open couple case: client -> linked partner (both agreed; whether both
    are on this caseload is the caller's to check), and client -> the label of a partner not
    taking part."""
    places = list(
        CoupleMember.objects.filter(
            couple__in=CoupleMember.objects.filter(
                client_id__in=ids, couple__ended_at__isnull=True
            ).values("couple_id"),
            couple__ended_at__isnull=True,
        )
        .exclude(status=CoupleMember.Status.LEFT)
        .annotate(
            agreed=ExpressionWrapper(Q(consented_at__isnull=False), output_field=BooleanField())
        )
        .values_list("couple_id", "client_id", "status", "agreed", "label")
    )
    by_couple: dict[int, list[tuple[int | None, str, bool, str]]] = {}
    for couple_id, client_id, status, agreed, label in places:
        by_couple.setdefault(couple_id, []).append((client_id, status, agreed, label))
    partner: dict[int, int] = {}
    away: dict[int, str] = {}
    for members in by_couple.values():
        linked = [
            m[0]
            for m in members
            if m[0] is not None and m[1] == CoupleMember.Status.ACTIVE and m[2]
        ]
        if len(linked) == 2:
            partner[linked[0]], partner[linked[1]] = linked[1], linked[0]
        absent = next((m for m in members if m[1] == CoupleMember.Status.NOT_TAKING_PART), None)
        if absent is not None:
            for m in members:
                if m[0] is not None:
                    away[m[0]] = absent[3] or "their partner"
    return partner, away


def _mine(therapist: User) -> QuerySet[ClientProfile]:
    """The therapist's caseload as practice.access.clients_of has it: their active clients."""
    return ClientProfile.objects.filter(therapist=therapist, user__is_active=True)


def _clients(therapist: User) -> list[Person]:
    """The caseload in name order: ids, names and each one's last and next session."""
    last, upcoming = session_annotations("user_id")
    found = (
        _mine(therapist)
        .annotate(last_session=last, next_session=upcoming)
        .order_by("user__name", "user__email")
        .values_list("user_id", "user__name", "user__email", "last_session", "next_session")
    )
    return [
        Person(id, name or email.split("@", 1)[0], SessionTimes(read_moment(a), read_moment(b)))
        for id, name, email, a, b in found
    ]


def caseload(therapist: User, *, query: str = "", page: int = 1) -> Caseload:
    """THERAPIST's clients, a linked couple on one row: last and next session, neutral counts
    of what happened since the last session, gentle flags and alerts. Rows with an alert come
    first, then rows with flags, then those with a session planned (soonest first), then the
    rest by name. Searched by name; CASELOAD_PAGE rows a page."""
    people = _clients(therapist)
    everyone = len(people)
    by_id = {p.id: p for p in people}
    partner, away = _couples(_mine(therapist).values("user_id"))
    rows: list[CaseloadRow] = []
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            continue
        members = [person]
        other = partner.get(person.id)
        if other is not None and other in by_id:
            members.append(by_id[other])
        seen.update(p.id for p in members)
        rows.append(
            CaseloadRow(
                people=members,
                times=SessionTimes(),
                note=f"{away[person.id]} is not taking part" if person.id in away else "",
            )
        )
    words = query.strip().casefold()
    if words:
        rows = [r for r in rows if any(words in p.name.casefold() for p in r.people)]
    since = MappingProxyType({p.id: p.times.last for r in rows for p in r.people})
    parts = caseload_parts(therapist, since) if since else {}
    alerts = open_alerts(therapist)  # the whole caseload's: a filter by id costs more
    for row in rows:
        if len(row.people) == 1:
            row.times = row.people[0].times
        else:
            lasts = [p.times.last for p in row.people if p.times.last is not None]
            nexts = [p.times.next for p in row.people if p.times.next is not None]
            row.times = SessionTimes(max(lasts, default=None), min(nexts, default=None))
        several = len(row.people) > 1
        for person in row.people:
            person.had_session = person.times.last is not None
            row.alerts += alerts.get(person.id, 0)
            for part in parts.get(person.id, []):
                person.since.extend(part.since)
                prefix = f"{person.name}: " if several else ""
                row.safety.extend(prefix + words for words in part.safety)
                row.flags.extend(prefix + words for words in part.flags)
    rows.sort(key=lambda r: r.sort_key)
    pages = max(1, -(-len(rows) // CASELOAD_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * CASELOAD_PAGE
    shown = rows[start : start + CASELOAD_PAGE]
    link = reverse("client_detail", args=[SENTINEL])
    for row in shown:
        for person in row.people:
            person.url = link.replace(str(SENTINEL), str(person.id))
        row.html = _row_html(row)
    return Caseload(
        rows=shown,
        total=len(rows),
        page=page,
        pages=pages,
        query=query.strip(),
        clients=everyone,
    )
