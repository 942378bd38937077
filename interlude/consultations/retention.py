"""Which clinical records have reached the end of their retention period.

A client's care ends when they delete their account. Their record (sessions and the therapist's
private notes) is kept for the practice's retention period after the later of that moment and
their last session, then erased by `manage.py erase_expired_records`. The records of clients who
still have an account are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.consultations.models import Attendance, ClinicalNote, RecordRetention
from interlude.encryption.models import DataKey
from interlude.practice.models import ClientProfile


def add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year + years, day=28)


def own_years(practice_id: int) -> int | None:
    """The practice's own retention period, if it set one."""
    own = RecordRetention.objects.filter(practice_id=practice_id).first()
    return own.years if own is not None else None


def retention_years(practice_id: int) -> int:
    own = own_years(practice_id)
    return own if own is not None else settings.CLINICAL_RECORD_YEARS


@dataclass(frozen=True)
class ExpiredRecord:
    profile: ClientProfile
    care_ended: datetime
    years: int


def expired_records(now: datetime | None = None) -> list[ExpiredRecord]:
    """Records of clients whose care ended more than their practice's retention period ago and
    that still hold something to erase."""
    now = now or timezone.now()
    live_key = DataKey.objects.filter(
        owner_kind=DataKey.OwnerKind.RECORD, owner_id=OuterRef("pk"), destroyed_at__isnull=True
    )
    candidates = (
        ClientProfile.objects.filter(user__is_active=False)
        .filter(
            Q(Exists(ClinicalNote.objects.filter(profile=OuterRef("pk"))))
            | Q(Exists(Attendance.objects.filter(client=OuterRef("user_id"))))
            | Q(Exists(live_key))
        )
        .select_related("user")
        .order_by("pk")
    )
    profiles = list(candidates)
    ids = [p.user_id for p in profiles]
    deleted = dict(
        AuditEvent.objects.filter(action="account.delete", subject_id__in=ids)
        .values("subject_id")
        .annotate(at=Max("at"))
        .values_list("subject_id", "at")
    )
    last_session = dict(
        Attendance.objects.filter(client_id__in=ids)
        .values("client_id")
        .annotate(at=Max("at"))
        .values_list("client_id", "at")
    )
    years = {
        r.practice_id: r.years
        for r in RecordRetention.objects.filter(practice_id__in={p.practice_id for p in profiles})
    }
    expired = []
    for profile in profiles:
        moments = [
            m
            for m in (deleted.get(profile.user_id), last_session.get(profile.user_id))
            if m is not None
        ]
        ended = max(moments) if moments else profile.created_at
        keep = years.get(profile.practice_id, settings.CLINICAL_RECORD_YEARS)
        if add_years(ended, keep) <= now:
            expired.append(ExpiredRecord(profile, ended, keep))
    return expired
