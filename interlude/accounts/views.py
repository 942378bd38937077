from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from interlude.accounts import actions
from interlude.accounts.forms import TimeZoneForm
from interlude.accounts.http import AuthedRequest
from interlude.accounts.timezones import canonical, is_known

# Set by "Not now" on the time-zone prompt: it is not shown again until the next sign-in.
PROMPT_LATER = "time_zone_prompt_later"
PROMPT = "components/time_zone_prompt.html#time-zone-prompt"


def _next(request: AuthedRequest) -> str:
    """Where to go afterwards: back to the page the person was on, on this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("account_email")


@login_required
@require_http_methods(["GET", "POST"])
def time_zone(request: AuthedRequest) -> HttpResponse:
    """Choose the time zone times are shown in. The prompt at the top of each page posts here
    (in place, with htmx) once the person confirms the zone their browser reports; the Account
    page and this page's own form post here too."""
    user, next_url = request.user, _next(request)
    if request.method == "POST" and request.POST.get("action") == "later":
        request.session[PROMPT_LATER] = True
        return HttpResponse("") if request.htmx else redirect(next_url)
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            zone = form.cleaned_data["time_zone"]
            try:
                actions.account_time_zone_set(user=user, time_zone=zone)
            except ValidationError as exc:
                form.add_error("time_zone", exc)
            else:
                shown = user.time_zone_label
                messages.success(request, f"Your times are now shown for {shown}.")
                if request.htmx:
                    return render(request, PROMPT, {"saved": shown})
                return redirect(next_url)
        if request.htmx:  # the zone the browser reported is not one this server knows
            problem = form.errors["time_zone"][0]
            return render(request, PROMPT, {"problem": problem, "prompt_next": next_url})
    else:
        suggested = canonical(request.GET.get("suggested", ""))
        initial = user.time_zone or (suggested if is_known(suggested) else "")
        form = TimeZoneForm(initial={"time_zone": initial})
    return render(
        request,
        "account/time_zone.html",
        {"form": form, "next": next_url, "show_back": True},
        status=400 if form.errors else 200,
    )
