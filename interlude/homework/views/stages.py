"""Stages: said ready (with a calm look at what the next stage includes), not ready after all,
and going back a stage. Nothing advances on a timer or on anyone else's say-so."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interlude.homework import actions
from interlude.homework.access import get_assignment_for_client
from interlude.homework.queries import practice_page
from interlude.sharing.person import PersonRequest


@login_required
@require_http_methods(["GET", "POST"])
def ready_for_next_stage(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """GET: what the next stage includes, and that coming back is always possible. POST: the
    client says they feel ready; it opens when everyone taking part does."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    page = practice_page(request.person, assignment)
    if page.next_stage is None:
        return redirect("practice", assignment_id=assignment.pk)
    if request.method == "GET":
        return render(request, "homework/stage_ready.html", {"page": page})
    opened = actions.stage_ready(assignment=assignment, client=request.user)
    if opened:
        messages.success(
            request,
            f"Stage {page.next_stage.stage} is open. Go at whatever pace suits you, and come "
            "back to an earlier stage whenever you like.",
        )
    elif assignment.held:
        messages.success(
            request, "Noted. The next stage waits for a conversation with your therapist."
        )
    elif page.together:
        messages.success(
            request, "Noted. It opens when you both feel ready; until then this stage stays."
        )
    else:
        messages.success(request, "Noted. There's no hurry, and you can keep practising this one.")
    return redirect("practice", assignment_id=assignment.pk)


@login_required
@require_POST
def stage_not_ready(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """ "Not ready after all": readiness taken back, nothing else changes."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    actions.stage_unready(assignment=assignment, client=request.user)
    messages.success(
        request, "That's fine. You're staying with this stage, for as long as you like."
    )
    return redirect("practice", assignment_id=assignment.pk)


@login_required
@require_POST
def stage_back(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Go back a stage, in one tap. In a couple it is the same for both, and never says who."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    previous = actions.stage_step_back(assignment=assignment, client=request.user)
    if previous is not None:
        messages.success(
            request,
            f"You're back at stage {previous.stage}. Stepping back is part of this work.",
        )
    return redirect("practice", assignment_id=assignment.pk)
