"""A client's desire map: one group of items at a time (autosaved as they go), a review before
sending, the choice offered before a comparison, what two people share, and a personal map's
summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from interlude.accounts.keep import keeps_typed_text
from interlude.desire import actions
from interlude.desire.access import DesireMap, get_map_for_client
from interlude.desire.forms import GroupForm, answers_from_post
from interlude.desire.queries import MapPage, map_page, own_history, own_open_items, reveal_page
from interlude.lib.errors import UserFacingError
from interlude.sharing.person import Person, PersonRequest

SENT = {
    "couple": "Sent. Your answers for this round stay as they are now.",
    "personal": "Finished. You can change any answer whenever you like.",
}


def _map(request: PersonRequest, assignment_id: int) -> DesireMap:
    return get_map_for_client(request.person, assignment_id)


@login_required
@require_safe
def desire_map(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """The map's own page: how it works and who sees what, where the person is, and (for a
    couple) the compared rounds and a new round."""
    map_ = _map(request, assignment_id)
    page = map_page(map_)
    history = own_history(map_, page.offer) if map_.mode == "ended" else []
    return render(request, "desire/map.html", {"page": page, "map": map_, "history": history})


def _group_or_none(page: MapPage, number: int) -> Any:
    return page.groups[number - 1] if 1 <= number <= len(page.groups) else None


def _rescue(request: Any, user: Any) -> None:
    """Signed out mid-group: keep what was marked (see accounts/keep.py)."""
    kwargs = request.resolver_match.kwargs
    try:
        map_ = get_map_for_client(Person(user), kwargs.get("assignment_id"))
        page = map_page(map_)
        progress = _group_or_none(page, int(kwargs.get("number", 0)))
        if progress is None:
            return
        items = progress.group.items
        actions.desire_answers_save(
            map_=map_,
            slugs=[i.slug for i in items],
            answers=answers_from_post(request.POST, items, couple=map_.is_couple),
        )
    except (Http404, UserFacingError, ValueError):
        return


@login_required
@require_http_methods(["GET", "POST"])
@keeps_typed_text(_rescue)
def desire_group(request: PersonRequest, assignment_id: int, number: int) -> HttpResponse:
    """One group of items. Each change is kept at once (htmx); without scripts, the buttons
    keep the group and move on."""
    map_ = _map(request, assignment_id)
    page = map_page(map_)
    progress = _group_or_none(page, number)
    if progress is None:
        return redirect("desire_review", assignment_id=assignment_id)
    items = progress.group.items
    initial: dict[str, Any] = {}
    for slug, (answer, only_if_yes) in page.my_answers.items():
        initial[f"answer_{slug}"] = answer
        initial[f"only_{slug}"] = only_if_yes
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        items=items,
        couple=map_.is_couple,
        initial=initial,
    )
    problem = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.desire_answers_save(
                    map_=map_, slugs=[i.slug for i in items], answers=form.answers()
                )
            except UserFacingError as exc:
                problem = str(exc)
        else:
            problem = "Something needs another look. Nothing you marked has been lost."
        if request.htmx:
            return render(
                request,
                "desire/_save_status.html",
                {"saved_at": None if problem else timezone.localtime(), "problem": problem},
            )
        if not problem:
            return redirect(_after_group(request, map_, number, len(page.groups)))
        messages.error(request, problem)
    return render(
        request,
        "desire/group.html",
        {
            "page": page,
            "map": map_,
            "progress": progress,
            "form": form,
            "fields": [
                (
                    item,
                    form[f"answer_{item.slug}"],
                    form[f"only_{item.slug}"] if map_.is_couple else None,
                )
                for item in items
            ],
            "count": len(page.groups),
        },
        status=400 if form.errors or problem else 200,
    )


def _after_group(request: PersonRequest, map_: DesireMap, number: int, count: int) -> str:
    go = request.POST.get("go", "next")
    pk = map_.assignment.pk
    if go == "previous":
        if number > 1:
            return reverse("desire_group", args=[pk, number - 1])
        return reverse("tool_desire_map", args=[pk])
    if go == "next" and number < count:
        return reverse("desire_group", args=[pk, number + 1])
    if go == "map":
        return reverse("tool_desire_map", args=[pk])
    if go == "home":
        return reverse("home")
    return reverse("desire_review", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def desire_review(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Every answer of the person's own, group by group, before sending (or finishing)."""
    map_ = _map(request, assignment_id)
    if request.method == "POST":
        try:
            actions.desire_answers_submit(map_=map_)
        except UserFacingError as exc:
            messages.error(request, str(exc))
            return redirect("desire_review", assignment_id=assignment_id)
        messages.success(request, SENT["couple" if map_.is_couple else "personal"])
        page = map_page(map_)
        if page.status == "choose":
            return redirect("desire_before_reveal", assignment_id=assignment_id)
        if map_.is_personal:
            return redirect("desire_summary", assignment_id=assignment_id)
        return redirect("tool_desire_map", assignment_id=assignment_id)
    page = map_page(map_)
    return render(request, "desire/review.html", {"page": page, "map": map_})


@login_required
@require_http_methods(["GET", "POST"])
def desire_before_reveal(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Told that a comparison would show almost all of their own yes and maybe answers, the
    person goes ahead, changes their answers first, or takes them back."""
    map_ = _map(request, assignment_id)
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            actions.desire_choose_before_reveal(map_=map_, choice=choice)  # type: ignore[arg-type]
        except UserFacingError as exc:
            messages.error(request, str(exc))
            return redirect("tool_desire_map", assignment_id=assignment_id)
        if choice == "change":
            messages.success(request, "Your answers are open again. Send them when you're ready.")
            return redirect("desire_review", assignment_id=assignment_id)
        if choice == "take_back":
            messages.success(
                request,
                "Your answers are taken back, and nothing has been compared. You can answer "
                "again whenever you like, or not at all.",
            )
        return redirect("tool_desire_map", assignment_id=assignment_id)
    page = map_page(map_)
    if page.status != "choose":
        return redirect("tool_desire_map", assignment_id=assignment_id)
    return render(request, "desire/before_reveal.html", {"page": page, "map": map_})


@login_required
@require_safe
def desire_shared(request: PersonRequest, assignment_id: int, number: int) -> HttpResponse:
    """What two linked people share in one compared round, and nothing else."""
    map_ = _map(request, assignment_id)
    reveal = reveal_page(map_, number)
    if reveal is None:
        raise Http404
    return render(
        request, "desire/shared.html", {"reveal": reveal, "page": reveal.page, "map": map_}
    )


@login_required
@require_safe
def desire_summary(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """A personal map's summary: the person's own yes and maybe items."""
    map_ = _map(request, assignment_id)
    if not map_.is_personal:
        raise Http404
    page = map_page(map_)
    return render(
        request,
        "desire/summary.html",
        {"page": page, "map": map_, "chosen": own_open_items(page)},
    )


@login_required
@require_POST
def desire_share(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Let the therapist see (or stop them seeing) a couple's shared items in one round, or a
    personal map's yes and maybe items."""
    map_ = _map(request, assignment_id)
    if map_.mode == "ended":
        raise Http404
    share = request.POST.get("share") == "on"
    page = map_page(map_)
    round_ = page.round
    number = request.POST.get("round", "")
    if map_.is_couple:
        round_ = next((r for r in page.revealed if str(r.number) == number), None)
    if round_ is None:
        raise Http404
    try:
        actions.desire_share_set(map_=map_, round_=round_, share=share)
    except UserFacingError as exc:
        messages.error(request, str(exc))
    else:
        therapist = map_.therapist_name
        if map_.is_couple:
            messages.success(
                request,
                f"Noted. {therapist} sees these shared items only while you both choose to "
                "share them."
                if share
                else f"Noted. {therapist} can't see these shared items.",
            )
        else:
            messages.success(
                request,
                f"Noted. {therapist} can see your yes and maybe items, never the rest."
                if share
                else f"Noted. {therapist} can't see your list.",
            )
    if map_.is_couple:
        return redirect("desire_shared", assignment_id=assignment_id, number=round_.number)
    return redirect("desire_summary", assignment_id=assignment_id)


@login_required
@require_POST
def desire_new_round(request: PersonRequest, assignment_id: int) -> HttpResponse:
    """Ask for a new round, agree to the other's request, or say not now."""
    map_ = _map(request, assignment_id)
    try:
        if request.POST.get("do") == "not_now":
            actions.desire_round_not_now(map_=map_)
            messages.success(request, "Noted. Nothing changes, and either of you can ask again.")
        else:
            asked = request.POST.get("after", "")
            after = int(asked) if asked.isdigit() and len(asked) < 6 else None
            round_ = actions.desire_round_ask(map_=map_, after=after)
            if after is not None and round_.number > after:
                messages.success(
                    request,
                    f"Round {round_.number} has started. Your answers from last time are here "
                    "to change as you like; nothing is compared until you've both sent them.",
                )
            else:
                messages.success(
                    request,
                    f"Asked. A new round starts when {map_.partner_name} agrees too.",
                )
    except UserFacingError as exc:
        messages.error(request, str(exc))
    return redirect("tool_desire_map", assignment_id=assignment_id)
