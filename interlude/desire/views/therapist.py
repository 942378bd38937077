"""The therapist's side of a desire map: what it offers (hidden groups, kinds and items, their
own items, how often a new round may open), and what the clients chose to share."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.audit.actions import audit_read
from interlude.desire import actions
from interlude.desire.access import get_custom_item_for_therapist, get_map_for_therapist
from interlude.desire.catalogue import INTENSITIES, catalogue
from interlude.desire.forms import CustomItemForm, SettingsForm
from interlude.desire.models import DEFAULT_INTERVAL_DAYS
from interlude.desire.queries import people_of, therapist_map
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip, submission_key


def _client_of(assignment: Any) -> Any:
    """The client whose page the map belongs on (for a couple, the first partner)."""
    people, _ = people_of(assignment)
    return people[0] if people else None


def _settings_page(
    request: AuthedRequest,
    assignment: Any,
    form: SettingsForm | None = None,
    item_form: CustomItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    known = catalogue()
    if form is None:
        settings = actions.settings_of(assignment)
        hidden = settings.hidden_choices if settings else {}
        form = SettingsForm(
            known=known,
            initial={
                "groups": [g.slug for g in known.groups if g.slug not in hidden.get("groups", [])],
                "intensities": [i for i in INTENSITIES if i not in hidden.get("intensities", [])],
                "items": [i.slug for i in known.items if i.slug not in hidden.get("items", [])],
                "interval_days": settings.interval_days if settings else DEFAULT_INTERVAL_DAYS,
            },
        )
    view = therapist_map(assignment)
    chosen_items = set(form["items"].value() or [])
    return render(
        request,
        "desire/settings.html",
        {
            "assignment": assignment,
            "client": _client_of(assignment),
            "view": view,
            "form": form,
            "item_form": item_form or CustomItemForm(),
            "groups": [
                (group, [(item, item.slug in chosen_items) for item in group.items])
                for group in known.groups
            ],
            "custom": actions.custom_items_of(assignment),
            "submission": uuid.uuid4(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def desire_settings(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """What this map offers, and how often a new round may open."""
    assignment = get_map_for_therapist(request.user, assignment_id)
    if request.method == "GET":
        return _settings_page(request, assignment)
    known = catalogue()
    form = SettingsForm(request.POST, known=known)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.desire_settings_save(
                assignment=assignment,
                therapist=request.user,
                hidden_groups=[g.slug for g in known.groups if g.slug not in data["groups"]],
                hidden_intensities=[i for i in INTENSITIES if i not in data["intensities"]],
                hidden_items=[i.slug for i in known.items if i.slug not in data["items"]],
                interval_days=data["interval_days"],
            )
        except UserFacingError as exc:
            form.add_error("interval_days", str(exc))
        else:
            messages.success(request, "Saved. The map offers what you chose from now on.")
            return redirect("desire_settings", assignment_id=assignment.pk)
    return _settings_page(request, assignment, form=form, status=400)


@login_required
@require_POST
def desire_item_add(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """Add an item of the therapist's own to the map."""
    assignment = get_map_for_therapist(request.user, assignment_id)
    form = CustomItemForm(request.POST)
    if form.is_valid():
        try:
            actions.desire_custom_item_add(
                assignment=assignment,
                therapist=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Added. It is on the map from now on, in its own group.")
            return redirect("desire_settings", assignment_id=assignment.pk)
    return _settings_page(request, assignment, item_form=form, status=400)


@login_required
@require_POST
def desire_item_remove(request: AuthedRequest, assignment_id: int, item_id: int) -> HttpResponse:
    """Take one of the therapist's own items off the map."""
    assignment = get_map_for_therapist(request.user, assignment_id)
    try:
        item = get_custom_item_for_therapist(request.user, assignment_id, item_id)
    except Http404:  # removed already (the same button pressed twice)
        messages.success(request, "Removed from the map.")
        return redirect("desire_settings", assignment_id=assignment.pk)
    actions.desire_custom_item_remove(item=item, therapist=request.user)
    messages.success(request, "Removed from the map.")
    return redirect("desire_settings", assignment_id=assignment.pk)


@login_required
@require_safe
def desire_results(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """The rounds, and what the clients chose to share with their therapist: a couple's shared
    items when both chose so, a personal map's yes and maybe items when its author did."""
    assignment = get_map_for_therapist(request.user, assignment_id)
    view = therapist_map(assignment, with_shared=True)
    client = _client_of(assignment)
    if view.shared or view.personal:
        for person in people_of(assignment)[0]:
            audit_read(
                actor=request.user,
                subject=person,
                what="desire.therapist",
                target=assignment,
                ip=client_ip(request),
            )
    return render(
        request,
        "desire/results.html",
        {"assignment": assignment, "client": client, "view": view},
    )
