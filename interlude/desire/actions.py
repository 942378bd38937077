"""Every write about desire maps: answers (autosaved), sending a round, the choice offered before
a comparison, new rounds, sharing with the therapist, and the therapist's choices.

The rules that keep a partner from probing the other's answers live here:
- a couple's answers lock when sent; changing them means a new round, which opens only when both
  agree to it, and no sooner than the assignment's interval (14 days unless the therapist chose
  otherwise) after the last comparison;
- when one person marked yes or maybe for almost every item (matching.WARNING_SHARE), the other
  is told before anything is compared, and may go ahead, change their answers, or take them back;
- every comparison is recorded in the audit log (without naming who made it happen).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.desire import matching
from interlude.desire.access import DesireMap
from interlude.desire.catalogue import INTENSITIES, catalogue
from interlude.desire.models import (
    DEFAULT_INTERVAL_DAYS,
    DesireAnswers,
    DesireCustomItem,
    DesireRound,
    DesireSettings,
)
from interlude.desire.offer import offered, slugs_of
from interlude.lib.errors import UserFacingError

if TYPE_CHECKING:
    from interlude.homework.models import Assignment

MIN_INTERVAL_DAYS = 1
MAX_INTERVAL_DAYS = 365
MAX_CUSTOM_ITEMS = 40
MAX_CUSTOM_TITLE = 80
MAX_CUSTOM_DESCRIPTION = 300
Choice = Literal["go_ahead", "change", "take_back"]


class DesireError(UserFacingError):
    """Something about a desire map that cannot be done, in words for the person who asked."""


# --- Reading what the actions need ------------------------------------------------------------


def settings_of(assignment: Assignment) -> DesireSettings | None:
    found = DesireSettings.objects.filter(assignment=assignment).first()
    if found is not None:
        found.assignment = assignment  # its key is the assignment's: no second query
    return found


def custom_items_of(assignment: Assignment) -> list[DesireCustomItem]:
    items = list(DesireCustomItem.objects.filter(assignment=assignment))
    for item in items:
        item.assignment = assignment
    return items


def offered_slugs(assignment: Assignment, *, personal: bool = False) -> list[str]:
    return slugs_of(
        offered(
            settings=settings_of(assignment),
            custom=custom_items_of(assignment),
            personal=personal,
            therapist_name=assignment.therapist.display_name,
        )
    )


def interval_of(assignment: Assignment) -> timedelta:
    settings = DesireSettings.objects.filter(assignment=assignment).only("interval_days").first()
    return timedelta(days=settings.interval_days if settings else DEFAULT_INTERVAL_DAYS)


def current_round(assignment: Assignment) -> DesireRound | None:
    return DesireRound.objects.filter(assignment=assignment).order_by("-number").first()


def next_round_from(round_: DesireRound | None, interval: timedelta) -> datetime | None:
    """When a new round may open after ROUND_ (None: not yet, it has not been compared)."""
    if round_ is None or round_.revealed_at is None:
        return None
    return round_.revealed_at + interval


def _round_for_writing(map_: DesireMap) -> DesireRound:
    """The round answers go into now, opening the first one on first use (locked)."""
    assignment = map_.assignment
    if not map_.writable:
        raise DesireError(
            "This map can no longer be changed. Your own answers are still here to read."
        )
    round_ = DesireRound.objects.select_for_update().filter(assignment=assignment).first()
    if round_ is None:
        try:
            with transaction.atomic():
                round_ = DesireRound.objects.create(
                    assignment=assignment,
                    number=1,
                    catalogue_version=catalogue().version,
                    opened_at=timezone.now(),
                )
        except IntegrityError:  # the other person opened it at the same moment
            round_ = DesireRound.objects.get(assignment=assignment, number=1)
        audit_record(actor=None, action="desire.round_open", target=round_, subject=map_.user)
    return round_


def _answers_of(round_: DesireRound, author: User) -> DesireAnswers:
    answers = DesireAnswers.objects.select_for_update().filter(round=round_, author=author).first()
    if answers is None:
        answers = DesireAnswers(round=round_, author=author, updated_at=timezone.now())
        answers.answers = {}
        answers.save()
    return answers


def _other_answers(round_: DesireRound, author: User) -> DesireAnswers | None:
    return (
        DesireAnswers.objects.select_for_update()
        .filter(round=round_)
        .exclude(author=author)
        .first()
    )


# --- Answering -----------------------------------------------------------------------------


@transaction.atomic
def desire_answers_save(
    *,
    map_: DesireMap,
    slugs: Sequence[str],
    answers: Mapping[str, tuple[str, bool]],
) -> DesireAnswers:
    """Keep the author's answers for the items SLUGS (one group, as the page sends it): each of
    them is set as in ANSWERS, or unmarked when absent. Encrypted under the author's own key.
    A couple's answers cannot change once sent; a personal map's can, at any time."""
    round_ = _round_for_writing(map_)
    mine = _answers_of(round_, map_.user)
    if mine.is_sent and map_.is_couple:
        raise DesireError(
            "Your answers for this round are sent, so they stay as they are. To change them, "
            "you can both agree to start a new round."
        )
    offered = set(offered_slugs(map_.assignment, personal=map_.is_personal))
    kept = dict(mine.answers)
    for slug in slugs:
        if slug not in offered:
            continue
        value = answers.get(slug)
        if value is None or value[0] not in matching.ANSWERS:
            kept.pop(slug, None)
        else:
            only_if_yes = bool(value[1]) and value[0] in matching.OPEN and map_.is_couple
            kept[slug] = (value[0], only_if_yes)
    if kept != mine.answers:
        mine.answers = kept
        mine.updated_at = timezone.now()
        mine.save(update_fields=["data", "updated_at"])
    return mine


@transaction.atomic
def desire_answers_submit(*, map_: DesireMap) -> DesireAnswers:
    """Send the author's answers for the current round. For a couple they lock, and the two
    are compared once both are sent and nobody still has a choice to make (see
    must_choose_first). For a personal map this marks it finished; it can still change."""
    round_ = _round_for_writing(map_)
    mine = _answers_of(round_, map_.user)
    now = timezone.now()
    mine.first_sent_at = mine.first_sent_at or now
    if map_.is_personal:
        mine.submitted_at = now
        mine.save(update_fields=["submitted_at", "first_sent_at"])
        audit_record(actor=map_.user, action="desire.finish", target=round_, subject=map_.user)
        return mine
    if mine.is_sent:
        return mine
    mine.submitted_at = now
    mine.go_ahead_at = None
    mine.save(update_fields=["submitted_at", "first_sent_at", "go_ahead_at"])
    audit_record(actor=map_.user, action="desire.send", target=round_, subject=map_.user)
    _reveal_if_ready(round_, map_.assignment)
    return mine


def must_choose_first(mine: DesireAnswers, other: DesireAnswers, slugs: Sequence[str]) -> bool:
    """Whether MINE's author is to be told, before anything is compared, that OTHER marked yes
    or maybe for almost every item (so a comparison would show almost all of their own yes and
    maybe answers), and has not yet chosen to go ahead since OTHER was sent. Asked only once
    both are sent: OTHER's answers can no longer change."""
    if not (mine.is_sent and other.is_sent):
        return False
    if not matching.needs_warning(slugs, other.answers):
        return False
    chose = mine.go_ahead_at
    return chose is None or other.submitted_at is None or chose < other.submitted_at


def _reveal_if_ready(round_: DesireRound, assignment: Assignment) -> bool:
    """Compare the round once both have sent it and nobody still has a choice to make."""
    if round_.revealed_at is not None:
        return False
    both = list(DesireAnswers.objects.select_for_update().filter(round=round_))
    if len(both) != 2 or not all(a.is_sent for a in both):
        return False
    slugs = offered_slugs(assignment)
    first, second = both
    if must_choose_first(first, second, slugs) or must_choose_first(second, first, slugs):
        return False
    round_.revealed_at = timezone.now()
    round_.next_asked_by = None
    round_.next_asked_at = None
    round_.save(update_fields=["revealed_at", "next_asked_by", "next_asked_at"])
    # Recorded for each of them, naming neither as the one who made it happen.
    for answers in both:
        audit_record(actor=None, action="desire.reveal", target=round_, subject=answers.author)
    return True


@transaction.atomic
def desire_choose_before_reveal(*, map_: DesireMap, choice: Choice) -> DesireAnswers:
    """The author was told a comparison would show almost all of their own yes and maybe
    answers. They go ahead; or change their answers first (they open again); or take them back
    (they are cleared, and nothing is compared unless they answer again)."""
    round_ = _round_for_writing(map_)
    if round_.revealed_at is not None or not map_.is_couple:
        raise DesireError("There is nothing waiting for your choice now.")
    mine = _answers_of(round_, map_.user)
    # The same choice sent twice (a double press): done the first time.
    again = choice == "change" or (choice == "take_back" and not mine.answers)
    if again and not mine.is_sent and mine.go_ahead_at is None:
        return mine
    other = _other_answers(round_, map_.user)
    # Only then: at any other time, sent answers stay as they are (they lock when sent).
    if other is None or not must_choose_first(mine, other, offered_slugs(map_.assignment)):
        raise DesireError("There is nothing waiting for your choice now.")
    now = timezone.now()
    if choice == "go_ahead":
        mine.go_ahead_at = now
        mine.save(update_fields=["go_ahead_at"])
        audit_record(actor=map_.user, action="desire.go_ahead", target=round_, subject=map_.user)
        _reveal_if_ready(round_, map_.assignment)
    elif choice == "change":
        mine.submitted_at = None
        mine.go_ahead_at = None
        mine.save(update_fields=["submitted_at", "go_ahead_at"])
        audit_record(actor=map_.user, action="desire.reopen", target=round_, subject=map_.user)
    elif choice == "take_back":
        mine.answers = {}
        mine.submitted_at = None
        mine.go_ahead_at = None
        mine.updated_at = now
        mine.save(update_fields=["data", "submitted_at", "go_ahead_at", "updated_at"])
        audit_record(actor=map_.user, action="desire.take_back", target=round_, subject=map_.user)
    else:
        raise DesireError("Please choose one of the options.")
    return mine


# --- New rounds ------------------------------------------------------------------------------


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M")


@transaction.atomic
def desire_round_ask(*, map_: DesireMap, after: int | None = None) -> DesireRound:
    """Ask to start the round after round AFTER (the current one when None): answers are
    offered again, as they were. It opens when the other person agrees, and not before the
    interval has passed since the last comparison. Asked again once it has opened (a double
    submit), nothing more happens."""
    if not map_.is_couple:
        raise DesireError("A personal map can be changed at any time; there are no rounds.")
    round_ = _round_for_writing(map_)
    if after is not None and round_.number > after:
        return round_
    user = map_.user
    if round_.revealed_at is None:
        raise DesireError(
            "A new round can be started once this one has been compared, after you have both "
            "sent your answers."
        )
    opens = next_round_from(round_, interval_of(map_.assignment))
    assert opens is not None
    if timezone.now() < opens:
        raise DesireError(f"A new round can start from {_day(opens)}.")
    if round_.next_asked_by_id is not None and round_.next_asked_by_id != user.pk:
        audit_record(actor=user, action="desire.round_agree", target=round_, subject=user)
        return _open_next(round_, map_.assignment)
    if round_.next_asked_by_id is None:
        round_.next_asked_by = user
        round_.next_asked_at = timezone.now()
        round_.save(update_fields=["next_asked_by", "next_asked_at"])
        audit_record(actor=user, action="desire.round_ask", target=round_, subject=user)
    return round_


@transaction.atomic
def desire_round_not_now(*, map_: DesireMap) -> DesireRound:
    """Decline the other's request for a new round, or take back one's own: the round stays as
    it is, and either of them may ask again later."""
    round_ = _round_for_writing(map_)
    if round_.next_asked_by_id is not None:
        round_.next_asked_by = None
        round_.next_asked_at = None
        round_.save(update_fields=["next_asked_by", "next_asked_at"])
        audit_record(
            actor=map_.user, action="desire.round_not_now", target=round_, subject=map_.user
        )
    return round_


def _open_next(previous: DesireRound, assignment: Assignment) -> DesireRound:
    """The next round, each person's answers offered again as they last were (not sent)."""
    now = timezone.now()
    round_ = DesireRound.objects.create(
        assignment=assignment,
        number=previous.number + 1,
        catalogue_version=catalogue().version,
        opened_at=now,
    )
    if previous.next_asked_by_id is not None:
        previous.next_asked_by = None
        previous.next_asked_at = None
        previous.save(update_fields=["next_asked_by", "next_asked_at"])
    for earlier in DesireAnswers.objects.filter(round=previous).select_related("author"):
        again = DesireAnswers(round=round_, author=earlier.author, updated_at=now)
        again.answers = earlier.answers
        again.save()
        audit_record(actor=None, action="desire.round_open", target=round_, subject=earlier.author)
    return round_


# --- Sharing with the therapist ------------------------------------------------------------------


@transaction.atomic
def desire_share_set(*, map_: DesireMap, round_: DesireRound, share: bool) -> DesireAnswers:
    """Whether the author lets their therapist see, for a couple, the items the two of them
    share in ROUND_ (seen only when both say yes to this); for a personal map, the author's own
    yes and maybe items. Either can change their mind at any time."""
    if map_.mode == "ended":
        raise DesireError("This map belonged to a link that has ended; nothing from it is shared.")
    mine = DesireAnswers.objects.select_for_update().filter(round=round_, author=map_.user).first()
    if mine is None or (map_.is_couple and round_.revealed_at is None):
        raise DesireError("There is nothing to share yet.")
    if mine.share_with_therapist != share:
        mine.share_with_therapist = share
        mine.save(update_fields=["share_with_therapist"])
        action = "desire.share_on" if share else "desire.share_off"
        audit_record(actor=map_.user, action=action, target=round_, subject=map_.user)
    return mine


# --- The therapist's choices -------------------------------------------------------------------


@transaction.atomic
def desire_settings_save(
    *,
    assignment: Assignment,
    therapist: User,
    hidden_groups: Sequence[str],
    hidden_intensities: Sequence[str],
    hidden_items: Sequence[str],
    interval_days: int,
) -> DesireSettings:
    """What the map of ASSIGNMENT leaves out, and how long after a comparison a new round may
    open. Taking effect at once: a hidden item is neither asked nor compared from now on."""
    if not MIN_INTERVAL_DAYS <= interval_days <= MAX_INTERVAL_DAYS:
        raise DesireError(
            f"Please choose between {MIN_INTERVAL_DAYS} and {MAX_INTERVAL_DAYS} days."
        )
    known = catalogue()
    settings = DesireSettings.objects.select_for_update().filter(assignment=assignment).first()
    if settings is None:
        settings = DesireSettings(assignment=assignment)
    settings.assignment = assignment
    settings.hidden_choices = {
        "groups": [g for g in hidden_groups if g in {x.slug for x in known.groups}],
        "intensities": [i for i in hidden_intensities if i in INTENSITIES],
        "items": [i for i in hidden_items if i in {x.slug for x in known.items}],
    }
    settings.interval_days = interval_days
    settings.updated_at = timezone.now()
    settings.save()
    audit_record(
        actor=therapist, action="desire.settings", target=settings, subject=assignment.client
    )
    # Someone who was to be told first may no longer need to be: compare if nothing waits.
    round_ = current_round(assignment)
    if round_ is not None and assignment.couple_id is not None:
        _reveal_if_ready(round_, assignment)
    return settings


@transaction.atomic
def desire_custom_item_add(
    *,
    assignment: Assignment,
    therapist: User,
    title: str,
    description: str,
    submission_key: uuid.UUID | None = None,
) -> DesireCustomItem:
    """Add an item of the therapist's own to ASSIGNMENT's map, encrypted under the couple's key
    or the client's. The same submission twice adds one item."""
    if submission_key is not None:
        earlier = DesireCustomItem.objects.filter(
            assignment=assignment, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    if DesireCustomItem.objects.filter(assignment=assignment).count() >= MAX_CUSTOM_ITEMS:
        raise DesireError(
            f"This map already has {MAX_CUSTOM_ITEMS} items of your own. Remove one to add another."
        )
    item = DesireCustomItem(
        assignment=assignment,
        created_by=therapist,
        created_at=timezone.now(),
        submission_key=submission_key,
    )
    item.title = title.strip()
    item.description = description.strip()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        earlier = DesireCustomItem.objects.filter(
            assignment=assignment, submission_key=submission_key
        ).first()
        if earlier is None:
            raise
        return earlier
    audit_record(actor=therapist, action="desire.item_add", target=item, subject=assignment.client)
    return item


@transaction.atomic
def desire_custom_item_remove(*, item: DesireCustomItem, therapist: User) -> None:
    """Take one of the therapist's own items off the map: from now on it is neither asked nor
    compared. (Answers already given to it stay with their authors, unread.)"""
    assignment = item.assignment
    audit_record(
        actor=therapist, action="desire.item_remove", target=item, subject=assignment.client
    )
    item.delete()
    round_ = current_round(assignment)
    if round_ is not None and assignment.couple_id is not None:
        _reveal_if_ready(round_, assignment)


# --- Leaving ---------------------------------------------------------------------------------


@transaction.atomic
def desire_erase_for(*, user: User) -> int:
    """Delete everything of USER's in desire maps: their answers in every round, and the rounds,
    choices and items of the maps that were theirs alone. A couple's map stays for the partner,
    with the partner's own answers only."""
    count, _ = DesireAnswers.objects.filter(author=user).delete()
    alone = Q(assignment__client=user)
    DesireRound.objects.filter(alone).delete()
    DesireCustomItem.objects.filter(alone).delete()
    DesireSettings.objects.filter(alone).delete()
    return count
