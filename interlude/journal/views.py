from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.accounts.keep import keeps_typed_text
from interlude.audit.actions import audit_read
from interlude.journal import actions
from interlude.journal.access import (
    entries_shared_with_therapist,
    get_own_entry,
    own_entries,
)
from interlude.journal.forms import JournalEntryForm
from interlude.journal.models import JournalEntry
from interlude.lib.requests import client_ip, submission_key
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.sharing.person import PersonRequest
from interlude.sharing.rules import (
    allowed_visibilities,
    entry_visibility_sentence,
    sharing_hint,
    visibility_labels,
)
from interlude.sharing.visibility import Visibility


def _form(request: PersonRequest, data: Any = None, initial: Any = None) -> JournalEntryForm:
    return JournalEntryForm(
        data,
        initial=initial or {"visibility": JournalEntry.DEFAULT_VISIBILITY},
        allowed=allowed_visibilities(request.person),
        labels=visibility_labels(request.person),
    )


def _rescue(request: Any, user: Any) -> None:
    """Signed out while writing: keep the entry as the draft (see accounts/keep.py)."""
    if getattr(user, "is_client", False):
        actions.journal_draft_save(author=user, body=request.POST.get("body", ""))


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue)
def journal(request: PersonRequest) -> HttpResponse:
    person = request.person
    entries = list(own_entries(person))
    draft = actions.journal_draft_of(request.user) if request.method == "GET" else ""
    initial: dict[str, str] = {"visibility": JournalEntry.DEFAULT_VISIBILITY}
    if draft:
        initial["body"] = draft
    form = _form(request, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.journal_entry_create(
                author=person,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                submission_key=submission_key(request),
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect("journal")
    return render(
        request,
        "journal/journal.html",
        {
            "form": form,
            "entries": [(e, entry_visibility_sentence(person, e)) for e in entries],
            "default_label": Visibility(JournalEntry.DEFAULT_VISIBILITY).label,
            "has_draft": bool(draft),
            "submission": uuid.uuid4(),
            "sharing_hint": sharing_hint(person),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def journal_draft(request: PersonRequest) -> HttpResponse:
    """Autosave (htmx) of a new entry being written."""
    get_client_profile_for(request.user)
    kept = actions.journal_draft_save(author=request.user, body=request.POST.get("body", ""))
    if request.htmx:
        problem = "" if kept else "This is longer than an entry can be, so it was not kept."
        return render(
            request,
            "homework/_draft_status.html",
            {"saved_at": timezone.localtime() if kept else None, "problem": problem},
        )
    return redirect("journal")


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: PersonRequest, entry_id: int) -> HttpResponse:
    person = request.person
    entry = get_own_entry(person, entry_id)
    form = _form(
        request,
        request.POST if request.method == "POST" else None,
        initial={"body": entry.body, "visibility": entry.effective_visibility},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.journal_entry_update(
                author=person,
                entry=entry,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect("journal")
    return render(
        request,
        "journal/edit.html",
        {"form": form, "entry": entry, "who": entry_visibility_sentence(person, entry)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_delete(request: PersonRequest, entry_id: int) -> HttpResponse:
    entry = get_own_entry(request.person, entry_id)
    actions.journal_entry_delete(entry=entry)
    messages.success(request, "The entry was deleted.")
    return redirect("journal")


@login_required
@require_safe
def client_journal(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    entries = list(entries_shared_with_therapist(request.user, profile.user))
    audit_read(
        actor=request.user, subject=profile.user, what="journal.therapist", ip=client_ip(request)
    )
    return render(
        request,
        "journal/client_journal.html",
        {"profile": profile, "client": profile.user, "entries": entries},
    )
