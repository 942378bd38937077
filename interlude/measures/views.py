"""Questionnaires: the therapist offers one; the client answers it calmly, and sees a kind
safety page at once when their answer asks for it; the therapist acknowledges the alert."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.exercises.crisis import crisis_details
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip, submission_key
from interlude.measures import actions
from interlude.measures.access import (
    get_alert_for_therapist,
    get_assignment_for_therapist,
    get_own_assignment,
    get_own_response,
)
from interlude.measures.forms import AnswerForm, AssignMeasureForm
from interlude.measures.instruments import source
from interlude.measures.models import MeasureResponse, SafetyAlert
from interlude.measures.queries import client_questionnaires, gentle_score, is_open
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.sharing.person import PersonRequest

# --- the therapist ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measure_assign(request: AuthedRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)
    form = AssignMeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assignment = actions.measure_assign(
            therapist=request.user,
            client=profile.user,
            instrument_key=form.cleaned_data["instrument"],
            every_weeks=form.every_weeks,
            share_scores=form.cleaned_data["share_scores"],
            submission_key=submission_key(request),
        )
        messages.success(
            request,
            f"The {assignment.definition.name} is on {profile.user.display_name}'s "
            f"questionnaires page ({assignment.how_often}).",
        )
        return redirect("client_detail", client_id=profile.user_id)
    return render(
        request,
        "measures/assign.html",
        {
            "profile": profile,
            "client": profile.user,
            "form": form,
            "source": source(),
            "submission": request.POST.get("submission") or uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def measure_end(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_therapist(request.user, assignment_id)
    actions.measure_end(assignment=assignment, by=request.user)
    messages.success(request, f"The {assignment.definition.name} is no longer offered.")
    return redirect("client_detail", client_id=assignment.client_id)


@login_required
@require_POST
def safety_alert_acknowledge(request: AuthedRequest, alert_id: int) -> HttpResponse:
    alert: SafetyAlert = get_alert_for_therapist(request.user, alert_id)
    actions.safety_alert_acknowledge(alert=alert, by=request.user, ip=client_ip(request))
    messages.success(
        request,
        "Acknowledged. It stays in the record; the alert no longer heads your caseload.",
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("client_detail", client_id=alert.client_id)


# --- the client -------------------------------------------------------------------------------


@login_required
@require_safe
def questionnaires(request: PersonRequest) -> HttpResponse:
    get_client_profile_for(request.user)
    return render(
        request,
        "measures/questionnaires.html",
        {"page": client_questionnaires(request.person), "source": source()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: PersonRequest, assignment_id: int) -> HttpResponse:
    person = request.person
    assignment = get_own_assignment(person, assignment_id)
    key = submission_key(request) if request.method == "POST" else None
    if key is not None:  # the same answers sent twice: the page after answering, once
        earlier = MeasureResponse.objects.filter(client=request.user, submission_key=key).first()
        if earlier is not None:
            return redirect("questionnaire_done", response_id=earlier.pk)
    open_now, opens_on = is_open(assignment)
    if not open_now:
        return render(
            request,
            "measures/not_open.html",
            {"assignment": assignment, "opens_on": opens_on},
        )
    definition = assignment.definition
    form = AnswerForm(request.POST if request.method == "POST" else None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.measure_respond(
                assignment=assignment,
                client=request.user,
                answers=form.answers(),
                difficulty=form.cleaned_data.get("difficulty"),
                submission_key=key,
            )
        except UserFacingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("questionnaire_done", response_id=response.pk)
    return render(
        request,
        "measures/questionnaire.html",
        {
            "assignment": assignment,
            "definition": definition,
            "form": form,
            "source": source(),
            "submission": request.POST.get("submission") or uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def questionnaire_done(request: PersonRequest, response_id: int) -> HttpResponse:
    """After answering: thanks, the total in gentle words if the therapist shares it, and at
    once, when an answer asks for it, where to find help now."""
    person = request.person
    response = get_own_response(person, response_id)
    profile = get_client_profile_for(request.user)
    safety = SafetyAlert.objects.filter(response=response).exists()
    crisis = crisis_details(profile.practice)
    number = str(crisis["emergency_number"]).strip()
    return render(
        request,
        "measures/done.html",
        {
            "response": response,
            "safety": safety,
            "crisis": crisis,
            # A number alone can be tapped to call it.
            "emergency_dial": number if number.isdigit() and len(number) <= 6 else "",
            "therapist": profile.therapist,
            "score": gentle_score(response) if response.assignment.share_scores else "",
            "back": reverse("questionnaires"),
        },
    )
