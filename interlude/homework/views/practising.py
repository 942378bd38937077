"""Practising, as a short sequence: before (optional ratings) → the steps, one at a time, with
one bar holding Pause and Stop → afterwards (how it went, optional). Stopping is one tap,
recorded at the step where it happened, with Undo for a while; the afterwards screen after a
stop is optional. Everything typed is kept as a draft until it is saved.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interlude.accounts.keep import keeps_typed_text
from interlude.homework import actions
from interlude.homework.access import (
    get_assignment_for_client,
    get_assignment_to_read,
    get_own_entry,
)
from interlude.homework.forms import (
    AfterForm,
    BeforeForm,
    draft_ratings,
    draft_values,
    form_field_names,
)
from interlude.homework.models import Assignment, PracticeEntry
from interlude.homework.queries import practice_page
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import submission_key
from interlude.sharing.person import Person, PersonRequest
from interlude.sharing.rules import allowed_visibilities, visibility_labels

MAX_GUIDED_MINUTES = 240
THANKS = {
    PracticeEntry.Outcome.COMPLETED: "Thank you for noting how it went.",
    PracticeEntry.Outcome.STOPPED: "Noted. Stopping is part of the practice, and it's always fine.",
    PracticeEntry.Outcome.NOT_THIS_TIME: "Noted. Not this time is completely fine.",
}


def _form_data(request: PersonRequest) -> dict[str, Any]:
    return {k: request.POST.getlist(k) if k == "reasons" else request.POST[k] for k in request.POST}


# A draft written on the afterwards screen of a practice already noted (a one-tap stop) names
# that entry, so it is offered back there and nowhere else.
AFTERWARDS_OF = "afterwards_of"


def _draft_fields(person: Person, assignment: Assignment) -> set[str]:
    version = assignment.version
    return form_field_names(
        BeforeForm(version=version),
        AfterForm(version=version, allowed=[], labels={}),
    ) | {AFTERWARDS_OF}


def _draft_data(person: Person, assignment: Assignment, data: dict[str, Any]) -> dict[str, Any]:
    """What a draft keeps of DATA: the step as a step of this exercise, choices only when they
    are among the choices, and whatever was typed, as it was typed."""
    version = assignment.version
    after = AfterForm(
        version=version,
        allowed=allowed_visibilities(person),
        labels=visibility_labels(person),
    )
    kept = draft_values(data, BeforeForm(version=version), after)
    if "step" in data:
        kept["step"] = _step(data["step"], assignment.effective_steps)
    entry = str(data.get(AFTERWARDS_OF, ""))
    if entry.isascii() and entry.isdigit() and len(entry) <= 18:
        kept[AFTERWARDS_OF] = entry
    return kept


def _afterwards_draft(person: Person, entry: PracticeEntry) -> dict[str, Any]:
    """What was typed on ENTRY's afterwards screen and kept as a draft, if anything."""
    draft = actions.practice_draft_load(assignment=entry.assignment, client=person.user)
    return draft if draft.get(AFTERWARDS_OF) == str(entry.pk) else {}


def _keep_draft(
    request: PersonRequest, assignment: Assignment, *, begin: bool = False, **extra: Any
) -> bool:
    """Keep what was posted as the draft; False (with a message) if it cannot be kept. BEGIN:
    practice starts now, at the assignment's current stage."""
    data = _draft_data(request.person, assignment, {**_form_data(request), **extra})
    try:
        actions.practice_draft_save(
            assignment=assignment,
            client=request.user,
            data=data,
            allowed=_draft_fields(request.person, assignment),
            begin=begin,
        )
    except UserFacingError as exc:
        messages.error(request, str(exc))
        return False
    return True


def _step(value: Any, steps: list[str]) -> int:
    """A step number from the page, within the exercise's steps (1 when it is not one)."""
    text = str(value or "")
    # isdigit() alone lets "²" through, which int() refuses.
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 4 else 1
    return min(max(number, 1), len(steps))


def _draft_step(draft: dict[str, Any], steps: list[str]) -> int | None:
    """The step a draft was left at, if it is one of the exercise's steps (a draft kept before
    steps were checked may hold anything)."""
    text = str(draft.get("step", ""))
    if text.isascii() and text.isdigit() and len(text) < 4 and 1 <= int(text) <= len(steps):
        return int(text)
    return None


def _initial(draft: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in draft.items() if v not in ("", None, [])}


@login_required
@require_http_methods(["GET", "POST"])
def practice(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """The first screen: what this is, optional ratings before, then start (or not this time).
    An exercise set aside, or from a link that ended, can still be read, with the client's own
    notes."""
    person = request.person
    try:
        assignment = get_assignment_for_client(person, assignment_id)
    except Http404:
        past = get_assignment_to_read(person, assignment_id)
        return render(request, "homework/practice_past.html", {"page": practice_page(person, past)})
    page = practice_page(person, assignment)
    step = _draft_step(page.draft, page.steps)
    if "step" in page.draft:
        page.draft["step"] = step  # the page links to it
    form = BeforeForm(
        request.POST if request.method == "POST" else None,
        version=assignment.version,
        initial=_initial(page.draft),
    )
    if request.method == "POST":
        choice = request.POST.get("action", "start")
        if form.is_valid() and _keep_draft(request, assignment, begin=True, step=1):
            if choice == "not_this_time":
                url = reverse("practice_after", args=[assignment.pk]) + "?outcome=not_this_time"
                return redirect(url)
            return redirect("practice_step", assignment_id=assignment.pk, number=1)
    return render(
        request,
        "homework/practice.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_step(request: PersonRequest, assignment_id: int, number: int) -> HttpResponse:
    """One step at a time, with one bar holding Pause and Stop at this step."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    page = practice_page(request.person, assignment)
    step = _step(number, page.steps)
    if request.method == "POST":
        following = _step(request.POST.get("next", step + 1), page.steps)
        if step >= len(page.steps) and "next" not in request.POST:
            _keep_draft(request, assignment, step=step)
            return redirect(reverse("practice_after", args=[assignment.pk]) + "?outcome=completed")
        _keep_draft(request, assignment, step=following)
        return redirect("practice_step", assignment_id=assignment.pk, number=following)
    if number != step:
        return redirect("practice_step", assignment_id=assignment.pk, number=step)
    return render(
        request,
        "homework/practice_step.html",
        {
            "page": page,
            "step": step,
            "text": page.steps[step - 1],
            "last": step == len(page.steps),
            "submission": uuid.uuid4(),
        },
    )


@login_required
@require_POST
def practice_stop(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """One tap: noted as stopped at this step, nothing asked. Then the optional afterwards
    screen, with Undo."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    step = _step(request.POST.get("step"), assignment.effective_steps)
    entry = actions.practice_stop(
        assignment=assignment,
        client=request.person,
        step=step,
        submission_key=submission_key(request),
    )
    return redirect("practice_entry_after", entry_id=entry.pk)


@login_required
@require_POST
def practice_pause(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Pause: everything is kept, to come back to at the same step."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    step = _step(request.POST.get("step"), assignment.effective_steps)
    if _keep_draft(request, assignment, step=step):
        messages.success(
            request,
            f"Paused at step {step}. Everything is kept for when you come back, whenever that is.",
        )
        return redirect("home")
    return redirect("practice_step", assignment_id=assignment.pk, number=step)


def _after_form(request: PersonRequest, assignment: Assignment, **kwargs: Any) -> AfterForm:
    return AfterForm(
        version=assignment.version,
        allowed=allowed_visibilities(request.person),
        labels=visibility_labels(request.person),
        **kwargs,
    )


def _rescue_after(request: Any, user: Any) -> None:
    """Signed out while writing the afterwards note: keep it as the draft (see keep.py)."""
    assignment_id = request.resolver_match.kwargs.get("assignment_id")
    assignment = Assignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        return
    person = Person(user)
    try:
        get_assignment_to_read(person, assignment.pk)
    except Exception:  # noqa: BLE001 - not theirs: nothing to keep
        return
    data = _draft_data(person, assignment, _form_data(request))
    try:
        actions.practice_draft_save(
            assignment=assignment,
            client=user,
            data=data,
            allowed=_draft_fields(person, assignment),
        )
    except UserFacingError:
        return


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue_after)
def practice_after(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Afterwards: how it went (optional ratings, reasons, a note and who may read it). If the
    exercise was set aside while the client was writing, what they wrote is still saved."""
    person = request.person
    assignment = get_assignment_to_read(person, assignment_id)
    page = practice_page(person, assignment)
    initial = {"visibility": PracticeEntry.DEFAULT_VISIBILITY, **_initial(page.draft)}
    outcome = request.GET.get("outcome", "")
    if outcome in PracticeEntry.Outcome.values:
        initial["outcome"] = outcome
    # From a guide: how long it played, for the client to keep or change.
    minutes = request.GET.get("minutes", "")
    if minutes.isascii() and minutes.isdigit() and 0 < int(minutes[:4]) <= MAX_GUIDED_MINUTES:
        initial.setdefault("duration_minutes", int(minutes))
    form = _after_form(
        request,
        assignment,
        data=request.POST if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.practice_entry_record(
                assignment=assignment,
                client=person,
                outcome=data["outcome"],
                ratings_before=draft_ratings(page.draft, "before"),
                ratings_after=form.ratings(),
                reasons=data["reasons"],
                felt_unsafe=data["felt_unsafe"],
                wants_to_talk=data["wants_to_talk"],
                reflection=data["reflection"],
                visibility=data["visibility"],
                duration_minutes=data["duration_minutes"],
                stopped_at_step=_draft_step(page.draft, page.steps)
                if data["outcome"] == "stopped"
                else None,
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            if entry.felt_unsafe:
                return _to_support(request, entry)
            messages.success(request, THANKS[PracticeEntry.Outcome(entry.outcome)])
            return redirect("home")
    if request.method == "POST":
        _keep_draft(request, assignment)  # keep what they typed, even if they now leave
    return render(
        request,
        "homework/practice_after.html",
        {
            "page": page,
            "form": form,
            "submission": uuid.uuid4(),
            "set_aside": not assignment.is_practising
            and assignment.status == Assignment.Status.DISCARDED,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_entry_after(request: PersonRequest, entry_id: int) -> HttpResponse:
    """The optional afterwards screen for a practice noted as stopped (one tap)."""
    person = request.person
    entry = get_own_entry(person, entry_id)
    assignment = entry.assignment
    kept = _afterwards_draft(person, entry)
    initial = {
        "visibility": entry.effective_visibility,
        "reflection": entry.reflection,
        "reasons": entry.reasons,
        "duration_minutes": entry.duration_minutes,
        **{f"after_{k}": v for k, v in entry.ratings_after.items()},
        **_initial({k: v for k, v in kept.items() if k != AFTERWARDS_OF}),
    }
    form = _after_form(
        request,
        assignment,
        data=request.POST if request.method == "POST" else None,
        initial=initial,
        stopped=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.practice_entry_add_afterwards(
                entry=entry,
                author=person,
                ratings_after=form.ratings(),
                reasons=data["reasons"],
                felt_unsafe=data["felt_unsafe"],
                wants_to_talk=data["wants_to_talk"],
                reflection=data["reflection"],
                visibility=data["visibility"],
                duration_minutes=data["duration_minutes"],
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            if data["felt_unsafe"]:
                return _to_support(request, entry)
            messages.success(request, THANKS[PracticeEntry.Outcome.STOPPED])
            return redirect("home")
    return render(
        request,
        "homework/practice_after.html",
        {
            "page": practice_page(person, assignment),
            "form": form,
            "entry": entry,
            "can_undo": actions.can_undo(entry),
            "stopped_at": entry.stopped_at_step,
        },
        status=400 if form.errors else 200,
    )


# The support page shows only in the session that noted it: someone who later opens it from the
# browser's history is sent home.
SUPPORT_SESSION_KEY = "practice_support_for"


def _to_support(request: PersonRequest, entry: PracticeEntry) -> HttpResponse:
    request.session[SUPPORT_SESSION_KEY] = entry.pk
    return redirect("practice_support", entry_id=entry.pk)


@login_required
@require_GET
def practice_support(request: PersonRequest, entry_id: int) -> HttpResponse:
    """After a client noted they felt pressured or unsafe: thanks, who will see it and when,
    that nothing more is expected, and where to get help now. It never names the answer."""
    entry = get_own_entry(request.person, entry_id)
    if request.session.get(SUPPORT_SESSION_KEY) != entry.pk:
        return redirect("home")
    page = practice_page(request.person, entry.assignment)
    return render(
        request,
        "homework/practice_support.html",
        {"page": page, "entry": entry, "assignment": entry.assignment},
    )


@login_required
@require_POST
def practice_undo(request: PersonRequest, entry_id: int) -> HttpResponse:
    """Undo a stop tapped by mistake: back to the step it happened at."""
    entry = get_own_entry(request.person, entry_id)
    assignment_id = entry.assignment_id
    try:
        step = actions.practice_entry_undo(entry=entry, author=request.user)
    except UserFacingError as exc:
        messages.error(request, str(exc))
        return redirect("practice_entry_after", entry_id=entry_id)
    messages.success(request, f"Undone. You're back at step {step}.")
    return redirect("practice_step", assignment_id=assignment_id, number=step)


@login_required
@require_POST
def practice_draft(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Autosave (htmx) of what the client has typed so far."""
    assignment = get_assignment_to_read(request.person, assignment_id)
    kept = _keep_draft(request, assignment)
    if request.htmx:
        storage = messages.get_messages(request)
        problem = next((str(m) for m in storage), "") if not kept else ""
        return render(
            request,
            "homework/_draft_status.html",
            {"saved_at": timezone.localtime() if kept else None, "problem": problem},
        )
    return redirect("practice", assignment_id=assignment.pk)
