"""Reads for the therapist's pages: each client's last and next session (for a whole caseload
in two queries), and the sessions on one client's page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.consultations.models import Attendance, ClinicalNote, Consultation
from interlude.practice.models import ClientProfile

RECENT_SESSIONS = 8


@dataclass(frozen=True)
class SessionTimes:
    """A client's last session held and next one planned (either may be None)."""

    last: datetime | None = None
    next: datetime | None = None


def session_times(client_ids: Iterable[int]) -> dict[int, SessionTimes]:
    """Last held and next planned session of each client, in two grouped queries."""
    ids = list(client_ids)
    now = timezone.now()
    last = dict(
        Attendance.objects.filter(client_id__in=ids, status=Consultation.Status.HELD, at__lte=now)
        .values("client_id")
        .annotate(last=Max("at"))
        .values_list("client_id", "last")
    )
    upcoming = dict(
        Attendance.objects.filter(client_id__in=ids, status=Consultation.Status.PLANNED, at__gt=now)
        .values("client_id")
        .annotate(next=Min("at"))
        .values_list("client_id", "next")
    )
    return {
        i: SessionTimes(last.get(i), upcoming.get(i)) for i in ids if i in last or i in upcoming
    }


def last_session_of(client: User) -> Consultation | None:
    """The last session CLIENT attended that was held: "since last session" starts there."""
    return (
        Consultation.objects.filter(
            attendances__client=client,
            status=Consultation.Status.HELD,
            at__lte=timezone.now(),
        )
        .order_by("-at", "-pk")
        .first()
    )


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
    held_count: int = 0


def when_words(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "D j M Y, H:i")


def sessions_view(profile: ClientProfile, partner: User | None) -> SessionsView:
    """PROFILE's upcoming and recent sessions, each saying whether a private note was written
    in this client's record (constant queries however long the history)."""
    client = profile.user
    now = timezone.now()
    base = Consultation.objects.filter(attendances__client=client)
    upcoming = list(base.filter(status=Consultation.Status.PLANNED, at__gt=now).order_by("at")[:3])
    recent = list(
        base.filter(status=Consultation.Status.HELD).order_by("-at", "-pk")[:RECENT_SESSIONS]
    )
    noted = set(
        ClinicalNote.objects.filter(profile=profile, consultation__in=recent).values_list(
            "consultation_id", flat=True
        )
    )
    held = base.filter(status=Consultation.Status.HELD).count()

    def who(c: Consultation) -> str:
        if not c.couple_id:
            return "on their own"
        return f"together with {partner.display_name}" if partner else "as a couple"

    return SessionsView(
        upcoming=[
            SessionLine(c, when_words(c.at), f"{c.get_mode_display()}, {who(c)}") for c in upcoming
        ],
        recent=[
            SessionLine(c, when_words(c.at), f"{c.get_mode_display()}, {who(c)}", c.pk in noted)
            for c in recent
        ],
        held_count=held,
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
