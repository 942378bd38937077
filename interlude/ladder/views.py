"""Ladder pages: the client's ladder (tool_ladder), the therapist's, building it together, the
client's choices, and trying a step (before → during → afterwards, with Pause always one tap).
Views parse, check access, act and render; the words and numbers are made in queries.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.keep import keeps_typed_text
from interlude.audit.actions import audit_read
from interlude.ladder import actions
from interlude.ladder.access import (
    Held,
    client_assignment,
    get_ladder_to_change,
    get_own_attempt,
    get_own_ladder,
    get_step,
    notes_shared_with_partner,
    partner_shared_any,
    therapist_assignment,
)
from interlude.ladder.assignments import PAUSED, is_current_for
from interlude.ladder.forms import (
    AfterForm,
    BeforeForm,
    HoldForm,
    PausePointForm,
    ReleaseForm,
    StepForm,
)
from interlude.ladder.models import Ladder, LadderAttempt, LadderReflection
from interlude.ladder.queries import change_line, ladder_page
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip, submission_key
from interlude.sharing.person import Person, PersonRequest
from interlude.sharing.rules import allowed_visibilities, visibility_labels

THANKS = {
    LadderAttempt.Outcome.COMPLETED: "Thank you for noting how it went.",
    LadderAttempt.Outcome.STOPPED: "Noted. Stopping is part of this method, and it's always fine.",
    LadderAttempt.Outcome.NOT_THIS_TIME: "Noted. Not this time is completely fine.",
}
PAUSED_WORDS = (
    "Paused. Nothing is lost: carry on whenever you like, or note how it went. Pausing is part "
    "of this way of working."
)


# --- pages ---------------------------------------------------------------------------------


def ladder_url(held: Held) -> str:
    """The page a ladder is read on, for the person holding it."""
    ladder = held.ladder
    if held.role == "client":
        return reverse("tool_ladder", args=[ladder.assignment_id])
    return reverse("ladder_for_therapist", args=[ladder.client_id, ladder.assignment_id])


def _back(held: Held, anchor: str = "") -> HttpResponse:
    return redirect(ladder_url(held) + (f"#{anchor}" if anchor else ""))


def _render(request: PersonRequest, held: Held, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The ladder page for whoever holds it, whole, also when one of its forms needs another
    look (FORMS replaces that form, with what was posted)."""
    ladder = held.ladder
    therapist = ladder.assignment.therapist
    page = ladder_page(
        ladder,
        viewer=request.user,
        role=held.role,
        editable=held.editable,
        therapist_name=therapist.display_name,
    )
    context: dict[str, Any] = {
        "page": page,
        "held": held,
        "ladder": ladder,
        "assignment": ladder.assignment,
        "therapist": therapist,
        "client": ladder.client,
        "paused": ladder.assignment.status == PAUSED,
        "step_form": forms.get("step_form") or StepForm(),
        "submission": uuid.uuid4(),
    }
    if held.role == "client":
        context["pause_form"] = forms.get("pause_form") or PausePointForm(
            initial={"pause_suds": ladder.pause_suds, "pause_note": ladder.pause_note}
        )
        template = "ladder/ladder.html"
        context["partner_notes"] = partner_shared_any(request.person)
    else:
        context["hold_form"] = forms.get("hold_form") or HoldForm(
            steps=[s.step for s in page.steps],
            initial={"step": ladder.current_step_id or ladder.held_step_id},
        )
        context["release_form"] = forms.get("release_form") or ReleaseForm()
        template = "ladder/therapist.html"
    return render(request, template, context, status=status)


@login_required
@require_safe
def ladder(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """The client's ladder for an assignment (tool_ladder): made the first time it is opened.
    After the exercise is set aside, or its couple link ends, it stays theirs to read."""
    person = request.person
    assignment = client_assignment(person, assignment_id)
    if assignment is None:
        return _render(
            request, Held(get_own_ladder(person, assignment_id), "client", person, False)
        )
    made = actions.ladder_for(assignment=assignment, client=person.user)
    made.assignment = assignment  # already loaded, with its exercise and therapist
    made.client = person.user
    return _render(request, Held(made, "client", person, True))


@login_required
@require_safe
def therapist_ladder(request: PersonRequest, client_id: int, assignment_id: int) -> HttpResponse:
    """The therapist's page for one client's ladder: steps, tries and charts, gentle flags, the
    history, and a hold."""
    profile, assignment = therapist_assignment(request.user, client_id, assignment_id)
    owner = Person(profile.user)
    editable = is_current_for(assignment, owner)
    found = (
        Ladder.objects.select_related("held_by")
        .filter(assignment=assignment, client=profile.user)
        .first()
    )
    if found is None:
        if not editable:
            raise Http404
        found = actions.ladder_for(assignment=assignment, client=profile.user, by=request.user)
    found.assignment = assignment
    found.client = profile.user
    audit_read(
        actor=request.user,
        subject=profile.user,
        what="ladder.therapist",
        target=found,
        ip=client_ip(request),
    )
    return _render(request, Held(found, "therapist", owner, editable))


@login_required
@require_safe
def shared_with_you(request: PersonRequest) -> HttpResponse:
    """Notes a linked partner chose to share with the viewer from their ladder."""
    if not request.person.is_client:
        raise Http404
    person = request.person
    return render(
        request,
        "ladder/shared.html",
        {"partner": person.partner, "notes": notes_shared_with_partner(person)},
    )


# --- building the ladder (either of them) --------------------------------------------------


@login_required
@require_POST
def step_add(request: PersonRequest, ladder_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            step = actions.step_add(
                ladder=held.ladder,
                by=request.user,
                text=form.cleaned_data["text"],
                suds=form.cleaned_data["suds"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            if step is not None:
                messages.success(request, f"Added as step {step.position}.")
            return _back(held, "steps")
    return _render(request, held, status=400, step_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: PersonRequest, ladder_id: int, step_id: int) -> HttpResponse:
    """Change a step's words or expected distress (the earlier wording stays in the history),
    or take it off the ladder."""
    held = get_ladder_to_change(request.person, ladder_id)
    step = get_step(held, step_id)
    form = StepForm(
        request.POST if request.method == "POST" else None,
        initial={"text": step.text, "suds": step.suds},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.step_edit(
                ladder=held.ladder,
                step=step,
                by=request.user,
                text=form.cleaned_data["text"],
                suds=form.cleaned_data["suds"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Step {step.position} is saved.")
            return _back(held, f"step-{step.pk}")
    therapist = held.ladder.assignment.therapist
    history = [
        change_line(c, viewer=request.user, therapist_name=therapist.display_name)
        for c in step.changes.select_related("by")[:20]
    ]
    return render(
        request,
        "ladder/step_edit.html",
        {
            "held": held,
            "step": step,
            "form": form,
            "history": history,
            "back": ladder_url(held),
            "submission": uuid.uuid4(),
            "has_tries": step.attempts.exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def step_remove(request: PersonRequest, ladder_id: int, step_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id)
    step = get_step(held, step_id)
    actions.step_remove(
        ladder=held.ladder, step=step, by=request.user, submission_key=submission_key(request)
    )
    messages.success(request, "That step is off the ladder. Its history is kept below.")
    return _back(held, "steps")


@login_required
@require_POST
def step_move(request: PersonRequest, ladder_id: int, step_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id)
    step = get_step(held, step_id)
    later = request.POST.get("direction") == "later"
    try:
        actions.step_move(
            ladder=held.ladder,
            step=step,
            by=request.user,
            later=later,
            submission_key=submission_key(request),
        )
    except UserFacingError as exc:
        messages.error(request, str(exc))
    return _back(held, f"step-{step.pk}")


@login_required
@require_POST
def ladder_sort(request: PersonRequest, ladder_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id)
    actions.ladder_sort(ladder=held.ladder, by=request.user, submission_key=submission_key(request))
    messages.success(request, "The steps are in order of distress now, lowest first.")
    return _back(held, "steps")


# --- the client's choices ------------------------------------------------------------------


@login_required
@require_POST
def step_choose(request: PersonRequest, ladder_id: int, step_id: int) -> HttpResponse:
    """The client chooses the step they work on (only they can)."""
    held = get_ladder_to_change(request.person, ladder_id, role="client")
    step = get_step(held, step_id)
    try:
        change = actions.step_choose(
            ladder=held.ladder,
            step=step,
            client=request.user,
            submission_key=submission_key(request),
        )
    except UserFacingError as exc:
        messages.error(request, str(exc))
        return _back(held, "steps")
    if change is not None:
        messages.success(request, f"You're working on step {step.position} now.")
    return _back(held, "now")


@login_required
@require_POST
def pause_point(request: PersonRequest, ladder_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id, role="client")
    form = PausePointForm(request.POST)
    if form.is_valid():
        try:
            actions.pause_point_set(
                ladder=held.ladder,
                client=request.user,
                suds=form.cleaned_data["pause_suds"],
                note=form.cleaned_data["pause_note"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your pause point is saved.")
            return _back(held, "pause-point")
    return _render(request, held, status=400, pause_form=form)


# --- the therapist's hold ------------------------------------------------------------------


@login_required
@require_POST
def hold(request: PersonRequest, ladder_id: int) -> HttpResponse:
    """Ask the client to stay at or below a step for now (with a reason), or stop asking."""
    held = get_ladder_to_change(request.person, ladder_id, role="therapist")
    ladder = held.ladder
    if request.POST.get("action") == "release":
        release = ReleaseForm(request.POST)
        if not release.is_valid():
            return _render(request, held, status=400, release_form=release)
        actions.hold_release(
            ladder=ladder,
            therapist=request.user,
            note=release.cleaned_data["note"],
            submission_key=submission_key(request),
        )
        messages.success(request, f"{ladder.client.display_name} can move up when they choose.")
        return _back(held, "hold")
    steps = list(ladder.steps.filter(removed_at__isnull=True).order_by("position"))
    form = HoldForm(request.POST, steps=steps)
    if form.is_valid():
        step = next(s for s in steps if s.pk == form.cleaned_data["step"])
        try:
            actions.hold_set(
                ladder=ladder,
                therapist=request.user,
                step=step,
                reason=form.cleaned_data["reason"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Saved. {ladder.client.display_name} reads your reason on their ladder and can "
                f"still move down whenever they like.",
            )
            return _back(held, "hold")
    return _render(request, held, status=400, hold_form=form)


# --- trying a step (the client) ------------------------------------------------------------


@login_required
@require_POST
def attempt_start(request: PersonRequest, ladder_id: int) -> HttpResponse:
    held = get_ladder_to_change(request.person, ladder_id, role="client")
    try:
        attempt = actions.attempt_start(
            ladder=held.ladder, client=request.user, submission_key=submission_key(request)
        )
    except UserFacingError as exc:
        messages.error(request, str(exc))
        return _back(held, "steps")
    return redirect("ladder_attempt", attempt_id=attempt.pk)


def _posted(request: Any) -> dict[str, Any]:
    return {
        k: request.POST.getlist(k) if k == "reasons" else request.POST[k]
        for k in request.POST
        if k not in ("csrfmiddlewaretoken", "submission", "action")
    }


def _rescue(request: Any, user: Any) -> None:
    """Signed out while writing a note about a try: keep it as the try's draft (keep.py)."""
    attempt_id = request.resolver_match.kwargs.get("attempt_id")
    attempt = LadderAttempt.objects.filter(pk=attempt_id, client_id=user.pk).first()
    if attempt is None:
        return
    try:
        actions.attempt_draft_save(attempt=attempt, client=user, data=_posted(request))
    except UserFacingError:
        return


def _keep(request: PersonRequest, attempt: LadderAttempt) -> None:
    """Keep what was posted as the draft, so leaving now loses nothing."""
    try:
        actions.attempt_draft_save(attempt=attempt, client=request.user, data=_posted(request))
    except UserFacingError as exc:
        messages.error(request, str(exc))


def _visibility(request: PersonRequest) -> dict[str, Any]:
    return {
        "allowed": allowed_visibilities(request.person),
        "labels": visibility_labels(request.person),
    }


def _attempt_url(attempt: LadderAttempt) -> str:
    return reverse("tool_ladder", args=[attempt.ladder.assignment_id])


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue)
def attempt(request: PersonRequest, attempt_id: int) -> HttpResponse:
    """One try at a step, screen by screen: before (distress now, the pause point, what you
    expect), during (the step, the pause point, Pause always one tap), afterwards (how it went).
    A try already noted goes back to the ladder, so a second submit stores nothing twice."""
    person = request.person
    attempt = get_own_attempt(person, attempt_id)
    ladder = attempt.ladder
    back = _attempt_url(attempt)
    if attempt.phase == LadderAttempt.Phase.DONE:
        return redirect(f"{back}#step-{attempt.step_id}")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "pause":
        try:
            actions.attempt_pause(attempt=attempt, client=request.user, data=_posted(request))
        except UserFacingError as exc:
            messages.error(request, str(exc))
            return redirect("ladder_attempt", attempt_id=attempt.pk)
        messages.success(request, PAUSED_WORDS)
        return redirect(f"{back}#now")
    draft = actions.attempt_draft(attempt)
    data = request.POST if request.method == "POST" else None
    if attempt.phase == LadderAttempt.Phase.BEFORE:
        form: BeforeForm | AfterForm = BeforeForm(
            data,
            initial={
                "pause_suds": ladder.pause_suds,
                "pause_note": ladder.pause_note,
                "visibility_before": LadderReflection.DEFAULT_VISIBILITY,
                **draft,
            },
            **_visibility(request),
        )
        if action == "not_this_time":
            # No pause point is needed for a step not tried.
            form.is_valid()
            if "__all__" in form.errors:
                del form.errors["__all__"]
            if not form.errors:
                actions.attempt_to_afterwards(
                    attempt=attempt,
                    client=person,
                    outcome=LadderAttempt.Outcome.NOT_THIS_TIME,
                    suds_before=form.cleaned_data.get("suds_before"),
                    reflection=form.cleaned_data.get("reflection_before", ""),
                    visibility=form.cleaned_data.get("visibility_before") or "only_me",
                )
                return redirect("ladder_attempt", attempt_id=attempt.pk)
        elif action == "begin" and form.is_valid():
            cleaned = form.cleaned_data
            try:
                actions.pause_point_set(
                    ladder=ladder,
                    client=request.user,
                    suds=cleaned["pause_suds"],
                    note=cleaned["pause_note"],
                )
                actions.attempt_begin(
                    attempt=attempt,
                    client=person,
                    suds_before=cleaned["suds_before"],
                    reflection=cleaned["reflection_before"],
                    visibility=cleaned["visibility_before"],
                )
            except UserFacingError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("ladder_attempt", attempt_id=attempt.pk)
    elif attempt.phase == LadderAttempt.Phase.DURING:
        if action in (LadderAttempt.Outcome.COMPLETED, LadderAttempt.Outcome.STOPPED):
            actions.attempt_to_afterwards(attempt=attempt, client=person, outcome=action)
            return redirect("ladder_attempt", attempt_id=attempt.pk)
        return render(
            request,
            "ladder/attempt_during.html",
            {"attempt": attempt, "ladder": ladder, "pause_point": _pause_words(ladder)},
        )
    else:
        initial: dict[str, Any] = {
            "visibility_after": LadderReflection.DEFAULT_VISIBILITY,
            "minutes": _minutes(attempt),
            **draft,
        }
        form = AfterForm(data, initial=initial, **_visibility(request))
        if action == "save" and form.is_valid():
            cleaned = form.cleaned_data
            try:
                done = actions.attempt_finish(
                    attempt=attempt,
                    client=person,
                    outcome=cleaned["outcome"],
                    suds_peak=cleaned["suds_peak"],
                    suds_after=cleaned["suds_after"],
                    minutes=cleaned["minutes"],
                    reasons=cleaned["reasons"],
                    reflection=cleaned["reflection_after"],
                    visibility=cleaned["visibility_after"],
                )
            except UserFacingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, THANKS[LadderAttempt.Outcome(done.outcome)])
                return redirect(f"{back}#step-{done.step_id}")
    if request.method == "POST":
        _keep(request, attempt)
    template = (
        "ladder/attempt_before.html"
        if attempt.phase == LadderAttempt.Phase.BEFORE
        else "ladder/attempt_after.html"
    )
    return render(
        request,
        template,
        {
            "attempt": attempt,
            "ladder": ladder,
            "form": form,
            "pause_point": _pause_words(ladder),
            "submission": uuid.uuid4(),
            "partner": person.partner,
        },
        status=400 if form.errors else 200,
    )


def _pause_words(ladder: Ladder) -> str:
    return actions.pause_point_words(ladder.pause_suds, ladder.pause_note)


def _minutes(attempt: LadderAttempt) -> int | None:
    """A first guess at the minutes, from when the step began (none after a long pause)."""
    if attempt.began_at is None:
        return None
    minutes = int((timezone.now() - attempt.began_at).total_seconds() // 60)
    return minutes if 0 < minutes <= 180 else None


@login_required
@require_POST
def attempt_pause(request: PersonRequest, attempt_id: int) -> HttpResponse:
    """Pause, in one tap: the try waits, with everything kept, for whenever the client comes
    back."""
    attempt = get_own_attempt(request.person, attempt_id)
    actions.attempt_pause(attempt=attempt, client=request.user)
    messages.success(request, PAUSED_WORDS)
    return redirect(f"{_attempt_url(attempt)}#now")


@login_required
@require_POST
def attempt_draft(request: PersonRequest, attempt_id: int) -> HttpResponse:
    """Autosave (htmx) of what the client has typed on a try's screen."""
    attempt = get_own_attempt(request.person, attempt_id)
    problem = ""
    try:
        actions.attempt_draft_save(attempt=attempt, client=request.user, data=_posted(request))
    except UserFacingError as exc:
        problem = str(exc)
    if request.htmx:
        return render(
            request,
            "homework/_draft_status.html",
            {"saved_at": None if problem else timezone.localtime(), "problem": problem},
        )
    if problem:
        messages.error(request, problem)
    return redirect("ladder_attempt", attempt_id=attempt.pk)
