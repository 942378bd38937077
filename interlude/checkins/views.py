"""The weekly check-in: prepare privately, say you're ready, read it together, note what you
agreed; and the therapist's page for choosing the questions."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.http import AuthedRequest
from interlude.accounts.keep import keeps_typed_text
from interlude.audit.actions import audit_read
from interlude.checkins import actions
from interlude.checkins.access import (
    Place,
    get_checkin,
    get_place_for_client,
    get_place_for_therapist,
)
from interlude.checkins.forms import AgendaForm, AgreedForm, PreparationForm, initial_from
from interlude.checkins.queries import CheckinPage, checkin_page, tailoring_of, week_page
from interlude.checkins.questions import agenda
from interlude.couples.models import CoupleMember
from interlude.lib.errors import UserFacingError
from interlude.lib.requests import client_ip, submission_key
from interlude.sharing.person import Person, PersonRequest


def _form(page: CheckinPage, data: Any = None) -> PreparationForm:
    return PreparationForm(
        data,
        questions=page.questions,
        choices=page.choices,
        initial=initial_from(page.answers),
    )


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _keep(place: Place, person: Person, form: PreparationForm) -> None:
    actions.checkin_prepare(
        place=place,
        person=person,
        answers=[actions.Written(q, text, v, n) for n, q, text, v in form.answers()],
    )


def _rescue(request: Any, user: Any) -> None:
    """Signed out while preparing: keep the answers as they were typed (see accounts/keep.py)."""
    person = Person(user)
    try:
        place = get_place_for_client(person, request.resolver_match.kwargs["assignment_id"])
        form = _form(checkin_page(place, person), request.POST)
        if form.is_valid():
            _keep(place, person, form)
    except Exception:  # noqa: BLE001 - nothing of theirs to keep here
        return


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue)
def checkin(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """This week's check-in: the questions to prepare privately, then "ready"; once both are
    ready, a link to read it together. Autosaved (htmx) as it is typed."""
    person = request.person
    place = get_place_for_client(person, assignment_id)
    page = checkin_page(place, person)
    form = _form(page, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        choice = request.POST.get("action", "save")
        if choice == "change":
            try:
                actions.checkin_not_ready(place=place, person=person)
            except UserFacingError as exc:
                messages.error(request, str(exc))
            return redirect("tool_checkin", assignment_id=place.assignment_id)
        problem = ""
        if form.is_valid():
            try:
                _keep(place, person, form)
                held = None
                if choice == "ready" and not request.htmx:
                    held = actions.checkin_ready(place=place, person=person)
            except (UserFacingError, ValidationError) as exc:
                problem = _message(exc)
                form.add_error(None, problem)
            else:
                if request.htmx:
                    return _draft_status(request, kept=True)
                if held is not None:
                    return _after_ready(request, page, held.pk, held.held_at is not None)
                if choice == "save":
                    messages.success(request, "Kept. Only you can see your answers for now.")
                    return redirect("tool_checkin", assignment_id=place.assignment_id)
                # "Check my words" without script: the page again, with the coach's notes.
                page = checkin_page(place, person)
                form = _form(page, request.POST)
                form.is_valid()
        elif request.htmx:
            return _draft_status(request, kept=False, problem="Something here is too long to keep.")
        if request.htmx:
            return _draft_status(request, kept=False, problem=problem)
    return render(
        request,
        "checkins/checkin.html",
        {"page": page, "form": form, "rows": form.rows(), "checked": request.method == "POST"},
        status=400 if form.errors else 200,
    )


def _after_ready(
    request: PersonRequest, page: CheckinPage, checkin_id: int, held: bool
) -> HttpResponse:
    if held:
        if page.together:
            messages.success(request, "This week's check-in is ready to read together.")
        else:
            messages.success(request, "Your check-in for this week is kept.")
        return redirect(
            "checkin_week", assignment_id=page.place.assignment_id, checkin_id=checkin_id
        )
    # The page itself says so; a message would repeat it.
    return redirect("tool_checkin", assignment_id=page.place.assignment_id)


def _draft_status(request: PersonRequest, *, kept: bool, problem: str = "") -> HttpResponse:
    return render(
        request,
        "homework/_draft_status.html",
        {"saved_at": timezone.localtime() if kept else None, "problem": problem},
    )


def _week(
    request: PersonRequest,
    place: Place,
    checkin_id: int,
    *,
    form: AgreedForm | None = None,
    status: int = 200,
    conflict: bool = False,
) -> HttpResponse:
    person = request.person
    checkin = get_checkin(place, person, checkin_id)
    page = week_page(place, person, checkin)
    if page.partner_name and any(pair.theirs for pair in page.pairs):
        audit_read(
            actor=request.user,
            subject=person.partner,
            what="checkin.partner",
            ip=client_ip(request),
        )
    if form is None and page.versions is not None:
        note = page.note
        form = AgreedForm(
            initial={
                "text": page.agreed_draft or (note.text if note else ""),
                "base": note.pk if note else 0,
            }
        )
    return render(
        request,
        "checkins/week.html",
        {
            "page": page,
            "form": form,
            "has_draft": bool(page.agreed_draft),
            "submission": uuid.uuid4(),
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_safe
def checkin_week(request: PersonRequest, assignment_id: int, checkin_id: int) -> HttpResponse:
    """One check-in read back: together once both were ready, or a person's own preparation."""
    place = get_place_for_client(request.person, assignment_id)
    return _week(request, place, checkin_id)


def _rescue_agreed(request: Any, user: Any) -> None:
    """Signed out while writing the agreed note: keep it as their private draft of it."""
    person = Person(user)
    kwargs = request.resolver_match.kwargs
    try:
        place = get_place_for_client(person, kwargs["assignment_id"])
        checkin = get_checkin(place, person, kwargs["checkin_id"])
        text = request.POST.get("text", "")
        if len(text) <= 5_000:
            actions.checkin_agreed_draft(checkin=checkin, author=user, text=text)
    except Exception:  # noqa: BLE001 - nothing of theirs to keep here
        return


@login_required
@require_POST
@keeps_typed_text(_rescue_agreed)
def checkin_agreed(request: PersonRequest, assignment_id: int, checkin_id: int) -> HttpResponse:
    """Save the note of what was agreed (htmx: keep it as a draft while it is typed)."""
    person = request.person
    place = get_place_for_client(person, assignment_id)
    checkin = get_checkin(place, person, checkin_id)
    page = week_page(place, person, checkin)
    if page.versions is None:
        # Not a couple's held check-in in their current link: there is no note to write.
        return redirect("checkin_week", assignment_id=assignment_id, checkin_id=checkin_id)
    form = AgreedForm(request.POST)
    if request.htmx:
        text = request.POST.get("text", "")
        if len(text) > 5_000:
            return _draft_status(request, kept=False, problem="This is too long to keep.")
        kept = actions.checkin_agreed_draft(checkin=checkin, author=request.user, text=text)
        return _draft_status(request, kept=kept)
    if form.is_valid():
        try:
            version = actions.checkin_agreed_save(
                checkin=checkin,
                person=person,
                text=form.cleaned_data["text"],
                base=form.cleaned_data["base"],
                submission_key=submission_key(request),
            )
        except UserFacingError as exc:
            note = page.note
            data = request.POST.copy()
            data["base"] = str(note.pk if note else 0)
            form = AgreedForm(data)
            form.is_valid()
            form.add_error("text", str(exc))
            return _week(request, place, checkin_id, form=form, status=400, conflict=True)
        else:
            messages.success(
                request,
                "Saved. You can both read it and change it."
                if version is not None
                else "Nothing had changed, so nothing new was saved.",
            )
            return redirect("checkin_week", assignment_id=assignment_id, checkin_id=checkin_id)
    return _week(request, place, checkin_id, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_agenda(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    """The therapist chooses the questions of one couple's (or client's) check-in."""
    place = get_place_for_therapist(request.user, assignment_id)
    tailoring, added = tailoring_of(place)
    sections_on = [
        s.slug
        for s in agenda().sections
        if tailoring is None or s.slug not in tailoring.sections_off
    ]
    form = AgendaForm(
        request.POST if request.method == "POST" else None,
        added=len(added),
        initial={"sections": sections_on},
    )
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit() and len(remove) < 19:
            actions.checkin_agenda_change(
                place=place, by=request.user, sections_on=sections_on, remove=int(remove)
            )
            messages.success(request, "The question was removed.")
            return redirect("checkin_agenda", assignment_id=assignment_id)
        if form.is_valid():
            actions.checkin_agenda_change(
                place=place,
                by=request.user,
                sections_on=form.cleaned_data["sections"],
                add=form.cleaned_data["question"],
                submission_key=submission_key(request),
            )
            messages.success(request, "Saved. Their next preparation asks these questions.")
            return redirect("checkin_agenda", assignment_id=assignment_id)
    return render(
        request,
        "checkins/agenda.html",
        {
            "place": place,
            "form": form,
            "added": added,
            "client_id": _client_of(place),
            "submission": uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


def _client_of(place: Place) -> int | None:
    """Whose page the therapist came from (for a couple, the first partner's)."""
    if place.client_id is not None:
        return place.client_id
    member = (
        CoupleMember.objects.filter(couple_id=place.couple_id, client__isnull=False)
        .order_by("created_at")
        .first()
    )
    return member.client_id if member else None
