from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.exercises import actions
from interlude.exercises.access import (
    get_exercise_for,
    get_own_exercise_for,
    latest_version,
    library_membership_for,
    library_versions_for,
)
from interlude.exercises.actions import ExerciseError
from interlude.exercises.forms import ExerciseForm, LibraryFilterForm
from interlude.exercises.models import Exercise, Family


@login_required
@require_safe
def exercise_library(request: AuthedRequest) -> HttpResponse:
    membership = library_membership_for(request.user)
    form = LibraryFilterForm(request.GET)
    form.is_valid()  # an unknown value shows a message and that filter is left out
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    versions = library_versions_for(request.user, **filters)
    order = list(Family.values)
    versions.sort(
        key=lambda v: (order.index(v.family), v.programme or "~", v.stage or 0, v.title.casefold())
    )
    groups = [
        (label, [v for v in versions if v.family == value])
        for value, label in Family.choices
        if any(v.family == value for v in versions)
    ]
    return render(
        request,
        "exercises/library.html",
        {
            "form": form,
            "groups": groups,
            "count": len(versions),
            "filtered": bool(filters),
            "practice_id": membership.practice_id,
        },
    )


def _detail(request: AuthedRequest, exercise: Exercise, status: int = 200) -> HttpResponse:
    membership = library_membership_for(request.user)
    based_on = exercise.based_on
    if based_on is not None and based_on.practice_id not in (None, membership.practice_id):
        based_on = None
    return render(
        request,
        "exercises/detail.html",
        {
            "exercise": exercise,
            "version": latest_version(exercise),
            "own": exercise.practice_id == membership.practice_id,
            "based_on": based_on,
            # A therapist-only page: the exercise's "For therapists" notes are shown here.
            "show_therapist_notes": True,
        },
        status=status,
    )


@login_required
@require_safe
def exercise_detail(request: AuthedRequest, exercise_id: int) -> HttpResponse:
    exercise = get_exercise_for(request.user, exercise_id)
    return _detail(request, exercise)


def _base(request: AuthedRequest) -> Exercise | None:
    """The exercise being copied and customised (?from= on the page, kept in the form)."""
    raw = (request.POST.get("based_on") if request.method == "POST" else None) or request.GET.get(
        "from", ""
    )
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None
    return get_exercise_for(request.user, int(raw))


@login_required
@require_http_methods(["GET", "POST"])
def exercise_new(request: AuthedRequest) -> HttpResponse:
    """Write a new exercise, or copy and customise one: nothing is saved until Save."""
    library_membership_for(request.user)
    base = _base(request)
    initial = ExerciseForm.initial_from(latest_version(base)) if base is not None else None
    form = ExerciseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = actions.exercise_write(
                therapist=request.user, based_on=base, **form.exercise_fields()
            )
        except ExerciseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Saved. Your practice now has its own version; the original stays as it was."
                if base is not None
                else "Saved. This is how your client will see it.",
            )
            return redirect("exercise_detail", exercise_id=exercise.pk)
    return render(
        request,
        "exercises/edit.html",
        {"form": form, "exercise": None, "base": base},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request: AuthedRequest, exercise_id: int) -> HttpResponse:
    exercise = get_own_exercise_for(request.user, exercise_id)
    version = latest_version(exercise)
    form = ExerciseForm(
        request.POST if request.method == "POST" else None,
        initial=ExerciseForm.initial_from(version),
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.exercise_update(
                exercise=exercise, therapist=request.user, **form.exercise_fields()
            )
        except ExerciseError as exc:
            form.add_error(None, str(exc))
    if saved is not None:
        if saved.pk == version.pk:
            messages.info(request, "Nothing had changed, so no new version was made.")
        else:
            messages.success(
                request,
                f"Saved as version {saved.version}. Anything already given to a client keeps "
                "the version it was given.",
            )
        return redirect("exercise_detail", exercise_id=exercise.pk)
    return render(
        request,
        "exercises/edit.html",
        {"form": form, "exercise": exercise, "version": version},
        status=400 if form.errors else 200,
    )
