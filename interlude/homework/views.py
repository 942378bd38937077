from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from interlude.accounts.http import AuthedRequest
from interlude.couples.access import linked_partner_of, open_membership_for
from interlude.exercises.access import (
    get_exercise_for,
    latest_version,
    library_for,
    programme_stages_for,
)
from interlude.homework import actions
from interlude.homework.access import (
    changes_of,
    first_client_of,
    get_assignment_for_client,
    get_assignment_for_therapist,
    own_entries_for,
    said_ready,
)
from interlude.homework.forms import AssignForm, ChangeForm, PracticeForm
from interlude.homework.models import Assignment, PracticeEntry
from interlude.practice.access import get_client_for_therapist
from interlude.sharing.person import PersonRequest
from interlude.sharing.rules import allowed_visibilities, visibility_labels

KEEP = ("csrfmiddlewaretoken", "action")


# --- Clients -------------------------------------------------------------------------------


def _practice_form(request: PersonRequest, assignment: Assignment, **kwargs: Any) -> PracticeForm:
    return PracticeForm(
        assignment=assignment,
        allowed=allowed_visibilities(request.person),
        labels=visibility_labels(request.person),
        **kwargs,
    )


def _draft_data(request: HttpRequest) -> dict[str, Any]:
    return {k: request.POST.getlist(k) for k in request.POST if k not in KEEP}


@login_required
@require_http_methods(["GET", "POST"])
def practice(request: PersonRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_client(request.person, assignment_id)
    user = request.user
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "pause":
        actions.practice_draft_save(assignment=assignment, client=user, data=_draft_data(request))
        messages.success(request, "Paused. Everything you wrote is kept for when you come back.")
        return redirect("home")
    if request.method == "POST" and action.startswith("stop:"):
        data = _draft_data(request)
        data["outcome"] = [PracticeEntry.Outcome.STOPPED]
        data["stopped_at_step"] = [action.split(":", 1)[1]]
        actions.practice_draft_save(assignment=assignment, client=user, data=data)
        return redirect(reverse("practice", args=[assignment.pk]) + "?stopped=1#how-it-went")
    if request.method == "POST" and action == "discard":
        actions.practice_draft_discard(assignment=assignment, client=user)
        messages.success(request, "The draft was cleared.")
        return redirect("practice", assignment_id=assignment.pk)

    if request.method == "POST":
        form = _practice_form(request, assignment, data=request.POST)
        if form.is_valid():
            try:
                actions.practice_entry_record(
                    assignment=assignment,
                    client=request.person,
                    outcome=form.cleaned_data["outcome"],
                    ratings_before=form.ratings("before"),
                    ratings_after=form.ratings("after"),
                    reasons=form.cleaned_data["reasons"],
                    wants_to_talk=form.cleaned_data["wants_to_talk"],
                    reflection=form.cleaned_data["reflection"],
                    visibility=form.cleaned_data["visibility"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    stopped_at_step=form.cleaned_data["stopped_at_step"],
                )
            except ValidationError as exc:
                form.add_error("visibility", exc)
            else:
                messages.success(request, THANKS[form.cleaned_data["outcome"]])
                return redirect("home")
        # Keep what they typed even if they now leave the page.
        actions.practice_draft_save(assignment=assignment, client=user, data=_draft_data(request))
        status = 400
    else:
        draft = actions.practice_draft_load(assignment=assignment, client=user)
        initial = {k: (v if k == "reasons" else v[0]) for k, v in draft.items() if v}
        initial.setdefault("visibility", PracticeEntry.DEFAULT_VISIBILITY)
        form = _practice_form(request, assignment, initial=initial)
        form.has_draft = bool(draft)  # type: ignore[attr-defined]  # replaced in the practice rework
        status = 200
    return render(
        request,
        "homework/practice.html",
        {
            "assignment": assignment,
            "version": assignment.version,
            "steps": assignment.effective_steps,
            "form": form,
            "stopped": request.GET.get("stopped") == "1" or form["outcome"].value() == "stopped",
            "history": own_entries_for(user, assignment, limit=5),
            "next_stage": actions.next_stage_version(assignment.version),
            "said_ready": said_ready(user, assignment),
            "changes": changes_of(assignment),
        },
        status=status,
    )


@login_required
@require_POST
def ready_for_next_stage(request: PersonRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_client(request.person, assignment_id)
    if actions.next_stage_version(assignment.version) is None:
        return redirect("practice", assignment_id=assignment.pk)
    opened = actions.stage_ready(assignment=assignment, client=request.user)
    if opened:
        messages.success(request, "The next stage is open. Go at whatever pace suits you.")
    else:
        messages.success(request, "Noted. There's no hurry, and you can keep practising this one.")
    return redirect("practice", assignment_id=assignment.pk)


THANKS = {
    PracticeEntry.Outcome.COMPLETED: "Thank you for noting how it went.",
    PracticeEntry.Outcome.STOPPED: "Noted. Stopping is part of the practice, and it's always fine.",
    PracticeEntry.Outcome.NOT_THIS_TIME: "Noted. Not this time is completely fine.",
}


@login_required
@require_POST
def practice_draft(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Autosave (htmx) of what the client has typed so far."""
    assignment = get_assignment_for_client(request.person, assignment_id)
    actions.practice_draft_save(
        assignment=assignment,
        client=request.user,
        data=_draft_data(request),
    )
    if request.htmx:
        return render(
            request,
            "homework/practice.html#draft-status",
            {"saved_at": timezone.localtime()},
        )
    return redirect("practice", assignment_id=assignment.pk)


# --- Therapists ----------------------------------------------------------------------------


def _who_choices(profile: Any) -> list[tuple[str, str]]:
    client = profile.user
    choices = [("client", f"{client.display_name}, on their own")]
    member = open_membership_for(client)
    if member is not None and member.consented_at is not None:
        partner = linked_partner_of(client)
        label = (
            f"{client.display_name} and {partner.display_name}, together"
            if partner
            else (f"{client.display_name}'s couple work (their partner is not taking part)")
        )
        choices.append((f"couple:{member.couple_id}", label))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    exercise_id = request.GET.get("exercise") or request.POST.get("exercise")
    if not exercise_id or not exercise_id.isdigit():
        return render(
            request,
            "homework/assign_pick.html",
            {"profile": profile, "client": profile.user, "library": library_for(request.user)},
        )
    exercise = get_exercise_for(request.user, int(exercise_id))
    version = latest_version(exercise)
    programme = programme_stages_for(request.user, exercise)
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        who=_who_choices(profile),
        stages=[(n, f"Stage {n}: {v.title}") for n, v in sorted(programme.items())],
        initial={"who": "client", "steps": "\n".join(version.steps), "stage": version.stage},
    )
    if request.method == "POST" and form.is_valid():
        stage = form.cleaned_data.get("stage")
        chosen = programme.get(stage, version) if stage else version
        who = form.cleaned_data["who"]
        target: dict[str, Any] = {"client": profile.user}
        if who.startswith("couple:"):
            member = open_membership_for(profile.user)
            assert member is not None
            target = {"couple": member.couple}
        steps = form.cleaned_data["steps"] if chosen == version else None
        actions.assignment_create(
            therapist=request.user,
            version=chosen,
            note=form.cleaned_data["note"],
            times=form.cleaned_data["times"],
            period=form.cleaned_data["period"],
            steps=steps,
            **target,
        )
        messages.success(request, f"“{chosen.title}” is now on {profile.user.display_name}'s page.")
        return redirect("client_detail", client_id=profile.user_id)
    return render(
        request,
        "homework/assign.html",
        {
            "profile": profile,
            "client": profile.user,
            "version": version,
            "form": form,
            "exercise": exercise,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_change(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_therapist(request.user, assignment_id)
    form = ChangeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "status": assignment.status,
            "note": assignment.note,
            "times": assignment.times,
            "period": assignment.period,
            "steps": "\n".join(assignment.effective_steps),
            "held": assignment.held,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.assignment_change(
            assignment=assignment,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            times=data["times"],
            period=data["period"],
            steps=data["steps"],
            held=data["held"],
        )
        actions.assignment_set_status(
            assignment=assignment,
            by=request.user,
            status=data["status"],
            reason=data["reason"],
        )
        if request.htmx:
            card = render(
                request,
                "homework/_assignment_card.html",
                {"assignment": assignment, "saved": True},
            )
            return reswap(retarget(card, f"#assignment-{assignment.pk}"), "outerHTML")
        messages.success(request, "Saved. Your client will see what changed and why.")
        return redirect(_back_to(assignment))
    template = "homework/change.html#change-form" if request.htmx else "homework/change.html"
    return render(
        request,
        template,
        {"assignment": assignment, "form": form, "back": _back_to(assignment)},
        status=400 if form.errors else 200,
    )


def _back_to(assignment: Assignment) -> str:
    client_id = first_client_of(assignment)
    return reverse("client_detail", args=[client_id]) if client_id else reverse("caseload")
