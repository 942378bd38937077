"""The fantasy journal and the new-sensations log: a client's own pages (write, read back, edit,
delete, autosaved drafts), a partner's view of what was shared with them, and a therapist's view
of what was shared with them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.accounts.keep import keeps_typed_text
from interlude.audit.actions import audit_read
from interlude.fantasy import actions
from interlude.fantasy.access import (
    fantasies_shared_with_partner,
    fantasies_shared_with_therapist,
    get_own_fantasy,
    get_own_sensation,
    get_tool_assignment,
    own_fantasies,
    own_sensations,
    sensations_shared_with_partner,
    sensations_shared_with_therapist,
)
from interlude.fantasy.content import prompts, sensations
from interlude.fantasy.forms import FantasyEntryForm, SensationEntryForm
from interlude.fantasy.models import FantasyDraft, FantasyEntry, SensationEntry
from interlude.fantasy.queries import PAGE_SIZE, felt_good, next_prompt, prompt_text, with_sentences
from interlude.homework.models import Assignment
from interlude.lib.requests import client_ip, submission_key
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.sharing.person import Person, PersonRequest
from interlude.sharing.rules import (
    allowed_visibilities,
    entry_visibility_sentence,
    sharing_hint,
    visibility_labels,
)

FANTASY = FantasyDraft.Tool.FANTASY
SENSATIONS = FantasyDraft.Tool.SENSATIONS


def _choices(person: Person) -> dict[str, Any]:
    return {"allowed": allowed_visibilities(person), "labels": visibility_labels(person)}


def _sharing_hint(person: Person) -> str:
    """Where partner sharing could be turned on; nothing for anyone without a linked partner."""
    return sharing_hint(person)


def _back(entry: FantasyEntry | SensationEntry, tool: str) -> str:
    if entry.assignment_id is None:
        return reverse("home")
    return reverse(f"tool_{tool}", args=[entry.assignment_id])


def _rescue(tool: str) -> Any:
    def rescue(request: Any, user: Any) -> None:
        """Signed out while writing: keep the entry as the draft (see accounts/keep.py)."""
        if getattr(user, "is_client", False):
            actions.fantasy_draft_save(author=user, tool=tool, data=dict(request.POST.items()))

    return rescue


# --- The fantasy journal ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue(FANTASY))
def fantasy_journal(request: PersonRequest, assignment_id: int) -> HttpResponse:
    person = request.person
    assignment = get_tool_assignment(person, assignment_id, "fantasy")
    draft = actions.fantasy_draft_of(request.user, FANTASY) if request.method == "GET" else {}
    chosen = request.GET.get("prompt", "")
    initial = {"visibility": FantasyEntry.DEFAULT_VISIBILITY, **draft}
    if chosen:
        initial["prompt"] = chosen
    form = FantasyEntryForm(
        request.POST if request.method == "POST" else None, initial=initial, **_choices(person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.fantasy_entry_create(
                author=person,
                assignment=assignment,
                prompt=form.cleaned_data["prompt"],
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                submission_key=submission_key(request),
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect("tool_fantasy", assignment_id=assignment.pk)
    prompt = str(form["prompt"].value() or "")
    return render(
        request,
        "fantasy/journal.html",
        {
            "assignment": assignment,
            "content": prompts(),
            "form": form,
            "prompt": prompt if prompt_text(prompt) else "",
            "prompt_text": prompt_text(prompt),
            "another": next_prompt(prompt),
            "entries": [
                (entry, entry_visibility_sentence(person, entry), prompt_text(entry.prompt))
                for entry in own_fantasies(person)[:PAGE_SIZE]
            ],
            "has_draft": bool(draft),
            "hint": _sharing_hint(person),
            "partner": person.partner,
            "submission": uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


def _draft_answer(request: PersonRequest, kept: bool, fallback: str) -> HttpResponse:
    if request.htmx:
        problem = "" if kept else "This is longer than an entry can be, so it was not kept."
        return render(
            request,
            "homework/_draft_status.html",
            {"saved_at": timezone.localtime() if kept else None, "problem": problem},
        )
    return redirect(fallback)


@login_required
@require_POST
def fantasy_draft(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Autosave (htmx) of a new entry being written."""
    assignment = get_tool_assignment(request.person, assignment_id, "fantasy")
    kept = actions.fantasy_draft_save(
        author=request.user, tool=FANTASY, data=dict(request.POST.items())
    )
    return _draft_answer(request, kept, reverse("tool_fantasy", args=[assignment.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def fantasy_edit(request: PersonRequest, entry_id: int) -> HttpResponse:
    person = request.person
    entry = get_own_fantasy(person, entry_id)
    form = FantasyEntryForm(
        request.POST if request.method == "POST" else None,
        initial={
            "prompt": entry.prompt,
            "body": entry.body,
            "visibility": entry.effective_visibility,
        },
        **_choices(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.fantasy_entry_update(
                entry=entry,
                author=person,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect(_back(entry, "fantasy"))
    return render(
        request,
        "fantasy/edit.html",
        {
            "form": form,
            "entry": entry,
            "prompt_text": prompt_text(entry.prompt),
            "who": entry_visibility_sentence(person, entry),
            "back": _back(entry, "fantasy"),
            "hint": _sharing_hint(person),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def fantasy_delete(request: PersonRequest, entry_id: int) -> HttpResponse:
    entry = get_own_fantasy(request.person, entry_id)
    back = _back(entry, "fantasy")
    actions.fantasy_entry_delete(entry=entry)
    messages.success(request, "The entry was deleted.")
    return redirect(back)


# --- The new-sensations log ---------------------------------------------------------------------


def _sensation_values(form: SensationEntryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "description": data["description"],
        "feeling": data["feeling"],
        "intensity": data["intensity"],
        "again": data["again"],
        "notes": data["notes"],
        "visibility": data["visibility"],
    }


def _sensation_page(assignment: Assignment | None) -> dict[str, Any]:
    content = sensations()
    return {"content": content, "assignment": assignment}


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue(SENSATIONS))
def sensations_log(request: PersonRequest, assignment_id: int) -> HttpResponse:
    person = request.person
    assignment = get_tool_assignment(person, assignment_id, "sensations")
    draft = actions.fantasy_draft_of(request.user, SENSATIONS) if request.method == "GET" else {}
    form = SensationEntryForm(
        request.POST if request.method == "POST" else None,
        initial={"visibility": SensationEntry.DEFAULT_VISIBILITY, **draft},
        **_choices(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.sensation_entry_create(
                author=person,
                assignment=assignment,
                submission_key=submission_key(request),
                **_sensation_values(form),
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect("tool_sensations", assignment_id=assignment.pk)
    entries = list(own_sensations(person)[:PAGE_SIZE])
    return render(
        request,
        "fantasy/sensations.html",
        {
            **_sensation_page(assignment),
            "form": form,
            "entries": with_sentences(person, entries),
            "felt_good": felt_good(entries),
            "has_draft": bool(draft),
            "hint": _sharing_hint(person),
            "partner": person.partner,
            "submission": uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def sensation_draft(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Autosave (htmx) of a new sensation entry being written."""
    assignment = get_tool_assignment(request.person, assignment_id, "sensations")
    kept = actions.fantasy_draft_save(
        author=request.user, tool=SENSATIONS, data=dict(request.POST.items())
    )
    return _draft_answer(request, kept, reverse("tool_sensations", args=[assignment.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def sensation_edit(request: PersonRequest, entry_id: int) -> HttpResponse:
    person = request.person
    entry = get_own_sensation(person, entry_id)
    form = SensationEntryForm(
        request.POST if request.method == "POST" else None,
        initial={
            "kind": entry.kind,
            "description": entry.description,
            "feeling": entry.feeling,
            "intensity": entry.intensity,
            "again": entry.again,
            "notes": entry.notes,
            "visibility": entry.effective_visibility,
        },
        **_choices(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.sensation_entry_update(entry=entry, author=person, **_sensation_values(form))
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + entry_visibility_sentence(person, entry))
            return redirect(_back(entry, "sensations"))
    return render(
        request,
        "fantasy/sensation_edit.html",
        {
            **_sensation_page(None),
            "form": form,
            "entry": entry,
            "who": entry_visibility_sentence(person, entry),
            "back": _back(entry, "sensations"),
            "hint": _sharing_hint(person),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def sensation_delete(request: PersonRequest, entry_id: int) -> HttpResponse:
    entry = get_own_sensation(request.person, entry_id)
    back = _back(entry, "sensations")
    actions.sensation_entry_delete(entry=entry)
    messages.success(request, "The entry was deleted.")
    return redirect(back)


# --- What was shared ----------------------------------------------------------------------------


@login_required
@require_safe
def shared_with_me(request: PersonRequest) -> HttpResponse:
    """What the client's linked partner chose to share with them from their fantasy journal and
    new-sensations log, under the current link only."""
    person = request.person
    get_client_profile_for(request.user)
    partner = person.partner
    fantasies = list(fantasies_shared_with_partner(person)[:PAGE_SIZE])
    tried = list(sensations_shared_with_partner(person)[:PAGE_SIZE])
    if partner is not None and (fantasies or tried):
        audit_read(
            actor=request.user, subject=partner, what="fantasy.partner", ip=client_ip(request)
        )
    return render(
        request,
        "fantasy/shared_with_me.html",
        {
            "partner": partner,
            "fantasies": [(e, prompt_text(e.prompt)) for e in fantasies],
            "sensations": tried,
        },
    )


@login_required
@require_safe
def client_fantasy(request: AuthedRequest, client_id: int) -> HttpResponse:
    """What a client chose to share with their therapist from both tools."""
    profile = get_client_for_therapist(request.user, client_id)
    fantasies = list(fantasies_shared_with_therapist(request.user, profile.user)[:PAGE_SIZE])
    tried = list(sensations_shared_with_therapist(request.user, profile.user)[:PAGE_SIZE])
    audit_read(
        actor=request.user, subject=profile.user, what="fantasy.therapist", ip=client_ip(request)
    )
    return render(
        request,
        "fantasy/client_fantasy.html",
        {
            "client": profile.user,
            "fantasies": [(e, prompt_text(e.prompt)) for e in fantasies],
            "sensations": tried,
        },
    )
