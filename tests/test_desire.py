"""The desire map: private answers, rounds, what a comparison shows and to whom, the therapist's
choices and view, a personal map, leaving, export and deletion, query counts and the canary.

The attacker's strategies over several rounds are in tests/test_desire_probing.py."""

from __future__ import annotations

import html
import io
import json
import re
import uuid
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from interlude.audit.models import AuditEvent
from interlude.desire import matching
from interlude.desire.access import get_map_for_client
from interlude.desire.actions import (
    DesireError,
    desire_answers_save,
    desire_answers_submit,
    desire_choose_before_reveal,
    desire_custom_item_add,
    desire_round_ask,
    desire_settings_save,
    desire_share_set,
    offered_slugs,
)
from interlude.desire.catalogue import catalogue
from interlude.desire.models import DesireAnswers, DesireCustomItem, DesireRound
from interlude.desire.workspace import section
from interlude.encryption.models import DataKey
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.onboarding.actions import partner_leave
from interlude.sharing.person import Person
from interlude.testing import PASSWORD
from tests.support import count_queries, raw_database_text

pytestmark = pytest.mark.django_db


# --- Helpers --------------------------------------------------------------------------------------


def desire_version():
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    return exercise.versions.get(version=exercise.latest_version)


def couple_map(cast, *, therapist=None):
    return assignment_create(
        therapist=therapist or cast.alice,
        version=desire_version(),
        couple=cast.member(cast.bob).couple,
    )


def personal_version():
    exercise = Exercise.objects.get(slug="personal-desire-map", practice__isnull=True)
    return exercise.versions.get(version=exercise.latest_version)


def personal_map(cast, who=None, *, version=None):
    """A map for someone on their own: the personal exercise unless VERSION says otherwise
    (a therapist may also give the exercise written for two)."""
    who = who or cast.gina
    version = version or personal_version()
    if who == cast.gina:
        return assignment_create(
            therapist=cast.alice, version=version, couple=cast.member(cast.gina).couple
        )
    return assignment_create(therapist=cast.alice, version=version, client=who)


def as_map(user, assignment):
    return get_map_for_client(Person(user), assignment.pk)


def answer(user, assignment, answers):
    """ANSWERS: {slug: "yes"} or {slug: ("yes", only if the other says yes too)}."""
    values = {k: v if isinstance(v, tuple) else (v, False) for k, v in answers.items()}
    return desire_answers_save(map_=as_map(user, assignment), slugs=list(values), answers=values)


def send(user, assignment):
    return desire_answers_submit(map_=as_map(user, assignment))


def all_items(assignment, value="yes"):
    return dict.fromkeys(offered_slugs(assignment), value)


def main_text(response):
    page = response.content.decode()
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def shared_slugs(user, assignment, number=1):
    """What USER is shown as shared in round NUMBER: {slug: kind}."""
    from interlude.desire.queries import reveal_page

    reveal = reveal_page(as_map(user, assignment), number)
    assert reveal is not None
    return {s.item.slug: s.kind for s in reveal.shared.both_yes + reveal.shared.both_curious}


# --- Matching, on its own -------------------------------------------------------------------------


def test_it_shows_both_yes_and_both_curious():
    slugs = ["a", "b", "c", "d"]
    first = {"a": ("yes", False), "b": ("yes", False), "c": ("maybe", False), "d": ("no", False)}
    second = {
        "a": ("yes", False),
        "b": ("maybe", False),
        "c": ("maybe", False),
        "d": ("yes", False),
    }
    found = {m.slug: m.kind for m in matching.matches(slugs, first, second)}
    assert found == {"a": "both_yes", "b": "both_curious", "c": "both_curious"}


def test_only_if_they_say_yes_too_counts_only_when_the_other_said_yes():
    guarded = {"x": ("maybe", True)}
    assert matching.match(guarded["x"], ("yes", False)) == "both_curious"
    assert matching.match(guarded["x"], ("maybe", False)) is None
    assert matching.match(("yes", True), ("yes", True)) == "both_yes"
    assert matching.match(("yes", True), ("maybe", False)) is None
    assert matching.match(("maybe", True), ("maybe", True)) is None


GIVEN = st.tuples(st.sampled_from(matching.ANSWERS), st.booleans())
ANSWER = st.one_of(st.none(), GIVEN)


@settings(max_examples=300, deadline=None)
@given(mine=ANSWER, hidden=st.sampled_from(["no", "skip", None]), flag=st.booleans())
def test_a_no_looks_exactly_like_a_skip_or_nothing_from_the_other_side(mine, hidden, flag):
    theirs = None if hidden is None else (hidden, flag)
    for other in (("no", False), ("skip", True), None):
        assert matching.match(mine, theirs) == matching.match(mine, other)
    assert matching.match(mine, theirs) is None


@settings(max_examples=200, deadline=None)
@given(
    first=st.dictionaries(st.sampled_from("abcdef"), GIVEN, max_size=6),
    second=st.dictionaries(st.sampled_from("abcdef"), GIVEN, max_size=6),
)
def test_matching_is_symmetric_and_keeps_the_catalogue_order(first, second):
    order = list("fbdace")
    one = matching.matches(order, first, second)
    other = matching.matches(order, second, first)
    assert one == other
    assert [m.slug for m in one] == [s for s in order if s in {m.slug for m in one}]
    # The order the answers were given in changes nothing.
    reordered = dict(reversed(list(first.items())))
    assert matching.matches(order, reordered, second) == one


def test_the_warning_starts_at_eighty_percent():
    slugs = [f"i{n}" for n in range(10)]
    seven = dict.fromkeys(slugs[:7], ("yes", False)) | {slugs[7]: ("no", False)}
    assert not matching.needs_warning(slugs, seven)
    eight = dict.fromkeys(slugs[:8], ("maybe", True))
    assert matching.needs_warning(slugs, eight)
    # A no or a skip is not counted towards it.
    assert not matching.needs_warning(slugs, dict.fromkeys(slugs, ("no", False)))


# --- Answering, sending, comparing ----------------------------------------------------------------


def test_answers_are_encrypted_under_the_authors_own_key(cast):
    assignment = couple_map(cast)
    mine = answer(cast.bob, assignment, {"light-spanking": "yes", "blindfolds": "maybe"})
    assert mine.encryption_owner() == (DataKey.OwnerKind.USER, cast.bob.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM desire_desireanswers")
        stored = cursor.fetchone()[0]
    assert "light-spanking" not in stored and "maybe" not in stored
    assert "light-spanking" not in raw_database_text()


def test_nothing_is_compared_until_both_have_sent(cast, client):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    assert DesireRound.objects.get().revealed_at is None
    client.force_login(cast.bob)
    assert client.get(reverse("desire_shared", args=[assignment.pk, 1])).status_code == 404
    send(cast.carol, assignment)
    assert DesireRound.objects.get().revealed_at is not None
    assert shared_slugs(cast.bob, assignment) == {"long-hugs": "both_yes"}
    assert client.get(reverse("desire_shared", args=[assignment.pk, 1])).status_code == 200


def test_a_sent_round_is_locked(cast, client):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    with pytest.raises(DesireError):
        answer(cast.bob, assignment, {"long-hugs": "no"})
    client.force_login(cast.bob)
    url = reverse("desire_group", args=[assignment.pk, 1])
    response = client.post(url, {"answer_long-hugs": "no"}, HTTP_HX_REQUEST="true")
    assert "stay as they are" in response.content.decode()
    page = client.get(url).content.decode()
    assert "disabled" in page and "stay as they are" in page
    assert DesireAnswers.objects.get(author=cast.bob).answers == {"long-hugs": ("yes", False)}
    # And a sent person cannot reopen their answers unless they were warned.
    with pytest.raises(DesireError):
        desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="change")


def test_a_partners_page_never_says_whether_the_other_has_sent(cast, client):
    assignment = couple_map(cast)
    answer(cast.carol, assignment, all_items(assignment))
    send(cast.carol, assignment)
    client.force_login(cast.carol)
    url = reverse("tool_desire_map", args=[assignment.pk])
    before = main_text(client.get(url))
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    assert main_text(client.get(url)) == before
    send(cast.bob, assignment)  # Bob is now to be told something first: nothing is compared
    assert DesireRound.objects.get().revealed_at is None
    # Carol, while Bob chooses, reads exactly what she read before Bob had marked anything.
    assert main_text(client.get(url)) == before
    client.force_login(cast.bob)
    assert "Before anything is compared" in main_text(client.get(url))


def test_group_answers_are_kept_as_the_person_goes(cast, client):
    assignment = couple_map(cast)
    client.force_login(cast.bob)
    url = reverse("desire_group", args=[assignment.pk, 1])
    response = client.post(
        url, {"answer_long-hugs": "yes", "only_long-hugs": "on"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Kept at" in response.content.decode()
    assert DesireAnswers.objects.get(author=cast.bob).answers == {"long-hugs": ("yes", True)}
    # Without scripts, the buttons keep the group and move on (or back).
    response = client.post(url, {"answer_holding-hands": "maybe", "go": "next"})
    assert response["Location"] == reverse("desire_group", args=[assignment.pk, 2])
    # Unmarking works too: the whole group is as the form says.
    assert DesireAnswers.objects.get(author=cast.bob).answers == {"holding-hands": ("maybe", False)}
    second = reverse("desire_group", args=[assignment.pk, 2])
    response = client.post(second, {"answer_compliments": "yes", "go": "previous"})
    assert response["Location"] == url
    response = client.post(url, {"answer_holding-hands": "maybe", "go": "previous"})
    assert response["Location"] == reverse("tool_desire_map", args=[assignment.pk])
    # "Keep these and come back later": kept, and home.
    response = client.post(url, {"answer_holding-hands": "no", "go": "home"})
    assert response["Location"] == reverse("home")
    assert DesireAnswers.objects.get(author=cast.bob).answers["holding-hands"] == ("no", False)
    last = len(as_map(cast.bob, assignment) and offered_groups(assignment))
    response = client.post(reverse("desire_group", args=[assignment.pk, last]), {"go": "next"})
    assert response["Location"] == reverse("desire_review", args=[assignment.pk])


def offered_groups(assignment):
    from interlude.desire.queries import offer_for

    return offer_for(as_map(assignment.couple.members.first().client, assignment)).groups


def test_a_strange_answer_is_refused_and_nothing_marked_is_lost(cast, client):
    assignment = couple_map(cast)
    client.force_login(cast.bob)
    url = reverse("desire_group", args=[assignment.pk, 1])
    response = client.post(url, {"answer_long-hugs": "yes", "answer_holding-hands": "always"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose yes, maybe, no or skip." in page
    assert re.search(r'value="yes" id="id_answer_long-hugs_0" checked', page)
    # A group number beyond the map goes to the review.
    assert client.get(reverse("desire_group", args=[assignment.pk, 99]))["Location"].endswith(
        "/review/"
    )


def test_answers_are_kept_through_a_session_timeout(cast, client):
    import time

    from interlude.accounts.middleware import SEEN

    assignment = couple_map(cast)
    client.force_login(cast.bob)
    client.get(reverse("tool_desire_map", args=[assignment.pk]))
    session = client.session
    session[SEEN] = int(time.time()) - 3 * 3600
    session.save()
    response = client.post(
        reverse("desire_group", args=[assignment.pk, 1]), {"answer_slow-kissing": "maybe"}
    )
    assert response["Location"].startswith(reverse("account_login"))
    assert DesireAnswers.objects.get(author=cast.bob).answers == {"slow-kissing": ("maybe", False)}


def test_the_reveal_shows_only_what_both_share_and_says_what_that_means(cast, client):
    assignment = couple_map(cast)
    answer(
        cast.bob,
        assignment,
        {"long-hugs": "yes", "holding-hands": "yes", "slow-kissing": "no", "compliments": "maybe"},
    )
    answer(
        cast.carol,
        assignment,
        {"long-hugs": "yes", "holding-hands": "maybe", "slow-kissing": "yes", "blindfolds": "yes"},
    )
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    for who in (cast.bob, cast.carol):
        client.force_login(who)
        text = main_text(client.get(reverse("desire_shared", args=[assignment.pk, 1])))
        assert "Long hugs" in text and "Holding hands" in text
        assert "Slow kissing" not in text and "Blindfolds" not in text and "Compliments" not in text
        assert "You both said yes" in text and "both curious" in text
        assert "An item is shared when you both marked it yes or maybe" in text
        assert "nobody is turned down" not in text.lower()
        # No count of anything that is not shared, no row for an item that is not.
        assert not re.search(r"\b(not shared|not matched|unmatched|\d+ (items )?not)\b", text)
        listed = text.split("You both said yes")[1].split("Talking about them")[0]
        assert not re.search(r"\b\d+\b", listed)


def test_every_reveal_is_recorded_without_naming_who_made_it_happen(cast):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    events = AuditEvent.objects.filter(action="desire.reveal")
    assert {e.subject_id for e in events} == {cast.bob.pk, cast.carol.pk}
    assert all(e.actor_id is None for e in events)
    assert all(e.target_id == str(DesireRound.objects.get().pk) for e in events)


# --- The warning before a comparison --------------------------------------------------------------


def warned_round(cast, assignment):
    """Bob sends a few answers; Carol marks yes everywhere and sends: Bob is to be told."""
    answer(cast.bob, assignment, {"long-hugs": "yes", "holding-hands": "maybe"})
    send(cast.bob, assignment)
    answer(cast.carol, assignment, all_items(assignment))
    send(cast.carol, assignment)


def test_the_other_is_told_before_a_comparison_that_would_show_almost_everything(cast, client):
    assignment = couple_map(cast)
    warned_round(cast, assignment)
    assert DesireRound.objects.get().revealed_at is None
    client.force_login(cast.bob)
    response = client.post(reverse("desire_review", args=[assignment.pk]))
    assert response["Location"] == reverse("desire_before_reveal", args=[assignment.pk])
    text = main_text(client.get(reverse("desire_before_reveal", args=[assignment.pk])))
    assert "at least 8 items in every 10" in text
    assert "would show almost all of your own yes and maybe answers" in text
    assert "Go ahead and compare" in text and "Take my answers back" in text
    response = client.post(
        reverse("desire_before_reveal", args=[assignment.pk]), {"choice": "go_ahead"}
    )
    assert DesireRound.objects.get().revealed_at is not None
    assert shared_slugs(cast.carol, assignment) == {
        "long-hugs": "both_yes",
        "holding-hands": "both_curious",
    }


def test_the_warned_person_may_change_their_answers_first(cast):
    assignment = couple_map(cast)
    warned_round(cast, assignment)
    desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="change")
    answer(cast.bob, assignment, {"holding-hands": "no"})
    send(cast.bob, assignment)
    # Sent again after the other's answers were final: asked again, then compared.
    assert DesireRound.objects.get().revealed_at is None
    desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="go_ahead")
    assert shared_slugs(cast.bob, assignment) == {"long-hugs": "both_yes"}


def test_the_warned_person_may_take_their_answers_back(cast, client):
    assignment = couple_map(cast)
    warned_round(cast, assignment)
    client.force_login(cast.bob)
    client.post(reverse("desire_before_reveal", args=[assignment.pk]), {"choice": "take_back"})
    # Pressed twice: done once, and the second time says the same.
    response = client.post(
        reverse("desire_before_reveal", args=[assignment.pk]), {"choice": "take_back"}, follow=True
    )
    assert "Your answers are taken back" in response.content.decode()
    mine = DesireAnswers.objects.get(author=cast.bob)
    assert mine.answers == {} and not mine.is_sent
    assert DesireRound.objects.get().revealed_at is None
    # Carol still reads "your answers are sent", as before.
    client.force_login(cast.carol)
    assert "Your answers are sent" in main_text(
        client.get(reverse("tool_desire_map", args=[assignment.pk]))
    )


def test_the_therapist_cannot_tell_that_someone_reopened_their_answers(cast, client):
    assignment = couple_map(cast)
    warned_round(cast, assignment)
    client.force_login(cast.alice)
    url = reverse("desire_results", args=[assignment.pk])
    before = main_text(client.get(url))
    assert "Bob: sent" in before and "Carol: sent" in before
    desire_choose_before_reveal(map_=as_map(cast.bob, assignment), choice="take_back")
    assert main_text(client.get(url)) == before


def test_a_therapist_hiding_items_can_lift_a_warning(cast):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    safer = {i.slug for i in catalogue().group("safer-sex-and-boundaries").items}
    answer(
        cast.carol,
        assignment,
        {s: "no" if s in safer else "yes" for s in offered_slugs(assignment)},
    )
    send(cast.carol, assignment)
    assert DesireRound.objects.get().revealed_at is None  # Bob is to be told first
    desire_settings_save(
        assignment=assignment,
        therapist=cast.alice,
        hidden_groups=[
            "talking-and-flirting",
            "sensual-touch",
            "setting-and-mood",
            "curious-about",
        ],
        hidden_intensities=[],
        hidden_items=[],
        interval_days=14,
    )
    # Carol's yes now covers too few of the items offered for a word first: compared.
    assert not matching.needs_warning(
        offered_slugs(assignment), DesireAnswers.objects.get(author=cast.carol).answers
    )
    assert DesireRound.objects.get().revealed_at is not None


# --- New rounds -----------------------------------------------------------------------------------


def test_a_new_round_needs_both_and_waits_fourteen_days(cast):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    revealed = DesireRound.objects.get().revealed_at
    with pytest.raises(DesireError, match="A new round can start from"):
        desire_round_ask(map_=as_map(cast.bob, assignment))
    later = revealed + timedelta(days=14)
    with mock.patch("django.utils.timezone.now", return_value=later):
        round_ = desire_round_ask(map_=as_map(cast.bob, assignment))
        assert round_.number == 1 and DesireRound.objects.count() == 1  # asked, not opened
        desire_round_ask(map_=as_map(cast.bob, assignment))  # asking twice changes nothing
        assert DesireRound.objects.count() == 1
        second = desire_round_ask(map_=as_map(cast.carol, assignment))  # Carol agrees
    assert second.number == 2
    # Last round's answers are offered again, to change; nothing is sent or compared.
    bob = DesireAnswers.objects.get(round=second, author=cast.bob)
    assert bob.answers == {"long-hugs": ("yes", False)} and not bob.is_sent
    assert second.revealed_at is None


def test_the_therapist_can_change_the_interval(cast):
    assignment = couple_map(cast)
    desire_settings_save(
        assignment=assignment,
        therapist=cast.alice,
        hidden_groups=[],
        hidden_intensities=[],
        hidden_items=[],
        interval_days=30,
    )
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    revealed = DesireRound.objects.get().revealed_at
    too_soon = revealed + timedelta(days=29)
    with mock.patch("django.utils.timezone.now", return_value=too_soon), pytest.raises(DesireError):
        desire_round_ask(map_=as_map(cast.bob, assignment))
    with mock.patch("django.utils.timezone.now", return_value=revealed + timedelta(days=30)):
        desire_round_ask(map_=as_map(cast.bob, assignment))
    with pytest.raises(DesireError):
        desire_settings_save(
            assignment=assignment,
            therapist=cast.alice,
            hidden_groups=[],
            hidden_intensities=[],
            hidden_items=[],
            interval_days=0,
        )


def test_not_now_declines_a_new_round_and_either_may_ask_again(cast, client):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    revealed = DesireRound.objects.get().revealed_at
    with mock.patch("django.utils.timezone.now", return_value=revealed + timedelta(days=15)):
        client.force_login(cast.bob)
        client.post(reverse("desire_new_round", args=[assignment.pk]), {"do": "ask"})
        client.force_login(cast.carol)
        text = main_text(client.get(reverse("tool_desire_map", args=[assignment.pk])))
        assert "Bob would like to start a new round" in text and "Saying not now is fine" in text
        client.post(reverse("desire_new_round", args=[assignment.pk]), {"do": "not_now"})
        round_ = DesireRound.objects.get()
        assert round_.next_asked_by is None and DesireRound.objects.count() == 1
        # Asked again; agreed to with a double press: one new round, and no word of a problem.
        client.force_login(cast.bob)
        client.post(reverse("desire_new_round", args=[assignment.pk]), {"do": "ask", "after": "1"})
        client.force_login(cast.carol)
        for _ in range(2):
            response = client.post(
                reverse("desire_new_round", args=[assignment.pk]),
                {"do": "ask", "after": "1"},
                follow=True,
            )
            assert "Round 2 has started" in response.content.decode()
    assert DesireRound.objects.count() == 2


# --- The therapist --------------------------------------------------------------------------------


def test_the_therapist_sees_shared_items_only_when_both_choose_to(cast, client):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes", "slow-kissing": "no", "blindfolds": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "maybe", "slow-kissing": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    round_ = DesireRound.objects.get()
    url = reverse("desire_results", args=[assignment.pk])
    client.force_login(cast.alice)
    assert "Long hugs" not in main_text(client.get(url))
    desire_share_set(map_=as_map(cast.bob, assignment), round_=round_, share=True)
    assert "Long hugs" not in main_text(client.get(url))
    assert not AuditEvent.objects.filter(action="read.desire.therapist").exists()
    desire_share_set(map_=as_map(cast.carol, assignment), round_=round_, share=True)
    text = main_text(client.get(url))
    assert "Long hugs" in text
    # Never anyone's own answers: not Bob's yes to blindfolds, not anyone's no.
    assert "Blindfolds" not in text and "Slow kissing" not in text
    reads = AuditEvent.objects.filter(action="read.desire.therapist")
    assert {e.subject_id for e in reads} == {cast.bob.pk, cast.carol.pk}
    # Either may stop it at any time.
    desire_share_set(map_=as_map(cast.carol, assignment), round_=round_, share=False)
    assert "Long hugs" not in main_text(client.get(url))


def test_the_therapists_page_says_neutrally_who_has_sent(cast, client):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    send(cast.bob, assignment)
    client.force_login(cast.alice)
    text = main_text(client.get(reverse("client_detail", args=[cast.bob.pk])))
    assert "Bob: sent" in text and "Carol: not sent" in text
    for nudge in ("waiting", "still", "yet to", "reminder", "overdue", "hasn't", "behind"):
        assert nudge not in text.lower().split("desire map")[1].split("practice")[0], nudge
    got = section(cast.alice, cast.bob, None)
    assert got is not None and got.flags == []
    assert got.since == []  # nothing compared or finished yet


def test_since_last_session_says_a_round_was_revealed(cast):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes"})
    answer(cast.carol, assignment, {"long-hugs": "yes"})
    when = timezone.make_aware(timezone.datetime(2026, 11, 26, 12, 0))
    send(cast.bob, assignment)
    with mock.patch("django.utils.timezone.now", return_value=when):
        send(cast.carol, assignment)
    got = section(cast.alice, cast.bob, when - timedelta(days=7))
    assert got.since == ["A desire-map round was revealed on 26 Nov."]
    assert section(cast.alice, cast.bob, when + timedelta(hours=1)).since == []
    assert section(cast.olive, cast.bob, None) is None  # not her assignment


def test_hidden_groups_kinds_and_items_are_neither_asked_nor_compared(cast, client):
    assignment = couple_map(cast)
    answer(
        cast.bob, assignment, {"long-hugs": "yes", "blindfolds": "yes", "anal-penetration": "yes"}
    )
    answer(
        cast.carol, assignment, {"long-hugs": "yes", "blindfolds": "yes", "anal-penetration": "yes"}
    )
    desire_settings_save(
        assignment=assignment,
        therapist=cast.alice,
        hidden_groups=["curious-about"],
        hidden_intensities=["intimate"],
        hidden_items=["long-hugs"],
        interval_days=14,
    )
    slugs = offered_slugs(assignment)
    assert "long-hugs" not in slugs and "blindfolds" not in slugs
    assert not {s for s in slugs if catalogue().item(s).intensity == "intimate"}
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    assert shared_slugs(cast.bob, assignment) == {}
    client.force_login(cast.bob)
    review = main_text(client.get(reverse("desire_review", args=[assignment.pk])))
    assert "Curious about" not in review and "Long hugs" not in review


def test_custom_items_are_the_therapists_words_encrypted_under_the_couples_key(cast, client):
    assignment = couple_map(cast)
    client.force_login(cast.alice)
    key = str(uuid.uuid4())
    for _ in range(2):  # a double submit adds one item
        response = client.post(
            reverse("desire_item_add", args=[assignment.pk]),
            {"title": "Dancing in the kitchen", "description": "Slow or silly.", "submission": key},
        )
        assert response.status_code == 302
    item = DesireCustomItem.objects.get()
    assert item.encryption_owner() == (DataKey.OwnerKind.COUPLE, assignment.couple_id)
    assert "Dancing in the kitchen" not in raw_database_text()
    response = client.post(reverse("desire_item_add", args=[assignment.pk]), {"title": ""})
    assert response.status_code == 400 and "Please give the item a short title." in (
        response.content.decode()
    )
    answer(cast.bob, assignment, {item.slug: "yes"})
    answer(cast.carol, assignment, {item.slug: "maybe"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    assert shared_slugs(cast.bob, assignment) == {item.slug: "both_curious"}
    client.force_login(cast.bob)
    text = main_text(client.get(reverse("desire_shared", args=[assignment.pk, 1])))
    assert "Dancing in the kitchen" in text and "Added by Alice" not in text


# --- A personal map -------------------------------------------------------------------------------

JOINT = re.compile(
    r"\b(both|together|each other|your partner|partner|you two|shared space|"
    r"(one|either|neither|each|all|two) of you|the other|they say yes)\b",
    re.IGNORECASE,
)


def test_the_personal_wording_of_every_item_names_no_partner():
    personal = catalogue().personal()
    for group in personal.groups:
        assert not JOINT.search(f"{group.title} {group.description}"), group.slug
        for item in group.items:
            text = f"{item.title} {item.description}"
            assert not JOINT.search(text), f"{item.slug}: {text}"


@pytest.mark.parametrize("who", ["gina", "dave"])
def test_a_personal_map_names_no_partner_on_any_page(cast, client, who):
    user = getattr(cast, who)
    assignment = personal_map(cast, user)
    client.force_login(user)
    pages = [reverse("tool_desire_map", args=[assignment.pk])]
    count = len(offer_groups_for(user, assignment))
    pages += [reverse("desire_group", args=[assignment.pk, n]) for n in range(1, count + 1)]
    pages += [
        reverse("desire_review", args=[assignment.pk]),
        reverse("practice", args=[assignment.pk]),
    ]
    client.post(pages[1], {"answer_long-hugs": "yes", "answer_slow-kissing": "no"})
    client.post(reverse("desire_review", args=[assignment.pk]))
    pages += [reverse("desire_summary", args=[assignment.pk])]
    client.post(reverse("desire_share", args=[assignment.pk]), {"share": "on"})
    pages += [
        reverse("desire_summary", args=[assignment.pk]),
        reverse("tool_desire_map", args=[assignment.pk]),
    ]
    # The exercise written for one person: no partner wording anywhere, its own text included.
    problems = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = main_text(response)
        problems += [f"{url}: {m.group(0)!r}" for m in JOINT.finditer(text)]
        assert "Only show this if" not in text
    assert not problems, problems


def offer_groups_for(user, assignment):
    from interlude.desire.queries import offer_for

    return offer_for(as_map(user, assignment)).groups


def test_a_personal_map_lists_yes_and_maybe_and_shares_only_if_chosen(cast, client):
    assignment = personal_map(cast)
    answer(
        cast.gina, assignment, {"long-hugs": "yes", "holding-hands": "maybe", "slow-kissing": "no"}
    )
    assert as_map(cast.gina, assignment).is_personal
    client.force_login(cast.gina)
    client.post(reverse("desire_review", args=[assignment.pk]))
    text = main_text(client.get(reverse("desire_summary", args=[assignment.pk])))
    assert "Long hugs" in text and "Holding hands" in text and "Slow kissing" not in text
    # Still changeable after finishing: no rounds, no locking.
    answer(cast.gina, assignment, {"slow-kissing": "maybe"})
    client.force_login(cast.alice)
    results = reverse("desire_results", args=[assignment.pk])
    assert "Long hugs" not in main_text(client.get(results))
    desire_share_set(
        map_=as_map(cast.gina, assignment), round_=DesireRound.objects.get(), share=True
    )
    text = main_text(client.get(results))
    assert "Long hugs" in text and "Slow kissing" in text  # now a maybe
    assert "No" not in re.findall(r"\b(No)\b", text)
    got = section(cast.alice, cast.gina, None)
    assert got.since and got.since[0].startswith("Gina finished a personal desire map on")
    with pytest.raises(DesireError):
        desire_round_ask(map_=as_map(cast.gina, assignment))


# --- Leaving, deleting, exporting -----------------------------------------------------------------


def compared(cast):
    assignment = couple_map(cast)
    answer(cast.bob, assignment, {"long-hugs": "yes", "slow-kissing": "no"})
    answer(cast.carol, assignment, {"long-hugs": "yes", "blindfolds": "yes"})
    send(cast.bob, assignment)
    send(cast.carol, assignment)
    return assignment


def test_a_partner_who_leaves_loses_every_reveal_and_keeps_only_their_own_answers(cast, client):
    assignment = compared(cast)
    round_ = DesireRound.objects.get()
    for who in (cast.bob, cast.carol):
        desire_share_set(map_=as_map(who, assignment), round_=round_, share=True)
    partner_leave(member=cast.member(cast.bob), user=cast.bob)
    for who, mine, theirs in (
        (cast.bob, "Slow kissing", "Blindfolds"),
        (cast.carol, "Blindfolds", "Slow kissing"),
    ):
        client.force_login(who)
        assert client.get(reverse("desire_shared", args=[assignment.pk, 1])).status_code == 404
        text = main_text(client.get(reverse("tool_desire_map", args=[assignment.pk])))
        assert "link that has ended" in text
        assert mine in text and theirs not in text
        assert "See what you share" not in text
        response = client.post(
            reverse("desire_share", args=[assignment.pk]), {"share": "on", "round": "1"}
        )
        assert response.status_code == 404
    # And their therapist no longer sees what they had shared.
    client.force_login(cast.alice)
    text = main_text(client.get(reverse("desire_results", args=[assignment.pk])))
    assert "Long hugs" not in text and "link has ended" in text


def test_deleting_an_account_shreds_the_answers_and_leaves_the_partner_their_own(cast, client):
    from interlude.privacy.actions import client_account_delete

    assignment = compared(cast)
    client_account_delete(user=cast.bob)
    assert not DesireAnswers.objects.filter(author=cast.bob).exists()
    assert DesireAnswers.objects.filter(author=cast.carol).exists()
    client.force_login(cast.carol)
    text = main_text(client.get(reverse("tool_desire_map", args=[assignment.pk])))
    assert "Blindfolds" in text and "Slow kissing" not in text


def test_deleting_a_solo_clients_account_removes_their_whole_map(cast):
    from interlude.privacy.actions import client_account_delete

    assignment = personal_map(cast, cast.dave)
    answer(cast.dave, assignment, {"long-hugs": "yes"})
    desire_custom_item_add(
        assignment=assignment, therapist=cast.alice, title="Mine", description=""
    )
    client_account_delete(user=cast.dave)
    assert not DesireRound.objects.exists() and not DesireCustomItem.objects.exists()


def test_removing_an_item_twice_is_one_removal(cast, client):
    assignment = couple_map(cast)
    item = desire_custom_item_add(
        assignment=assignment, therapist=cast.alice, title="Mine", description=""
    )
    client.force_login(cast.alice)
    url = reverse("desire_item_remove", args=[assignment.pk, item.pk])
    for _ in range(2):
        assert client.post(url)["Location"] == reverse("desire_settings", args=[assignment.pk])
    assert not DesireCustomItem.objects.exists()
    client.force_login(cast.olive)
    assert client.post(url).status_code == 404


def test_an_export_holds_ones_own_answers_and_never_the_partners(cast, client):
    compared(cast)
    client.post(reverse("account_login"), {"login": "bob@example.test", "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("privacy_export") + "?download=1")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("interlude-export.json"))
    page = archive.read("interlude-export.html").decode()
    rows = data["desire.desireanswers"]
    assert len(rows) == 1 and json.loads(rows[0]["data"]) == {
        "long-hugs": ["yes", False],
        "slow-kissing": ["no", False],
    }
    everything = json.dumps(data) + page
    assert "blindfolds" not in everything.lower()  # Carol's yes, never in Bob's export
    assert "Long hugs: Yes" in page and "Slow kissing: No" in page
    assert data["desire.desireround"][0]["revealed_at"]


# --- Query counts and the canary ------------------------------------------------------------------


def grow(cast, assignment, rounds):
    """ROUNDS more compared rounds, each 15 days after the last (starting a year ago), both
    sharing with the therapist, and an item of the therapist's own for each."""
    start = timezone.now() - timedelta(days=365)
    done = DesireRound.objects.filter(assignment=assignment).count()
    for number in range(done, done + rounds):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(days=15 * number)
        ):
            if number:
                desire_round_ask(map_=as_map(cast.bob, assignment))
                desire_round_ask(map_=as_map(cast.carol, assignment))
            answer(cast.bob, assignment, {"long-hugs": "yes", "holding-hands": "yes"})
            answer(cast.carol, assignment, {"long-hugs": "yes", "holding-hands": "maybe"})
            send(cast.carol, assignment)
            send(cast.bob, assignment)
            round_ = DesireRound.objects.filter(assignment=assignment).first()
            for who in (cast.bob, cast.carol):
                desire_share_set(map_=as_map(who, assignment), round_=round_, share=True)
        desire_custom_item_add(
            assignment=assignment, therapist=cast.alice, title=f"Item {number}", description="d"
        )


def desire_pages(cast, assignment, solo):
    latest = DesireRound.objects.filter(assignment=assignment).first().number
    return {
        "map": (cast.bob, reverse("tool_desire_map", args=[assignment.pk])),
        "group": (cast.bob, reverse("desire_group", args=[assignment.pk, 1])),
        "review": (cast.bob, reverse("desire_review", args=[assignment.pk])),
        "shared": (cast.bob, reverse("desire_shared", args=[assignment.pk, latest])),
        "summary": (cast.dave, reverse("desire_summary", args=[solo.pk])),
        "solo_map": (cast.dave, reverse("tool_desire_map", args=[solo.pk])),
        "settings": (cast.alice, reverse("desire_settings", args=[assignment.pk])),
        "results": (cast.alice, reverse("desire_results", args=[assignment.pk])),
        "client_detail": (cast.alice, reverse("client_detail", args=[cast.bob.pk])),
    }


def test_pages_run_constant_queries_as_rounds_and_items_grow(client, cast):
    assignment = couple_map(cast)
    solo = personal_map(cast, cast.dave)
    answer(cast.dave, solo, {"long-hugs": "yes"})
    grow(cast, assignment, 1)

    def measure():
        counts = {}
        for name, (who, url) in desire_pages(cast, assignment, solo).items():
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    small = measure()
    grow(cast, assignment, 8)
    for n in range(10):
        desire_custom_item_add(assignment=solo, therapist=cast.alice, title=f"S{n}", description="")
    assert DesireRound.objects.filter(assignment=assignment).count() == 9
    large = measure()
    assert large == small, (small, large)
    assert max(small.values()) <= 40, small


def test_the_canary_never_leaks(client, cast, logs, django_capture_on_commit_callbacks):
    canary = f"canary-{uuid.uuid4().hex}"
    assignment = couple_map(cast)
    responses = []
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        responses.append(
            client.post(
                reverse("desire_item_add", args=[assignment.pk]),
                {"title": f"{canary} title"[:80], "description": f"{canary} description ✨"},
            )
        )
        too_long = client.post(
            reverse("desire_item_add", args=[assignment.pk]),
            {"title": canary * 3, "description": canary},
        )
        assert too_long.status_code == 400 and canary in too_long.content.decode()  # kept
        responses.append(client.post(reverse("desire_item_add", args=[999_999]), {"title": canary}))
        item = DesireCustomItem.objects.get()
        client.force_login(cast.bob)
        responses.append(
            client.post(
                reverse("desire_group", args=[assignment.pk, 9]),
                {f"answer_{item.slug}": "yes", "go": "review"},
            )
        )
        responses.append(
            client.post(
                reverse("desire_group", args=[assignment.pk, 9]),
                {f"answer_{item.slug}": canary},
            )
        )
        responses.append(client.post(reverse("desire_review", args=[assignment.pk])))
        client.force_login(cast.carol)
        client.post(
            reverse("desire_group", args=[assignment.pk, 9]), {f"answer_{item.slug}": "yes"}
        )
        responses.append(client.post(reverse("desire_review", args=[assignment.pk])))
        # Those it is for read it, decrypted on the page, as intended.
        assert (
            canary in client.get(reverse("desire_shared", args=[assignment.pk, 1])).content.decode()
        )
        client.force_login(cast.alice)
        assert (
            canary in client.get(reverse("desire_settings", args=[assignment.pk])).content.decode()
        )
    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400:
            assert canary not in response.content.decode() or response.status_code == 400
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert canary not in url
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text and canary not in log_text
    raw = raw_database_text()
    assert canary not in raw and "✨" not in raw
    assert item.slug not in raw  # which item anyone marked is encrypted too
    desire_settings_save(
        assignment=assignment,
        therapist=cast.alice,
        hidden_groups=[],
        hidden_intensities=[],
        hidden_items=["light-restraint"],
        interval_days=14,
    )
    assert "light-restraint" not in raw_database_text()  # and what the therapist left out
