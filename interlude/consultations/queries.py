"""Reads for the therapist's pages: each client's last and next session (for a whole caseload
in two queries), and the sessions on one client's page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from interlude.accounts.models import User
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.lib.workspace import moment_words
from interlude.practice.models import ClientProfile

RECENT_SESSIONS = 8


@dataclass(frozen=True)
class SessionTimes:
    """A client's last session held and next one planned (either may be None)."""

    last: datetime | None = None
    next: datetime | None = None


def read_moment(value: Any) -> datetime | None:
    """A moment from `session_annotations`, read here rather than by Django's converter (ten
    times the cost, for hundreds of values a page): SQLite hands back the stored moment, naive
    UTC, as text or as a naive datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value  # type: ignore[no-any-return]


def session_annotations(client: str = "pk") -> tuple[Subquery, Subquery]:
    """The last session held and the next one planned, as subqueries for a query whose rows
    hold a client's id in the field CLIENT (read their values with read_moment). Each is read
    from the end of that client's own part of the attendance index: grouping all of a
    caseload's attendances took ten times as long."""
    now = timezone.now()
    own = Attendance.objects.filter(client_id=OuterRef(client))
    last = own.filter(status=Consultation.Status.HELD, at__lte=now).order_by("-at")
    upcoming = own.filter(status=Consultation.Status.PLANNED, at__gt=now).order_by("at")
    return (
        Subquery(last.values("at")[:1], output_field=CharField()),
        Subquery(upcoming.values("at")[:1], output_field=CharField()),
    )


def session_times(clients: Iterable[int] | QuerySet[Any]) -> dict[int, SessionTimes]:
    """Last held and next planned session of each client, in one query. CLIENTS is their ids,
    or a query of them (`.values("user_id")`)."""
    ids: Any = clients if isinstance(clients, QuerySet) else list(clients)
    last, upcoming = session_annotations()
    found = (
        User.objects.filter(pk__in=ids)
        .annotate(last_session=last, next_session=upcoming)
        .values_list("pk", "last_session", "next_session")
        .order_by()
    )
    return {
        client_id: SessionTimes(read_moment(at), read_moment(then))
        for client_id, at, then in found
        if at is not None or then is not None
    }


@dataclass
class SessionLine:
    consultation: Consultation
    when: str
    with_whom: str
    has_note: bool = False


@dataclass
class SessionsView:
    """The sessions part of a client's page: the next ones planned, the recent ones held."""

    upcoming: list[SessionLine] = field(default_factory=list)
    recent: list[SessionLine] = field(default_factory=list)
    more: bool = False  # more sessions were held than are shown
    last: Consultation | None = None  # the last session held: "since last session" starts here
    held: list[Consultation] = field(default_factory=list)  # the latest held, newest first
    held_all: bool = False  # HELD is every session held (not only the latest)

    def held_in(self, start: datetime | None, end: datetime | None) -> list[Consultation] | None:
        """The sessions held after START up to END, when those read already hold them all (a
        page of the log shows them among its entries); None when they may not."""
        if not self.held_all and (start is None or not self.held or self.held[-1].at > start):
            return None
        return [
            c for c in self.held if (start is None or c.at > start) and (end is None or c.at <= end)
        ]


def when_words(moment: datetime) -> str:
    return moment_words(moment, weekday=True, year=True, time=True)


def sessions_view(profile: ClientProfile, partner: User | None) -> SessionsView:
    """PROFILE's upcoming and recent sessions, each saying whether a private note was written
    in this client's record, and the last one held (one query however long the history)."""
    client = profile.user
    now = timezone.now()
    limit = RECENT_SESSIONS + 12
    found = list(
        Consultation.objects.filter(attendances__client=client)
        .filter(
            Q(status=Consultation.Status.HELD) | Q(status=Consultation.Status.PLANNED, at__gt=now)
        )
        .annotate(
            noted=Exists(ClinicalNote.objects.filter(consultation=OuterRef("pk"), profile=profile))
        )
        .order_by("-at", "-pk")[:limit]
    )
    held = [c for c in found if c.status == Consultation.Status.HELD]
    upcoming = sorted(
        (c for c in found if c.status == Consultation.Status.PLANNED), key=lambda c: c.at
    )[:3]
    recent = held[:RECENT_SESSIONS]

    def who(c: Consultation) -> str:
        if not c.couple_id:
            return "on their own"
        return f"together with {partner.display_name}" if partner else "as a couple"

    return SessionsView(
        upcoming=[
            SessionLine(c, when_words(c.at), f"{c.get_mode_display()}, {who(c)}") for c in upcoming
        ],
        recent=[
            SessionLine(c, when_words(c.at), f"{c.get_mode_display()}, {who(c)}", c.noted)
            for c in recent
        ],
        more=len(held) > RECENT_SESSIONS,
        last=next((c for c in held if c.at <= now), None),
        held=list[Consultation](held),
        held_all=len(found) < limit,
    )


def sessions_in(client: User, start: datetime | None, end: datetime | None) -> list[Consultation]:
    """Sessions CLIENT attended (held) between START and END, newest first, to set among a page
    of the practice log (bounded: at most a page's worth)."""
    found = Consultation.objects.filter(attendances__client=client, status=Consultation.Status.HELD)
    if start is not None:
        found = found.filter(at__gt=start)
    if end is not None:
        found = found.filter(at__lte=end)
    return list(found.order_by("-at", "-pk")[:50])
