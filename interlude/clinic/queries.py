"""Reads for the therapist's workspace: the caseload (one row per client or couple, in a
constant number of queries for hundreds of clients) and the parts of a client's page that come
from several tools."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.clinic.sections import caseload_parts
from interlude.consultations.queries import SessionTimes, session_times
from interlude.couples.models import CoupleMember
from interlude.measures.queries import open_alerts
from interlude.practice.access import clients_of
from interlude.practice.models import ClientProfile

CASELOAD_PAGE = 50
# Every id in a URL is 18 digits at most; one reverse() for the whole caseload (a {% url %}
# for each of hundreds of clients was a quarter of the page's time, make bench's profile).
SENTINEL = 987_654_321_987_654_321


@dataclass
class Person:
    """One client in a caseload row."""

    profile: ClientProfile
    url: str
    since: list[str] = field(default_factory=list)
    had_session: bool = False

    @property
    def summary(self) -> str:
        """What happened since their last session, in neutral counts."""
        start = "since the last session" if self.had_session else "since they began"
        if not self.since:
            return f"Nothing noted {start}."
        return f"{start[0].upper()}{start[1:]}: {', '.join(self.since)}."


@dataclass
class CaseloadRow:
    """A client, or a linked couple, with what their therapist may want to see first."""

    people: list[Person]
    times: SessionTimes
    alerts: int = 0
    safety: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    note: str = ""  # about the couple: a partner not taking part

    @property
    def name(self) -> str:
        return " and ".join(p.profile.user.display_name for p in self.people)

    @property
    def sort_key(self) -> tuple[int, float, str]:
        group = 0 if self.alerts or self.safety else 1 if self.flags else 2
        if group == 2 and self.times.next is None:
            group = 3
        upcoming = self.times.next.timestamp() if self.times.next else float("inf")
        return (group, upcoming, self.name.casefold())

    @property
    def last(self) -> str:
        return _when(self.times.last) if self.times.last else "none recorded yet"

    @property
    def next(self) -> str:
        return _when(self.times.next) if self.times.next else "none planned"


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "D j M, H:i")


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    total: int  # rows matching the search, on every page
    page: int
    pages: int
    query: str
    clients: int  # everyone on the caseload, searched or not


def _couples(ids: list[int]) -> tuple[dict[int, int], dict[int, str]]:
    """For clients in an open couple case: client -> linked partner (both agreed, both on this
    caseload checked by the caller), and client -> the label of a partner not taking part."""
    places = list(
        CoupleMember.objects.filter(
            couple__in=CoupleMember.objects.filter(
                client_id__in=ids, couple__ended_at__isnull=True
            ).values("couple_id"),
            couple__ended_at__isnull=True,
        )
        .exclude(status=CoupleMember.Status.LEFT)
        .values_list("couple_id", "client_id", "status", "consented_at", "label")
    )
    by_couple: dict[int, list[tuple[int | None, str, datetime | None, str]]] = {}
    for couple_id, client_id, status, consented, label in places:
        by_couple.setdefault(couple_id, []).append((client_id, status, consented, label))
    partner: dict[int, int] = {}
    away: dict[int, str] = {}
    for members in by_couple.values():
        linked = [
            m[0]
            for m in members
            if m[0] is not None and m[1] == CoupleMember.Status.ACTIVE and m[2] is not None
        ]
        if len(linked) == 2:
            partner[linked[0]], partner[linked[1]] = linked[1], linked[0]
        absent = next((m for m in members if m[1] == CoupleMember.Status.NOT_TAKING_PART), None)
        if absent is not None:
            for m in members:
                if m[0] is not None:
                    away[m[0]] = absent[3] or "their partner"
    return partner, away


def caseload(therapist: User, *, query: str = "", page: int = 1) -> Caseload:
    """THERAPIST's clients, a linked couple on one row: last and next session, neutral counts
    of what happened since the last session, gentle flags and alerts. Rows with an alert come
    first, then rows with flags, then those with a session planned (soonest first), then the
    rest by name. Searched by name; CASELOAD_PAGE rows a page."""
    profiles = clients_of(therapist)
    everyone = len(profiles)
    link = reverse("client_detail", args=[SENTINEL])
    by_id = {p.user_id: p for p in profiles}
    partner, away = _couples(list(by_id))
    rows: list[CaseloadRow] = []
    seen: set[int] = set()
    for profile in profiles:
        if profile.user_id in seen:
            continue
        members = [profile]
        other = partner.get(profile.user_id)
        if other is not None and other in by_id:
            members.append(by_id[other])
        seen.update(p.user_id for p in members)
        rows.append(
            CaseloadRow(
                people=[Person(p, link.replace(str(SENTINEL), str(p.user_id))) for p in members],
                times=SessionTimes(),
                note=(
                    f"{away[profile.user_id]} is not taking part" if profile.user_id in away else ""
                ),
            )
        )
    words = query.strip().casefold()
    if words:
        rows = [
            r
            for r in rows
            if any(
                words in p.profile.user.display_name.casefold()
                or words in p.profile.user.name.casefold()
                for p in r.people
            )
        ]
    ids = [p.profile.user_id for r in rows for p in r.people]
    times = session_times(ids)
    since = {i: times[i].last if i in times else None for i in ids}
    parts = caseload_parts(therapist, since) if ids else {}
    alerts = open_alerts(therapist, ids) if ids else {}
    for row in rows:
        own = [times[p.profile.user_id] for p in row.people if p.profile.user_id in times]
        lasts = [t.last for t in own if t.last is not None]
        nexts = [t.next for t in own if t.next is not None]
        row.times = SessionTimes(max(lasts, default=None), min(nexts, default=None))
        for person in row.people:
            client_id = person.profile.user_id
            person.had_session = since.get(client_id) is not None
            row.alerts += alerts.get(client_id, 0)
            for part in parts.get(client_id, []):
                person.since.extend(part.since)
                prefix = f"{person.profile.user.display_name}: " if len(row.people) > 1 else ""
                row.safety.extend(prefix + words for words in part.safety)
                row.flags.extend(prefix + words for words in part.flags)
    rows.sort(key=lambda r: r.sort_key)
    pages = max(1, -(-len(rows) // CASELOAD_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * CASELOAD_PAGE
    return Caseload(
        rows=rows[start : start + CASELOAD_PAGE],
        total=len(rows),
        page=page,
        pages=pages,
        query=query.strip(),
        clients=everyone,
    )
