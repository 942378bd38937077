from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from interlude.audit.actions import audit_read
from interlude.couples.access import linked_partner_of
from interlude.journal import actions
from interlude.journal.access import (
    entries_shared_with_partner,
    entries_shared_with_therapist,
    get_own_entry,
    own_entries,
)
from interlude.journal.forms import JournalEntryForm
from interlude.journal.models import JournalEntry
from interlude.lib.requests import client_ip
from interlude.practice.access import get_client_for_therapist, get_client_profile_for
from interlude.privacy.sharing import allowed_visibilities
from interlude.privacy.visibility import Visibility, who_can_see


def _labels(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    profile = get_client_profile_for(user)
    partner = linked_partner_of(user)
    therapist = profile.therapist.display_name
    partner_name = partner.display_name if partner else None
    return {
        v: f"{Visibility(v).label} — {who_can_see(v, therapist=therapist, partner=partner_name)}"
        for v in Visibility.values
    }


def _form(request: HttpRequest, data=None, initial=None) -> JournalEntryForm:  # type: ignore[no-untyped-def]
    return JournalEntryForm(
        data,
        initial=initial or {"visibility": JournalEntry.DEFAULT_VISIBILITY},
        allowed=allowed_visibilities(request.user),  # type: ignore[arg-type]
        labels=_labels(request.user),
    )


def _who(entry: JournalEntry, user) -> str:  # type: ignore[no-untyped-def]
    profile = get_client_profile_for(user)
    partner = linked_partner_of(user)
    return who_can_see(
        entry.visibility,
        therapist=profile.therapist.display_name,
        partner=partner.display_name if partner else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest) -> HttpResponse:
    entries = list(own_entries(request.user))  # type: ignore[arg-type]
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.journal_entry_create(
                author=request.user,  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + _who(entry, request.user))
            return redirect("journal")
    return render(
        request,
        "journal/journal.html",
        {
            "form": form,
            "entries": [(e, _who(e, request.user)) for e in entries],
            "default_label": Visibility(JournalEntry.DEFAULT_VISIBILITY).label,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_own_entry(request.user, entry_id)  # type: ignore[arg-type]
    form = _form(
        request,
        request.POST or None,
        initial={"body": entry.body, "visibility": entry.visibility},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.journal_entry_update(
                entry=entry,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as exc:
            form.add_error("visibility", exc)
        else:
            messages.success(request, "Saved. " + _who(entry, request.user))
            return redirect("journal")
    return render(
        request,
        "journal/edit.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_own_entry(request.user, entry_id)  # type: ignore[arg-type]
    actions.journal_entry_delete(entry=entry)
    messages.success(request, "The entry was deleted.")
    return redirect("journal")


@login_required
def shared_by_partner(request: HttpRequest) -> HttpResponse:
    get_client_profile_for(request.user)  # type: ignore[arg-type]
    partner, shared = entries_shared_with_partner(request.user)  # type: ignore[arg-type]
    entries = list(shared)
    if partner is not None and entries:
        audit_read(
            actor=request.user, subject=partner, what="journal.partner", ip=client_ip(request)
        )
    return render(
        request, "journal/shared_by_partner.html", {"partner": partner, "entries": entries}
    )


@login_required
def client_journal(request: HttpRequest, client_id: int) -> HttpResponse:
    profile = get_client_for_therapist(request.user, client_id)  # type: ignore[arg-type]
    entries = list(entries_shared_with_therapist(request.user, profile.user))  # type: ignore[arg-type]
    audit_read(
        actor=request.user, subject=profile.user, what="journal.therapist", ip=client_ip(request)
    )
    return render(
        request,
        "journal/client_journal.html",
        {"profile": profile, "client": profile.user, "entries": entries},
    )
