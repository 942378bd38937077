"""The guide player: choose a length (and a rhythm), then large calm cues that move on by
themselves, with one bar for Pause and Stop. Stopping or finishing opens the practice log with
the minutes filled in. Without JavaScript the whole guide is a list to read at your own pace,
with the same ways out."""

from __future__ import annotations

import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.guides import actions
from interlude.guides.access import default_for, get_guide_for_client, get_guide_for_therapist
from interlude.guides.forms import GuideChoiceForm, GuideDefaultForm
from interlude.guides.models import GuideKind, GuideUse
from interlude.guides.plans import Choice, body_scans, breathing, choose, describe, plan_for
from interlude.homework.access import first_client_of
from interlude.homework.models import Assignment
from interlude.lib.requests import submission_key
from interlude.sharing.person import PersonRequest

# A guide page left open for longer than this is not a practice of that length.
MAX_ELAPSED = 24 * 60 * 60


def _choice(assignment: Assignment, kind: str, minutes: object, pattern: object) -> Choice:
    default = default_for(assignment)
    return choose(
        kind,
        minutes=minutes,
        pattern=pattern,
        default_minutes=(
            (default.scan_minutes if kind == GuideKind.BODY_SCAN else default.breathing_minutes)
            if default
            else None
        ),
        default_pattern=default.pattern if default else "",
    )


def _content(kind: str) -> dict[str, object]:
    if kind == GuideKind.BODY_SCAN:
        scans = body_scans()
        return {"note": scans.note, "safety": [scans.safety]}
    content = breathing()
    return {"note": "", "safety": list(content.safety)}


@login_required
@require_safe
def guide(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Before starting: what the guide is, the safety lines, and the choice of length."""
    assignment, kind = get_guide_for_client(request.person, assignment_id)
    choice = _choice(assignment, kind, request.GET.get("minutes"), request.GET.get("pattern"))
    form = GuideChoiceForm(
        kind=kind, initial={"minutes": choice.minutes, "pattern": choice.pattern}
    )
    return render(
        request,
        "guides/guide.html",
        {
            "assignment": assignment,
            "kind": kind,
            "form": form,
            "plan": plan_for(choice),
            **_content(kind),
        },
    )


@login_required
@require_safe
def guide_play(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """The guide itself. The cues are written into the page; the page's script moves through
    them (and without it, they are a list to read)."""
    assignment, kind = get_guide_for_client(request.person, assignment_id)
    choice = _choice(assignment, kind, request.GET.get("minutes"), request.GET.get("pattern"))
    plan = plan_for(choice)
    return render(
        request,
        "guides/play.html",
        {
            "assignment": assignment,
            "kind": kind,
            "choice": choice,
            "plan": plan,
            "started": int(time.time()),
            "submission": uuid.uuid4(),
            **_content(kind),
        },
    )


def _number(value: str | None, digits: int) -> int | None:
    """A whole number from the page of at most DIGITS digits, or None."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= digits else None


@login_required
@require_POST
def guide_end(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Pause (without the page's script: back to the exercise, nothing noted), stop or finish
    (noted, then the practice log with the minutes filled in)."""
    assignment, kind = get_guide_for_client(request.person, assignment_id)
    action = request.POST.get("action", "")
    if action not in GuideUse.Outcome.values:
        messages.success(
            request, "Paused. The guide is here whenever you'd like to come back to it."
        )
        return redirect("practice", assignment_id=assignment.pk)
    plan = plan_for(
        _choice(assignment, kind, request.POST.get("minutes"), request.POST.get("pattern"))
    )
    seconds = _number(request.POST.get("elapsed"), 6)
    started = _number(request.POST.get("started"), 12)
    if seconds is None and started is not None:
        seconds = min(max(int(time.time()) - started, 0), MAX_ELAPSED)
    use = actions.guide_use_record(
        client=request.user,
        assignment=assignment,
        plan=plan,
        seconds=seconds or 0,
        outcome=action,
        submission_key=submission_key(request),
    )
    after = reverse("practice_after", args=[assignment.pk])
    return redirect(f"{after}?outcome={use.outcome}&minutes={use.minutes_done}")


@login_required
@require_http_methods(["GET", "POST"])
def guide_defaults(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """The therapist chooses what the guide offers first for this assignment."""
    assignment, kind = get_guide_for_therapist(request.user, assignment_id)
    default = default_for(assignment)
    choice = _choice(assignment, kind, None, None)
    initial = (
        {"scan_minutes": choice.minutes}
        if kind == GuideKind.BODY_SCAN
        else {"pattern": choice.pattern, "breathing_minutes": choice.minutes}
    )
    form = GuideDefaultForm(
        request.POST if request.method == "POST" else None, kind=kind, initial=initial
    )
    client_id = first_client_of(assignment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.guide_default_set(
            assignment=assignment,
            by=request.user,
            scan_minutes=data.get("scan_minutes"),
            pattern=data.get("pattern", ""),
            breathing_minutes=data.get("breathing_minutes"),
        )
        chosen = _choice(assignment, kind, None, None)
        messages.success(
            request,
            f"Saved. The guide now offers {describe(kind, chosen.minutes, chosen.pattern)} first.",
        )
        if client_id is not None:
            return redirect("client_detail", client_id=client_id)
        return redirect("guide_defaults", assignment_id=assignment.pk)
    return render(
        request,
        "guides/defaults.html",
        {
            "assignment": assignment,
            "kind": kind,
            "form": form,
            "default": default,
            "client_id": client_id,
            "offered": describe(kind, choice.minutes, choice.pattern),
        },
        status=400 if form.errors else 200,
    )
