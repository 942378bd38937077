"""Everything that is a client's, as JSON and as a readable HTML page.

EXPORTERS names, for every model that holds a client's data, how to find that client's rows.
tests/test_export.py introspects every installed model and fails if one that refers to a user is
neither here nor in NOT_EXPORTED with a reason.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.models import AuditEvent
from interlude.consents.models import Consent
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.homework.models import (
    Assignment,
    AssignmentChange,
    PracticeDraft,
    PracticeEntry,
    StageReadiness,
)
from interlude.invitations.models import Invitation
from interlude.journal.models import JournalEntry
from interlude.practice.models import ClientProfile

Rows = Callable[[User], "models.QuerySet[Any]"]

EXPORTERS: dict[type[models.Model], tuple[Rows, list[str]]] = {
    User: (lambda u: User.objects.filter(pk=u.pk), ["email", "name", "kind", "date_joined"]),
    ClientProfile: (
        lambda u: ClientProfile.objects.filter(user=u),
        ["practice__name", "therapist__name", "therapist__email", "created_at"],
    ),
    JournalEntry: (
        lambda u: JournalEntry.objects.filter(author=u),
        ["body", "visibility", "created_at", "updated_at"],
    ),
    Consent: (
        lambda u: Consent.objects.filter(user=u),
        ["kind", "version", "couple_id", "given_at", "withdrawn_at"],
    ),
    CoupleMember: (
        lambda u: CoupleMember.objects.filter(client=u),
        ["couple_id", "status", "consented_at", "created_at", "left_at"],
    ),
    CoupleCase: (
        lambda u: CoupleCase.objects.filter(members__client=u),
        ["id", "created_at", "ended_at"],
    ),
    Invitation: (
        lambda u: Invitation.objects.filter(Q(accepted_by=u) | Q(invited_by=u)),
        ["kind", "email", "name", "created_at", "accepted_at", "revoked_at"],
    ),
    AuditEvent: (
        lambda u: AuditEvent.objects.filter(Q(subject=u) | Q(actor=u)),
        ["at", "action", "actor__name", "target_type", "target_id", "ip"],
    ),
    Assignment: (
        lambda u: Assignment.objects.filter(
            Q(client=u) | Q(couple__members__client=u)
        ).select_related("version", "therapist"),
        [
            "version__title",
            "therapist__name",
            "note",
            "times",
            "period",
            "steps",
            "status",
            "created_at",
        ],
    ),
    AssignmentChange: (
        lambda u: AssignmentChange.objects.filter(
            Q(assignment__client=u) | Q(assignment__couple__members__client=u)
        ).select_related("assignment", "by"),
        ["assignment_id", "kind", "fields", "reason", "by__name", "created_at"],
    ),
    PracticeEntry: (
        lambda u: PracticeEntry.objects.filter(client=u).select_related("assignment__version"),
        [
            "assignment__version__title",
            "practised_at",
            "duration_minutes",
            "ratings_before",
            "ratings_after",
            "outcome",
            "stopped_at_step",
            "reasons",
            "wants_to_talk",
            "reflection",
            "visibility",
        ],
    ),
    StageReadiness: (
        lambda u: StageReadiness.objects.filter(client=u),
        ["assignment_id", "stage", "created_at"],
    ),
    PracticeDraft: (
        lambda u: PracticeDraft.objects.filter(client=u),
        ["assignment_id", "data", "updated_at"],
    ),
    EmailAddress: (
        lambda u: EmailAddress.objects.filter(user=u),
        ["email", "verified", "primary"],
    ),
    Authenticator: (
        lambda u: Authenticator.objects.filter(user=u),
        ["type", "created_at", "last_used_at"],
    ),
    UserSession: (
        lambda u: UserSession.objects.filter(user=u),
        ["ip", "user_agent", "created_at", "last_seen_at"],
    ),
}

# Models that refer to a user but hold none of a client's own data, and why.
NOT_EXPORTED: dict[str, str] = {
    "practice.membership": "practitioners only; clients have no membership",
    "privacy.datakey": "key material, useless outside this installation",
    "account.emailconfirmation": "short-lived confirmation codes",
    "auth.permission": "no client data",
    "auth.group": "no client data",
    "exercises.exercise": "library exercises written by therapists, not client data",
}


def _value(row: models.Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def build_export(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "about": "Everything Interlude holds that is yours, exported at your request.",
        "exported_at": timezone.now().isoformat(),
    }
    for model, (rows, fields) in EXPORTERS.items():
        key = model._meta.label_lower
        data[key] = [{f: _value(r, f) for f in fields} for r in rows(user).distinct()]
    return data


def export_zip(user: User) -> bytes:
    data = build_export(user)
    html = render_to_string("privacy/export.html", {"data": data, "person": user})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("interlude-export.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("interlude-export.html", html)
    return buffer.getvalue()


def build_transfer_record(therapist: User, client: User) -> dict[str, Any]:
    """A client's record as their therapist may see it, for transfer of care."""
    from interlude.journal.access import entries_shared_with_therapist

    profile = client.client_profile
    return {
        "about": "Transfer-of-care record exported by the client's therapist from Interlude.",
        "exported_at": timezone.now().isoformat(),
        "exported_by": therapist.email,
        "client": {"name": client.name, "email": client.email, "since": profile.created_at},
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in Consent.objects.filter(user=client)
        ],
        "couple_memberships": [
            {"couple": m.couple_id, "status": m.status, "consented_at": m.consented_at}
            for m in CoupleMember.objects.filter(client=client)
        ],
        "journal_entries_shared_with_therapist": [
            {"written": e.created_at, "text": e.body, "visibility": e.visibility}
            for e in entries_shared_with_therapist(therapist, client)
        ],
    }
