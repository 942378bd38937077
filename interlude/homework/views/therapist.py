"""The therapist's side: assigning an exercise, tailored, and adjusting it with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from interlude.accounts.http import AuthedRequest
from interlude.exercises.access import (
    get_exercise_for,
    latest_version,
    library_for,
    personal_version_of,
    programme_stages_for,
)
from interlude.exercises.models import Suits
from interlude.homework import actions
from interlude.homework.access import first_client_of, get_assignment_for_therapist
from interlude.homework.forms import AssignForm, ChangeForm
from interlude.homework.models import Assignment, AssignmentChange
from interlude.homework.queries import assignment_line
from interlude.homework.stages import adjust_stage_options, programme_stages, stage_options
from interlude.practice.access import get_client_for_therapist
from interlude.practice.models import ClientProfile
from interlude.sharing.person import Person


def _who_choices(profile: ClientProfile) -> list[tuple[str, str]]:
    client = profile.user
    choices = [("client", f"{client.display_name}, on their own")]
    person = Person(client)
    if person.couple_id is not None:
        partner = person.partner
        label = (
            f"{client.display_name} and {partner.display_name}, together"
            if partner
            else f"{client.display_name}'s own couple work (their partner is not taking part)"
        )
        choices.append((f"couple:{person.couple_id}", label))
    return choices


def _exercise_id(request: AuthedRequest) -> int | None:
    raw = request.POST.get("exercise") if request.method == "POST" else None
    raw = raw or request.GET.get("exercise") or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    exercise_id = _exercise_id(request)
    if exercise_id is None:
        return render(
            request,
            "homework/assign_pick.html",
            {"profile": profile, "client": profile.user, "library": library_for(request.user)},
        )
    exercise = get_exercise_for(request.user, exercise_id)
    version = latest_version(exercise)
    programme = programme_stages_for(request.user, exercise)
    who_choices = _who_choices(profile)
    # An exercise written for two is offered to the couple first, where there is one.
    together = [key for key, _label in who_choices if key.startswith("couple:")]
    first = together[0] if together and version.suits == Suits.COUPLE else "client"
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        who=who_choices,
        stages=stage_options(programme),
        initial={"who": first, "steps": "\n".join(version.steps), "stage": version.stage},
    )
    if request.method == "POST" and form.is_valid():
        stage = form.cleaned_data.get("stage")
        chosen = programme.get(stage, version) if stage else version
        who = form.cleaned_data["who"]
        target: dict[str, Any] = {"client": profile.user}
        if who.startswith("couple:"):
            member = Person(profile.user).couple_member
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
        partner = Person(profile.user).partner if "couple" in target else None
        pages = (
            f"{profile.user.display_name}'s and {partner.display_name}'s pages"
            if partner is not None
            else f"{profile.user.display_name}'s page"
        )
        messages.success(request, f"“{chosen.title}” is now on {pages}.")
        return redirect("client_detail", client_id=profile.user_id)
    # Someone practising on their own is better served by the version written for one person.
    personal = personal_version_of(exercise) if Person(profile.user).partner is None else None
    return render(
        request,
        "homework/assign.html",
        {
            "profile": profile,
            "client": profile.user,
            "version": version,
            "form": form,
            "exercise": exercise,
            "personal": personal,
        },
        status=400 if form.errors else 200,
    )


def _saved_words(changes: list[AssignmentChange]) -> str:
    if not changes:
        return "Nothing was different, so nothing changed."
    return "Saved. " + " ".join(c.summary for c in changes) + " Your client will see it and why."


@login_required
@require_http_methods(["GET", "POST"])
def assignment_change(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """Adjust: status, stage (or hold it), note, how often, steps, with a reason. With htmx the
    form opens in the card (once, however often Adjust is pressed) and errors stay in it."""
    assignment = get_assignment_for_therapist(request.user, assignment_id)
    stages = programme_stages(assignment.version)
    form = ChangeForm(
        request.POST if request.method == "POST" else None,
        # Several cards' forms can be open on one page: each field's id is its own.
        auto_id=f"change-{assignment.pk}-%s",
        stages=adjust_stage_options(assignment, stages),
        initial={
            "status": assignment.status,
            "stage": assignment.version.stage,
            "note": assignment.note,
            "times": assignment.times,
            "period": assignment.period,
            "steps": "\n".join(assignment.effective_steps),
            "held": assignment.held,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            "note": data["note"],
            "times": data["times"],
            "period": data["period"],
            "steps": data["steps"],
        }
        if stages:
            changes["held"] = data["held"]
            changes["version"] = stages.get(data.get("stage") or 0, assignment.version)
        recorded = actions.assignment_adjust(
            assignment=assignment,
            by=request.user,
            reason=data["reason"],
            status=data["status"],
            **changes,
        )
        if request.htmx:
            card = render(
                request,
                "homework/_assignment_card.html",
                {"line": assignment_line(assignment), "saved": _saved_words(recorded)},
            )
            return reswap(retarget(card, f"#assignment-{assignment.pk}"), "outerHTML")
        messages.success(request, _saved_words(recorded))
        return redirect(_back_to(assignment))
    if request.htmx:
        # 200 with the form and its messages: htmx swaps it in place (it drops a 400).
        return render(
            request,
            "homework/change.html#change-form",
            {
                "assignment": assignment,
                "form": form,
                "back": _back_to(assignment),
                # In a card on the client's page: saved in place. On its own page (opened
                # by its address) the form is sent as a page and the saved words follow.
                "inline": True,
                "opened_inline": request.method == "GET",
            },
        )
    return render(
        request,
        "homework/change.html",
        {"assignment": assignment, "form": form, "back": _back_to(assignment)},
        status=400 if form.errors else 200,
    )


def _back_to(assignment: Assignment) -> str:
    client_id = first_client_of(assignment)
    return reverse("client_detail", args=[client_id]) if client_id else reverse("caseload")
