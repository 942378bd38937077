"""Everything that is a client's, as JSON and as a readable HTML page, from every app's
personal-data declarations (interlude/lib/personal_data.py; tests/test_export_and_deletion.py
fails when a model holding client data is not declared)."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.consents.models import Consent
from interlude.couples.models import CoupleMember
from interlude.lib.personal_data import Record
from interlude.privacy.registry import record_for, records


def _value(row: models.Model, path: str) -> Any:
    value: Any = row
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _machine(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _person(value: Any) -> str:
    """A value as a person reads it: dates in words and minutes, yes/no, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value)


def _readable(record: Record, field: str, value: Any) -> str:
    if field in record.describe and value is not None:
        return record.describe[field](value)
    if isinstance(value, str) and (other := record_for(value)) is not None:
        return other.title  # a kind of record, as in the audit log's "to what"
    return _person(value)


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]]


def build_export(user: User) -> dict[str, Any]:
    """Everything that is the client's, as data: one list of rows per kind of record."""
    data: dict[str, Any] = {
        "about": "Everything Interlude holds that is yours, exported at your request.",
        "exported_at": timezone.now().isoformat(),
    }
    for record in records():
        if record.exported:
            data[record.label] = [
                {f: _machine(_value(r, f)) for f in record.fields} for r in record.rows(user)
            ]
    return data


def readable_sections(user: User) -> list[Section]:
    """The same, for the readable page: each kind of record under its own heading."""
    sections = []
    for record in records():
        if record.exported:
            rows = [
                [_readable(record, f, _value(r, f)) for f in record.fields]
                for r in record.rows(user)
            ]
            sections.append(Section(record.title, list(record.fields.values()), rows))
    return sections


def export_zip(user: User) -> bytes:
    data = build_export(user)
    html = render_to_string(
        "privacy/export.html",
        {"sections": readable_sections(user), "person": user, "exported_at": timezone.now()},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("interlude-export.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("interlude-export.html", html)
    return buffer.getvalue()


def build_transfer_record(therapist: User, client: User) -> dict[str, Any]:
    """A client's record as their therapist may see it, for transfer of care: with the
    sessions, the therapist's private notes (which the client's own export never holds) and the
    questionnaire scores."""
    from interlude.consultations.access import notes_for_transfer, sessions_of
    from interlude.journal.access import entries_shared_with_therapist
    from interlude.measures.access import responses_of_client_for_therapist

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
        "sessions": [
            {"at": c.at, "mode": c.mode, "status": c.status, "couple": c.couple_id}
            for c in reversed(sessions_of(client))
        ],
        "private_clinical_notes": [
            {
                "session": n.consultation.at,
                "written_by": n.author.email if n.author else None,
                "last_changed": n.updated_at,
                "text": n.body,
            }
            for n in notes_for_transfer(therapist, profile)
        ],
        "questionnaires": [
            {
                "questionnaire": r.instrument,
                "answered": r.completed_at,
                "answers": r.answers,
                "total": r.total,
                "band": r.band,
            }
            for r in responses_of_client_for_therapist(therapist, client).order_by("completed_at")
        ],
    }
