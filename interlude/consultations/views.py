"""The therapist's sessions: record one held, plan the next, take a planned one off, and write
the private note on a session."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from interlude.accounts.http import AuthedRequest
from interlude.accounts.keep import keeps_typed_text
from interlude.accounts.models import User
from interlude.audit.actions import audit_read
from interlude.consultations import actions
from interlude.consultations.access import (
    get_session_for_therapist,
    get_session_of_client,
    note_of,
)
from interlude.consultations.forms import NoteForm, PlanForm, RecordForm
from interlude.consultations.models import Attendance
from interlude.consultations.queries import sessions_view, when_words
from interlude.couples.models import CoupleCase
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip, submission_key
from interlude.practice.access import get_client_for_therapist
from interlude.practice.models import ClientProfile
from interlude.sharing.person import Person

ALONE = "alone"
TOGETHER = "together"


def who_choices(profile: ClientProfile) -> tuple[list[tuple[str, str]], User | None]:
    """Who a session can be with: the client on their own, or with their linked partner."""
    client = profile.user
    partner = Person(client).partner
    choices = [(ALONE, f"{client.display_name} on their own")]
    if partner is not None:
        choices.append((TOGETHER, f"{client.display_name} and {partner.display_name}, together"))
    return choices, partner


def _people(profile: ClientProfile, who: str, partner: User | None) -> dict[str, Any]:
    if who == TOGETHER and partner is not None:
        member = Person(profile.user).couple_member
        couple: CoupleCase | None = member.couple if member is not None else None
        return {"clients": [profile.user, partner], "couple": couple}
    return {"clients": [profile.user], "couple": None}


def _page(
    request: AuthedRequest,
    profile: ClientProfile,
    *,
    record: RecordForm | None = None,
    plan: PlanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    choices, partner = who_choices(profile)
    now = timezone.localtime()
    return render(
        request,
        "consultations/sessions.html",
        {
            "profile": profile,
            "client": profile.user,
            "sessions": sessions_view(profile, partner),
            "record": record
            or RecordForm(
                who=choices,
                initial={"day": now.date(), "at": now.time().replace(second=0, microsecond=0)},
            ),
            "plan": plan or PlanForm(who=choices),
            # Each form its own one-time key (a plan and a record from one page are two).
            "record_submission": (request.POST.get("submission") if record is not None else None)
            or uuid.uuid4(),
            "plan_submission": (request.POST.get("submission") if plan is not None else None)
            or uuid.uuid4(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: AuthedRequest, client_id: int) -> HttpResponse:
    """The client's sessions, with the forms to record one held and to plan one."""
    profile = get_client_for_therapist(request.user, client_id)
    if request.method != "POST":
        return _page(request, profile)
    choices, partner = who_choices(profile)
    if request.POST.get("action") == "plan":
        plan = PlanForm(request.POST, who=choices)
        if plan.is_valid():
            data = plan.cleaned_data
            try:
                actions.consultation_plan(
                    therapist=request.user,
                    at=data["moment"],
                    mode=data["mode"],
                    submission_key=submission_key(request),
                    **_people(profile, data["who"], partner),
                )
            except UserFacingError as exc:
                plan.add_error("day", str(exc))
            else:
                messages.success(request, f"Planned: {when_words(data['moment'])}.")
                return redirect("client_detail", client_id=profile.user_id)
        return _page(request, profile, plan=plan, status=400)
    record = RecordForm(request.POST, who=choices)
    if record.is_valid():
        data = record.cleaned_data
        people = _people(profile, data["who"], partner)
        key = submission_key(request)
        try:
            actions.consultation_record(
                therapist=request.user,
                at=data["moment"],
                mode=data["mode"],
                submission_key=key,
                **people,
            )
            if data["next_moment"] is not None:
                actions.consultation_plan(
                    therapist=request.user,
                    at=data["next_moment"],
                    mode=data["next_mode"] or data["mode"],
                    # The next session from the same submission has a key of its own.
                    submission_key=uuid.uuid5(key, "next") if key else None,
                    **people,
                )
        except UserFacingError as exc:
            record.add_error("day", str(exc))
        else:
            words = f"Session recorded: {when_words(data['moment'])}."
            if data["next_moment"] is not None:
                words += f" Next session planned: {when_words(data['next_moment'])}."
            messages.success(request, words)
            return redirect("client_detail", client_id=profile.user_id)
    return _page(request, profile, record=record, status=400)


@login_required
@require_POST
def session_cancel(request: AuthedRequest, consultation_id: int) -> HttpResponse:
    consultation = get_session_for_therapist(request.user, consultation_id)
    first = Attendance.objects.filter(consultation=consultation).order_by("pk").first()
    try:
        actions.consultation_cancel(consultation=consultation, by=request.user)
    except UserFacingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "That planned session is off the plan.")
    if first is None:
        return redirect("caseload")
    return redirect("client_detail", client_id=first.client_id)


def _rescue_note(request: Any, user: Any) -> None:
    """Signed out while writing a note: keep what was typed as the note itself."""
    match = getattr(request, "resolver_match", None)
    if match is None or not getattr(user, "is_therapist", False):
        return
    try:
        profile = get_client_for_therapist(user, int(match.kwargs["client_id"]))
        consultation = get_session_of_client(user, profile, int(match.kwargs["consultation_id"]))
        actions.clinical_note_save(
            therapist=user,
            consultation=consultation,
            profile=profile,
            body=request.POST.get("body", ""),
        )
    except (Http404, UserFacingError, ValueError, KeyError):
        return


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue_note)
def session_note(request: AuthedRequest, client_id: int, consultation_id: int) -> HttpResponse:
    """The private note on one session, in this client's record: written and read by their
    therapist only."""
    profile = get_client_for_therapist(request.user, client_id)
    consultation = get_session_of_client(request.user, profile, consultation_id)
    note = note_of(profile, consultation)
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        initial={"body": note.body if note else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.clinical_note_save(
                therapist=request.user,
                consultation=consultation,
                profile=profile,
                body=form.cleaned_data["body"],
            )
        except UserFacingError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, "Your private note is saved.")
            return redirect("client_detail", client_id=profile.user_id)
    if note is not None and request.method == "GET":
        audit_read(
            actor=request.user,
            subject=profile.user,
            what="clinical_note",
            target=note,
            ip=client_ip(request),
        )
    return render(
        request,
        "consultations/note.html",
        {
            "profile": profile,
            "client": profile.user,
            "consultation": consultation,
            "when": when_words(consultation.at),
            "note": note,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def session_note_draft(
    request: AuthedRequest, client_id: int, consultation_id: int
) -> HttpResponse:
    """Autosave (htmx) of a note being written: the note itself is kept, encrypted."""
    profile = get_client_for_therapist(request.user, client_id)
    consultation = get_session_of_client(request.user, profile, consultation_id)
    problem = ""
    try:
        actions.clinical_note_save(
            therapist=request.user,
            consultation=consultation,
            profile=profile,
            body=request.POST.get("body", ""),
        )
    except UserFacingError as exc:
        problem = str(exc)
    if request.htmx:
        return render(
            request,
            "consultations/_note_status.html",
            {"saved_at": None if problem else timezone.localtime(), "problem": problem},
        )
    return redirect("session_note", client_id=profile.user_id, consultation_id=consultation.pk)
