"""The I-statement helper's pages: drafting with the coach's notes, the frame built in guided
parts, and saving to the journal; and the notes for any writing field (coach_check)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.keep import keeps_typed_text
from interlude.coach import actions
from interlude.coach.access import Place, draft_of, get_place_for_client, require_client
from interlude.coach.notes import notes_for
from interlude.coach.page_forms import DraftForm, JournalCopyForm, initial_from
from interlude.coach.rules import assemble
from interlude.coach.templatetags.coach import OWN_FIELD, is_solo
from interlude.sharing.person import Person, PersonRequest
from interlude.sharing.rules import allowed_visibilities, visibility_labels
from interlude.sharing.visibility import Visibility

# A field's name or id, as the helper's own template writes them.
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# Posted fields that belong to the helper, not to the form it sits in.
HELPER_FIELDS = {"csrfmiddlewaretoken", OWN_FIELD, "coach_id", "coach_return", "coach_save_label"}


def _draft_status(request: PersonRequest, *, kept: bool, problem: str = "") -> HttpResponse:
    return render(
        request,
        "homework/_draft_status.html",
        {"saved_at": timezone.localtime() if kept else None, "problem": problem},
    )


def _rescue(request: Any, user: Any) -> None:
    """Signed out while drafting: keep the draft as it was typed (see accounts/keep.py)."""
    try:
        place = get_place_for_client(Person(user), request.resolver_match.kwargs["assignment_id"])
    except Exception:  # noqa: BLE001 - not theirs: nothing to keep
        return
    form = DraftForm(request.POST)
    if form.is_valid():
        actions.coach_draft_save(author=user, place=place, parts=form.parts())


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue)
def coach(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Draft what you'd like to say; the coach's notes follow it. Then the frame, part by
    part, put together into a sentence to keep or save to the journal. Autosaved (htmx)."""
    person = request.person
    place = get_place_for_client(person, assignment_id)
    draft = draft_of(person, place)
    form = DraftForm(
        request.POST if request.method == "POST" else None, initial=initial_from(draft)
    )
    if request.method == "POST":
        choice = request.POST.get("action", "save")
        if choice == "clear":
            actions.coach_draft_clear(author=request.user, place=place)
            messages.success(request, "Cleared. The page is ready for something new.")
            return redirect("tool_coach", assignment_id=place.assignment_id)
        if form.is_valid():
            parts = form.parts()
            if choice == "frame":
                parts["sentence"] = assemble(parts["feeling"], parts["situation"], parts["wish"])
            actions.coach_draft_save(author=request.user, place=place, parts=parts)
            if request.htmx and choice == "frame":
                return _sentence(request, place, parts)
            if request.htmx:
                return _draft_status(request, kept=True)
            return _after_save(request, place, choice)
        if request.htmx:
            return _draft_status(request, kept=False, problem="Something here is too long to keep.")
    return render(
        request,
        "coach/coach.html",
        {"place": place, "form": form, "solo": is_solo(request)},
        status=400 if form.errors else 200,
    )


def _after_save(request: PersonRequest, place: Place, choice: str) -> HttpResponse:
    url = reverse("tool_coach", kwargs={"assignment_id": place.assignment_id})
    if choice == "journal":
        return redirect("coach_journal", assignment_id=place.assignment_id)
    if choice == "frame":
        return redirect(url + "#sentence")
    if choice == "check":
        return redirect(url + "#coach-notes-id_text")
    messages.success(request, "Kept as your draft. Only you can see it.")
    return redirect(url)


def _sentence(request: PersonRequest, place: Place, parts: dict[str, str]) -> HttpResponse:
    """The sentence field, filled with the frame just put together (htmx)."""
    form = DraftForm(initial={"sentence": parts["sentence"]})
    return render(
        request,
        "coach/_sentence.html",
        {"form": form, "place": place, "oob": True, "made": bool(parts["sentence"])},
    )


@login_required
@require_POST
def coach_check(request: PersonRequest) -> HttpResponse:
    """The coach's notes on one field of a form ({% coach_helper %}). With htmx, the notes
    alone. Without script, a page with the notes and the words, to send back where they came
    from."""
    require_client(request.person)
    name = request.POST.get(OWN_FIELD, "")
    field = name if NAME_RE.match(name) else ""
    text = request.POST.get(field, "") if field else ""
    notes = notes_for(text, solo=is_solo(request))
    if request.htmx:
        element = request.POST.get("coach_id", "")
        return render(
            request,
            "coach/_notes.html",
            {"notes": notes, "id": element, "oob": bool(NAME_RE.match(element))},
        )
    back = request.POST.get("coach_return", "")
    if not (
        back.startswith("/")
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        back = ""
    kept = [
        (key, value)
        for key in request.POST
        if key not in HELPER_FIELDS and key != field
        for value in request.POST.getlist(key)
    ]
    return render(
        request,
        "coach/check.html",
        {
            "notes": notes,
            "field": field,
            "text": text,
            "back": back,
            "kept": kept,
            "save_label": request.POST.get("coach_save_label", "")[:40] or "Save",
        },
        status=200 if field else 400,
    )


def journal_text(sentence: str, text: str) -> str:
    """What goes to the journal: the sentence built, or the words written when none was built.
    The first words (which may land as blame) stay in the helper: nothing offers them for an
    entry that might be shared."""
    return sentence.strip() or text.strip()


@login_required
@require_safe
def coach_journal(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Look at what will be saved to the journal, change it, choose who can see it.

    The form posts to the journal's own page ({% url 'journal' %}), which saves the entry with
    its one-time submission key and says who can see it: the helper never imports the journal
    (the tools are independent) and never writes its rows, so the journal stays the one place
    that saves journal entries."""
    person = request.person
    place = get_place_for_client(person, assignment_id)
    draft = draft_of(person, place)
    body = journal_text(draft.sentence, draft.text) if draft is not None else ""
    if not body:
        messages.info(request, "There's nothing to save yet. Write a few words first.")
        return redirect("tool_coach", assignment_id=place.assignment_id)
    form = JournalCopyForm(
        initial={"body": body, "visibility": Visibility.ONLY_ME},
        allowed=allowed_visibilities(person),
        labels=visibility_labels(person),
    )
    return render(
        request,
        "coach/journal.html",
        {"place": place, "form": form, "submission": uuid.uuid4(), "solo": is_solo(request)},
    )
