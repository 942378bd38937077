"""A partner trying to find out the other's answers, round after round.

Carol plays the attacker with every strategy the rules leave her: yes to everything, yes to one
item at a time, yes to just under the share that triggers the warning, asking for new rounds as
often as she can. Bob has private answers. Each test shows what Carol can learn is bounded by
the rules (a new round needs Bob's agreement and waits the interval; a yes or maybe to almost
everything means Bob is told first and may change or take back his answers), and that a no is
never learnt directly: Carol's view is the same whether Bob said no, skipped, or left it
unmarked. Time moves with a clock the tests control."""

from __future__ import annotations

import random
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from interlude.desire import matching
from interlude.desire.access import get_map_for_client
from interlude.desire.actions import (
    DesireError,
    desire_answers_save,
    desire_answers_submit,
    desire_choose_before_reveal,
    desire_round_ask,
    offered_slugs,
)
from interlude.desire.models import DesireRound
from interlude.desire.queries import map_page, reveal_page
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.sharing.person import Person

pytestmark = pytest.mark.django_db

INTERVAL = 14


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", new=lambda: clock.now):
        yield clock


def desire_map(cast, first):
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    return assignment_create(
        therapist=cast.alice,
        version=exercise.versions.get(version=exercise.latest_version),
        couple=cast.member(first).couple,
    )


def as_map(user, assignment):
    return get_map_for_client(Person(user), assignment.pk)


def give(user, assignment, answers):
    """Mark exactly ANSWERS ({slug: (answer, only if yes)}); everything else left unmarked."""
    slugs = offered_slugs(assignment)
    desire_answers_save(map_=as_map(user, assignment), slugs=slugs, answers=answers)


def send(user, assignment):
    desire_answers_submit(map_=as_map(user, assignment))


def secret_answers(slugs, seed=7):
    """Bob's private answers: every kind, some only if the other says yes too, some unmarked."""
    rng = random.Random(seed)
    answers = {}
    for slug in slugs:
        kind = rng.choice(["yes", "maybe", "no", "no", "skip", None])
        if kind is not None:
            answers[slug] = (kind, kind in matching.OPEN and rng.random() < 0.3)
    return answers


def view_of(user, assignment, number):
    """Everything USER is shown about round NUMBER: {slug: kind}, or None if not compared."""
    reveal = reveal_page(as_map(user, assignment), number)
    if reveal is None:
        return None
    shared = reveal.shared
    return {s.item.slug: s.kind for s in shared.both_yes + shared.both_curious}


def everything_yes(slugs):
    return dict.fromkeys(slugs, ("yes", False))


def compare(victim, attacker, assignment, victim_answers, attacker_answers):
    """One round: both answer; the attacker sends first, then the victim (who goes ahead if he
    is told something first). Returns whether the victim was told first."""
    give(attacker, assignment, attacker_answers)
    send(attacker, assignment)
    give(victim, assignment, victim_answers)
    send(victim, assignment)
    told = map_page(as_map(victim, assignment)).status == "choose"
    if told:
        desire_choose_before_reveal(map_=as_map(victim, assignment), choice="go_ahead")
    # The attacker is told too when the victim marked yes or maybe for almost everything.
    if map_page(as_map(attacker, assignment)).status == "choose":
        desire_choose_before_reveal(map_=as_map(attacker, assignment), choice="go_ahead")
    return told


def new_round(cast, assignment):
    desire_round_ask(map_=as_map(cast.carol, assignment))
    desire_round_ask(map_=as_map(cast.bob, assignment))


def test_yes_to_everything_is_seen_by_the_other_first_and_never_tells_a_no(cast, clock):
    assignment = desire_map(cast, cast.bob)
    slugs = offered_slugs(assignment)
    bob = secret_answers(slugs)
    # Round 1: Carol marks yes everywhere and sends; Bob sends his real answers.
    give(cast.carol, assignment, everything_yes(slugs))
    send(cast.carol, assignment)
    give(cast.bob, assignment, bob)
    send(cast.bob, assignment)
    # Nothing is compared: Bob is told first, and may take his answers back.
    assert view_of(cast.carol, assignment, 1) is None
    assert map_page(as_map(cast.bob, assignment)).status == "choose"
    assert map_page(as_map(cast.carol, assignment)).status == "sent"  # she can't tell
    desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="take_back")
    assert view_of(cast.carol, assignment, 1) is None
    # Bob answers again, is told again, and this time goes ahead.
    give(cast.bob, assignment, bob)
    send(cast.bob, assignment)
    assert map_page(as_map(cast.bob, assignment)).status == "choose"
    desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="go_ahead")
    seen = view_of(cast.carol, assignment, 1)
    # What Carol learns is exactly what the matching implies: Bob's yes and maybe...
    assert set(seen) == {s for s, (a, _) in bob.items() if a in matching.OPEN}
    # ... and nothing that tells his no from his skip or from an item he left unmarked.
    absent = set(slugs) - set(seen)
    kinds = {bob[s][0] if s in bob else "unmarked" for s in absent}
    assert kinds == {"no", "skip", "unmarked"}
    # Carol cannot change her answers after seeing this, nor start again at once.
    with pytest.raises(DesireError):
        give(cast.carol, assignment, {})
    with pytest.raises(DesireError, match="A new round can start from"):
        desire_round_ask(map_=as_map(cast.carol, assignment))


def test_a_no_is_never_learnt_directly_whatever_the_attacker_answers(cast, clock):
    """Two couples, the same attacker answers: Frank's answers are Bob's with every no turned
    into a skip or left unmarked. Erin sees exactly what Carol sees."""
    for attempt in range(3):
        carols = desire_map(cast, cast.bob)
        erins = desire_map(cast, cast.erin)
        slugs = offered_slugs(carols)
        bob = secret_answers(slugs, seed=attempt)
        rng = random.Random(100 + attempt)
        frank = {}
        for slug, (kind, only) in bob.items():
            if kind == "no":
                if rng.random() < 0.5:
                    frank[slug] = ("skip", rng.random() < 0.5)
            else:
                frank[slug] = (kind, only)
        attacker = {
            slug: (rng.choice(["yes", "maybe", "no", "skip"]), rng.random() < 0.3)
            for slug in slugs
            if rng.random() < 0.7
        }
        compare(cast.bob, cast.carol, carols, bob, attacker)
        compare(cast.frank, cast.erin, erins, frank, attacker)
        assert view_of(cast.carol, carols, 1) == view_of(cast.erin, erins, 1)
        # Next attempt: new maps, fresh rounds.
        for assignment in (carols, erins):
            assignment.status = "discarded"
            assignment.save(update_fields=["status"])


def test_one_item_at_a_time_learns_one_answer_per_agreed_round_at_most_every_14_days(cast, clock):
    assignment = desire_map(cast, cast.bob)
    slugs = offered_slugs(assignment)
    bob = secret_answers(slugs)
    learnt: dict[str, str] = {}
    reveals = 0
    days = 90
    for _day in range(days):
        # Every day Carol tries: ask for a new round (Bob always agrees straight away here, the
        # most an attacker could hope for), then mark yes on the next item only.
        round_ = DesireRound.objects.filter(assignment=assignment).first()
        if round_ is not None and round_.revealed_at is not None:
            try:
                new_round(cast, assignment)
            except DesireError:
                clock.advance(1)
                continue
        target = slugs[len(learnt) % len(slugs)]
        attack = dict.fromkeys(slugs, ("no", False)) | {target: ("yes", False)}
        told = compare(cast.bob, cast.carol, assignment, bob, attack)
        assert not told  # one yes among many: nothing to warn about
        reveals += 1
        number = DesireRound.objects.filter(assignment=assignment).first().number
        seen = view_of(cast.carol, assignment, number)
        assert set(seen) <= {target}  # one item's worth, at most
        learnt[target] = seen.get(target, "absent")
        clock.advance(1)
    assert reveals <= 1 + days // INTERVAL
    assert reveals == 1 + (days - 1) // INTERVAL  # the bound is what an attacker gets, no more
    assert len(learnt) == reveals
    # Each learnt item says yes, maybe, or "not yes or maybe": never "no" as such.
    for slug, kind in learnt.items():
        answer_ = bob.get(slug, ("unmarked", False))[0]
        expected = {"yes": "both_yes", "maybe": "both_curious"}.get(answer_, "absent")
        assert kind == expected


def test_without_the_others_agreement_there_is_no_second_round(cast, clock):
    assignment = desire_map(cast, cast.bob)
    slugs = offered_slugs(assignment)
    compare(
        cast.bob, cast.carol, assignment, {slugs[0]: ("yes", False)}, {slugs[0]: ("yes", False)}
    )
    for _ in range(12):
        clock.advance(30)
        desire_round_ask(map_=as_map(cast.carol, assignment))  # asking again changes nothing
    assert DesireRound.objects.filter(assignment=assignment).count() == 1
    # Bob saying "not now" clears the request; Carol's asking again is Bob's to answer again.
    from interlude.desire.actions import desire_round_not_now

    desire_round_not_now(map_=as_map(cast.bob, assignment))
    assert DesireRound.objects.get(assignment=assignment).next_asked_by is None


def test_just_under_the_warning_shows_less_than_eighty_percent_per_round(cast, clock):
    assignment = desire_map(cast, cast.bob)
    slugs = offered_slugs(assignment)
    bob = dict.fromkeys(slugs, ("yes", False))  # the worst case for Bob: he likes it all
    under = int(len(slugs) * matching.WARNING_SHARE) - 1
    attack = dict.fromkeys(slugs[:under], ("yes", False))
    told = compare(cast.bob, cast.carol, assignment, bob, attack)
    assert not told
    seen = view_of(cast.carol, assignment, 1)
    assert len(seen) == under < matching.WARNING_SHARE * len(slugs)
    # One more yes and Bob would have been told first.
    assert matching.needs_warning(slugs, attack | {slugs[under]: ("yes", False)})


def test_the_attacker_cannot_use_take_back_or_changes_to_probe(cast, clock):
    """Only the person who is told something may reopen their answers, and only then."""
    assignment = desire_map(cast, cast.bob)
    slugs = offered_slugs(assignment)
    give(cast.carol, assignment, everything_yes(slugs))
    send(cast.carol, assignment)
    for choice in ("change", "take_back", "go_ahead"):
        with pytest.raises(DesireError):
            desire_choose_before_reveal(map_=as_map(cast.carol, assignment), choice=choice)
    give(cast.bob, assignment, {slugs[0]: ("no", False)})
    send(cast.bob, assignment)
    # Bob is told; Carol still cannot reopen hers (Bob marked nearly nothing).
    with pytest.raises(DesireError):
        desire_choose_before_reveal(map_=as_map(cast.carol, assignment), choice="change")
