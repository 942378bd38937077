"""Reads for the desire-map pages, with a constant number of queries however many rounds,
answers and items there are.

The other person's answers are read here only to work out three things: what the two of them
share once a round is compared (matching.matches), whether this person is to be told something
before a comparison (matching.needs_warning), and whether the therapist may see the shared items
(both chose so). None of the returned objects carries the other person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.utils import timezone

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.desire import matching
from interlude.desire.access import DesireMap
from interlude.desire.actions import (
    custom_items_of,
    must_choose_first,
    next_round_from,
    settings_of,
)
from interlude.desire.catalogue import Catalogue, DesireGroup, DesireItem
from interlude.desire.models import DEFAULT_INTERVAL_DAYS, DesireAnswers, DesireRound
from interlude.desire.offer import offered, slugs_of

if TYPE_CHECKING:
    from interlude.homework.models import Assignment

Status = Literal["answering", "sent", "choose", "revealed", "finished"]
ANSWER_WORDS = {"yes": "Yes", "maybe": "Maybe", "no": "No", "skip": "Skip"}


@dataclass
class GroupProgress:
    number: int
    group: DesireGroup
    marked: int

    @property
    def total(self) -> int:
        return len(self.group.items)

    @property
    def unmarked(self) -> int:
        return self.total - self.marked


@dataclass
class OwnAnswer:
    """One of the viewer's own answers, for their own eyes."""

    item: DesireItem
    answer: str  # "" when not marked
    only_if_yes: bool

    @property
    def words(self) -> str:
        return ANSWER_WORDS.get(self.answer, "Not marked")


@dataclass
class SharedItem:
    item: DesireItem
    kind: matching.Kind


@dataclass
class Shared:
    """What two people share in one compared round, in catalogue order."""

    round: DesireRound
    both_yes: list[SharedItem] = field(default_factory=list)
    both_curious: list[SharedItem] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.both_yes or self.both_curious)


@dataclass
class MapPage:
    """Everything the client's pages of one map show around their own form."""

    map: DesireMap
    offer: Catalogue
    round: DesireRound | None
    mine: DesireAnswers | None
    status: Status
    groups: list[GroupProgress]
    revealed: list[DesireRound]  # compared rounds, newest first (a couple's, while linked)
    interval_days: int
    next_from: datetime | None = None  # when a new round may open
    asked_by_me: bool = False
    asked_by_other: bool = False
    # Both chose to let the therapist see this round's shared items (couple), or the author
    # chose to let them see the yes and maybe items (personal).
    therapist_sees: bool = False

    @property
    def my_answers(self) -> dict[str, tuple[str, bool]]:
        return self.mine.answers if self.mine is not None else {}

    @property
    def marked(self) -> int:
        return sum(g.marked for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def next_group(self) -> int:
        """The first group with something unmarked (the last group when all are marked)."""
        for progress in self.groups:
            if progress.marked < progress.total:
                return progress.number
        return len(self.groups) or 1

    @property
    def can_answer(self) -> bool:
        if not self.map.writable or self.map.mode == "ended":
            return False
        return self.map.is_personal or self.status == "answering"

    @property
    def can_ask_now(self) -> bool:
        return (
            self.map.is_couple
            and self.map.writable
            and self.status == "revealed"
            and self.next_from is not None
            and timezone.now() >= self.next_from
        )

    def own_answers(self, group: DesireGroup) -> list[OwnAnswer]:
        answers = self.my_answers
        return [OwnAnswer(item, *answers.get(item.slug, ("", False))) for item in group.items]

    @property
    def reviewed(self) -> list[tuple[GroupProgress, list[OwnAnswer]]]:
        """Each group with the viewer's own marked answers, for their review page."""
        return [
            (progress, [a for a in self.own_answers(progress.group) if a.answer])
            for progress in self.groups
        ]


def _rounds(assignment: Assignment) -> list[DesireRound]:
    return list(DesireRound.objects.filter(assignment=assignment).order_by("-number"))


def _answers(round_: DesireRound | None) -> list[DesireAnswers]:
    if round_ is None:
        return []
    return list(DesireAnswers.objects.filter(round=round_).select_related("author"))


def offer_for(map_: DesireMap) -> Catalogue:
    return offered(
        settings=settings_of(map_.assignment),
        custom=custom_items_of(map_.assignment),
        personal=not map_.is_couple,
        therapist_name=map_.therapist_name,
    )


def map_page(map_: DesireMap) -> MapPage:
    """The client's view of MAP_: their own progress, the round's state in words that never
    depend on the other person's answers (except the one warning the rules require), and the
    compared rounds they may open."""
    assignment = map_.assignment
    settings = settings_of(assignment)
    offer = offer_for(map_)
    rounds = _rounds(assignment)
    round_ = rounds[0] if rounds else None
    both = _answers(round_)
    mine = next((a for a in both if a.author_id == map_.user.pk), None)
    other = next((a for a in both if a.author_id != map_.user.pk), None)
    answers = mine.answers if mine else {}
    groups = [
        GroupProgress(n, g, matching.marked([i.slug for i in g.items], answers))
        for n, g in enumerate(offer.groups, start=1)
    ]
    interval = settings.interval_days if settings else DEFAULT_INTERVAL_DAYS
    page = MapPage(
        map=map_,
        offer=offer,
        round=round_,
        mine=mine,
        status="answering",
        groups=groups,
        revealed=[],
        interval_days=interval,
    )
    if map_.is_personal:
        page.status = "finished" if mine is not None and mine.is_sent else "answering"
        page.therapist_sees = bool(mine and mine.share_with_therapist)
        return page
    if map_.mode == "ended" or round_ is None or mine is None:
        return page
    slugs = slugs_of(offer)
    if round_.revealed_at is not None:
        page.status = "revealed"
    elif other is not None and must_choose_first(mine, other, slugs):
        page.status = "choose"
    elif mine.is_sent:
        page.status = "sent"
    page.revealed = [r for r in rounds if r.revealed_at is not None]
    page.next_from = next_round_from(round_, timedelta(days=interval))
    page.asked_by_me = round_.next_asked_by_id == map_.user.pk
    page.asked_by_other = round_.next_asked_by_id not in (None, map_.user.pk)
    page.therapist_sees = bool(
        round_.revealed_at is not None
        and mine.share_with_therapist
        and other is not None
        and other.share_with_therapist
    )
    return page


def shared_in(
    offer: Catalogue, round_: DesireRound, first: DesireAnswers, second: DesireAnswers
) -> Shared:
    """The items FIRST and SECOND share in ROUND_, among those offered now."""
    shared = Shared(round_)
    items = {item.slug: item for item in offer.items}
    for found in matching.matches(items, first.answers, second.answers):
        target = shared.both_yes if found.kind == matching.BOTH_YES else shared.both_curious
        target.append(SharedItem(items[found.slug], found.kind))
    return shared


@dataclass
class RevealPage:
    page: MapPage
    shared: Shared
    mine: DesireAnswers
    therapist_sees: bool


def reveal_page(map_: DesireMap, number: int) -> RevealPage | None:
    """What the viewer and their linked partner share in compared round NUMBER, or None when
    there is no such round for them to see (not compared, not theirs, or the link has ended)."""
    if not map_.is_couple or map_.partner is None:
        return None
    page = map_page(map_)
    round_ = next((r for r in page.revealed if r.number == number), None)
    if round_ is None:
        return None
    both = _answers(round_)
    mine = next((a for a in both if a.author_id == map_.user.pk), None)
    other = next((a for a in both if a.author_id == map_.partner.pk), None)
    if mine is None or other is None:
        return None
    return RevealPage(
        page=page,
        shared=shared_in(page.offer, round_, mine, other),
        mine=mine,
        therapist_sees=mine.share_with_therapist and other.share_with_therapist,
    )


def own_open_items(page: MapPage) -> list[tuple[DesireGroup, list[OwnAnswer]]]:
    """A personal map's summary: the author's own yes and maybe items, group by group."""
    answers = page.my_answers
    found = []
    for group in page.offer.groups:
        lines = [
            OwnAnswer(item, *answers[item.slug])
            for item in group.items
            if answers.get(item.slug, ("", False))[0] in matching.OPEN
        ]
        if lines:
            found.append((group, lines))
    return found


def own_history(map_: DesireMap, offer: Catalogue) -> list[tuple[DesireRound, list[OwnAnswer]]]:
    """A map whose link has ended: the person's own marked answers in each round, newest first;
    nothing of anyone else's, nothing worked out from it."""
    rows = (
        DesireAnswers.objects.filter(round__assignment=map_.assignment, author=map_.user)
        .select_related("round")
        .order_by("-round__number")
    )
    history = []
    for row in rows:
        answers = row.answers
        lines = [
            OwnAnswer(item, *answers[item.slug])
            for item in offer.items
            if answers.get(item.slug, ("", False))[0] in ("yes", "maybe", "no")
        ]
        history.append((row.round, lines))
    return history


# --- The therapist ------------------------------------------------------------------------------


@dataclass
class Participant:
    """Where one person is in a round, as their therapist may see it: sent or not, and when."""

    name: str
    sent_at: datetime | None


@dataclass
class RoundLine:
    round: DesireRound
    participants: list[Participant]


@dataclass
class TherapistMap:
    """One desire-map assignment on the therapist's pages: rounds and who has sent them, and the
    shared items only where the clients chose so."""

    assignment: Assignment
    couple: bool  # compared between two linked people (not a personal map)
    link_ended: bool
    rounds: list[RoundLine]
    names: list[str] = field(default_factory=list)  # who the map is for
    # Compared rounds whose shared items both chose to show (couple), newest first.
    shared: list[Shared] = field(default_factory=list)
    # A personal map's yes and maybe items, when its author chose to show them.
    personal: list[OwnAnswer] = field(default_factory=list)
    personal_shared: bool = False
    finished_at: datetime | None = None

    @property
    def latest(self) -> RoundLine | None:
        return self.rounds[0] if self.rounds else None


def people_of(assignment: Assignment) -> tuple[list[User], bool]:
    """Who answers ASSIGNMENT's map, and whether it is a couple's (two linked people) rather
    than a personal map."""
    return _people_of_many([assignment])[assignment.pk]


def _people_of_many(assignments: list[Assignment]) -> dict[int, tuple[list[User], bool]]:
    couple_ids = {a.couple_id for a in assignments if a.couple_id is not None}
    members: dict[int, list[CoupleMember]] = {}
    if couple_ids:
        for member in (
            CoupleMember.objects.filter(couple_id__in=couple_ids)
            .select_related("client")
            .order_by("created_at", "pk")
        ):
            members.setdefault(member.couple_id, []).append(member)
    found: dict[int, tuple[list[User], bool]] = {}
    for assignment in assignments:
        if assignment.client_id is not None:
            assert assignment.client is not None
            found[assignment.pk] = ([assignment.client], False)
            continue
        places = members.get(assignment.couple_id or 0, [])
        people = [m.client for m in places if m.client is not None]
        alone = any(m.status == CoupleMember.Status.NOT_TAKING_PART for m in places)
        found[assignment.pk] = (people, not alone)
    return found


def therapist_map(assignment: Assignment, *, with_shared: bool = False) -> TherapistMap:
    """ASSIGNMENT's rounds for the therapist who gave it (see therapist_maps)."""
    return therapist_maps([assignment], with_shared=with_shared)[0]


def therapist_maps(
    assignments: list[Assignment], *, with_shared: bool = False
) -> list[TherapistMap]:
    """Each of ASSIGNMENTS' rounds for the therapist who gave it, in a constant number of
    queries; with WITH_SHARED also the shared items of the rounds both chose to share (only
    while their link stands), or a personal map's yes and maybe items when its author chose to
    share them. Never anything else."""
    people = _people_of_many(assignments)
    rounds: dict[int, list[DesireRound]] = {}
    all_rounds = list(
        DesireRound.objects.filter(assignment__in=assignments).order_by("assignment", "-number")
    )
    for round_ in all_rounds:
        rounds.setdefault(round_.assignment_id, []).append(round_)
    by_round: dict[int, dict[int, DesireAnswers]] = {}
    if all_rounds:
        for row in DesireAnswers.objects.filter(round__in=all_rounds):
            by_round.setdefault(row.round_id, {})[row.author_id] = row
    views = []
    for assignment in assignments:
        who, couple = people[assignment.pk]
        mine = rounds.get(assignment.pk, [])
        # A couple's: when each first sent (see DesireAnswers.first_sent_at); a personal map's:
        # when it was last finished.
        sent_field = "first_sent_at" if couple else "submitted_at"
        lines = [
            RoundLine(
                round_,
                [
                    Participant(
                        p.display_name,
                        getattr(by_round.get(round_.pk, {}).get(p.pk), sent_field, None),
                    )
                    for p in who
                ],
            )
            for round_ in mine
        ]
        ended = assignment.couple is not None and assignment.couple.ended_at is not None
        view = TherapistMap(assignment, couple, ended, lines, [p.display_name for p in who])
        views.append(view)
        if with_shared and not (couple and ended):
            _add_shared(view, who, mine, by_round)
    return views


def _add_shared(
    view: TherapistMap,
    who: list[User],
    rounds: list[DesireRound],
    by_round: dict[int, dict[int, DesireAnswers]],
) -> None:
    assignment = view.assignment
    offer = offered(
        settings=settings_of(assignment),
        custom=custom_items_of(assignment),
        personal=not view.couple,
        therapist_name=assignment.therapist.display_name,
    )
    if view.couple:
        for round_ in rounds:
            rows = list(by_round.get(round_.pk, {}).values())
            if round_.revealed_at is None or len(rows) != 2:
                continue
            if all(a.share_with_therapist for a in rows):
                view.shared.append(shared_in(offer, round_, rows[0], rows[1]))
        return
    own = by_round.get(rounds[0].pk, {}).get(who[0].pk) if rounds and who else None
    if own is None:
        return
    view.finished_at = own.submitted_at
    view.personal_shared = own.share_with_therapist
    if own.share_with_therapist:
        answers = own.answers
        view.personal = [
            OwnAnswer(item, *answers[item.slug])
            for item in offer.items
            if answers.get(item.slug, ("", False))[0] in matching.OPEN
        ]
