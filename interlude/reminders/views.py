from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.practice.access import get_client_profile_for
from interlude.reminders import actions
from interlude.reminders.access import get_feed_for_token, user_for_stop_token
from interlude.reminders.calendar import feed_calendar
from interlude.reminders.forms import OFF, ON, ReminderForm
from interlude.reminders.links import calendar_url
from interlude.reminders.models import ReminderSettings
from interlude.reminders.queries import RemindersPage, reminders_page
from interlude.sharing.person import PersonRequest


def _initial(page: RemindersPage) -> dict[str, Any]:
    row = page.settings
    return {
        "scheduled": ON if row.scheduled else OFF,
        "days": row.days,
        "at": row.at,
        "quiet_from": row.quiet_from,
        "quiet_until": row.quiet_until,
        "remind_about": [
            s.assignment_id for s in page.subjects if s.assignment_id not in page.muted
        ],
    }


def _render(
    request: PersonRequest,
    page: RemindersPage,
    form: ReminderForm | None = None,
    *,
    calendar_link: str = "",
) -> HttpResponse:
    form = form or ReminderForm(initial=_initial(page), subjects=page.subjects)
    return render(
        request,
        "reminders/reminders.html",
        {
            "page": page,
            "form": form,
            "calendar_link": calendar_link,
            "submission": uuid.uuid4(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: PersonRequest) -> HttpResponse:
    get_client_profile_for(request.user)
    page = reminders_page(request.person)
    if request.method != "POST":
        return _render(request, page)
    form = ReminderForm(request.POST, subjects=page.subjects)
    if not form.is_valid():
        return _render(request, page, form)
    data = form.cleaned_data
    row = actions.reminder_settings_save(
        user=request.user,
        scheduled=data["scheduled"] == ON,
        days=data["days"],
        at=data["at"],
        quiet_from=data["quiet_from"],
        quiet_until=data["quiet_until"],
        current=[s.assignment_id for s in page.subjects],
        remind_about=data["remind_about"],
    )
    messages.success(request, _saved_sentence(row))
    return redirect("reminders")


def _saved_sentence(row: ReminderSettings) -> str:
    if not row.scheduled:
        return "Saved. No reminders at set times; new things still show in Interlude."
    return "Saved. Your reminders are set."


# Where the e-mail switch may send a person back to: only these pages.
BACK_TO = {"privacy": "privacy", "reminders": "reminders"}


@login_required
@require_POST
def reminders_email(request: PersonRequest) -> HttpResponse:
    """E-mail reminders on or off: giving or withdrawing the recorded consent."""
    get_client_profile_for(request.user)
    turn = request.POST.get("email")
    if turn == ON:
        actions.reminder_email_turn_on(user=request.user)
        messages.success(
            request,
            "E-mail reminders: on. Each one says only “You have something new in Interlude”.",
        )
    elif turn == OFF:
        actions.reminder_email_turn_off(user=request.user)
        messages.success(
            request, "E-mail reminders: off, from the next one. Interlude still shows what's new."
        )
    else:
        raise Http404
    return redirect(BACK_TO.get(request.POST.get("back", ""), "reminders"))


@login_required
@require_POST
def reminders_calendar(request: PersonRequest) -> HttpResponse:
    """Make a new private calendar link (shown once, on this page), or turn it off."""
    get_client_profile_for(request.user)
    if request.POST.get("calendar") == OFF:
        actions.calendar_feed_revoke(user=request.user)
        messages.success(request, "Calendar link: off. It no longer works.")
        return redirect("reminders")
    try:
        submission = uuid.UUID(request.POST.get("submission", ""))
    except ValueError:
        submission = uuid.uuid4()
    token = actions.calendar_feed_create(user=request.user, submission=submission)
    # Shown in this answer only: never in a redirect, a message or the session.
    return _render(request, reminders_page(request.person), calendar_link=calendar_url(token))


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed, for calendar apps (which cannot sign in): the link is the key."""
    feed = get_feed_for_token(token)
    row = ReminderSettings.objects.filter(user=feed.user).first()
    response = HttpResponse(feed_calendar(feed, row), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interlude.ics"'
    return response


@csrf_exempt  # mail programs' one-click unsubscribe (RFC 8058) posts with no cookie or token
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop e-mail reminders from the link in any e-mail, without signing in. A GET only asks
    (mail scanners open links); a POST, from that page or a mail program, withdraws the e-mail
    consent and does nothing else. A link that was altered or made up changes nothing."""
    user = user_for_stop_token(token)
    if user is None:
        return render(request, "reminders/stop.html", {"state": "unknown"}, status=400)
    if request.method == "POST":
        actions.reminder_email_turn_off(user=user)
        return render(request, "reminders/stop.html", {"state": "stopped"})
    state = "asking" if actions.email_reminders_on(user) else "already"
    return render(request, "reminders/stop.html", {"state": state})


@login_required
@require_POST
def notices_seen(request: PersonRequest) -> HttpResponse:
    """The client has read what is new (the "New for you" list on their home page)."""
    get_client_profile_for(request.user)
    actions.notices_mark_seen(user=request.user)
    if request.htmx:
        return render(request, "reminders/_notices.html", {"cleared": True})
    return redirect("home")
