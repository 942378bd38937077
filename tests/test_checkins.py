"""The weekly check-in: each partner prepares privately, nothing is read before both are ready,
a note of what was agreed with its history, a solo check-in with no partner wording, the
therapist's view of which weeks had one and only what was shared, and a partner who leaves
losing every reveal and note."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import time
import uuid
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from interlude.accounts.middleware import SEEN
from interlude.checkins.models import (
    AgreedVersion,
    Answer,
    CheckIn,
    CheckinQuestion,
    Preparation,
)
from interlude.checkins.questions import week_of, week_words
from interlude.encryption.models import DataKey
from interlude.homework.actions import assignment_create, assignment_set_status
from interlude.testing import PASSWORD, share_with_partner
from tests.support import count_queries, raw_database_text
from tests.talk_support import latest_version

pytestmark = pytest.mark.django_db

CHECKIN = "weekly-intimacy-check-in"
# Partner wording, never on a page a client practising alone reads.
PARTNER_WORDING = re.compile(
    r"\b(partners?|together|both|each other|we|us|our|you two|shared space)\b", re.IGNORECASE
)


def for_couple(cast, partners_share=True):
    if partners_share:
        share_with_partner(cast.bob)
        share_with_partner(cast.carol)
    return assignment_create(
        therapist=cast.alice, version=latest_version(CHECKIN), couple=cast.member(cast.bob).couple
    )


def page_of(client, assignment):
    return client.get(reverse("tool_checkin", args=[assignment.pk]))


def post(client, assignment, action="save", **answers):
    data = {"action": action}
    for key, value in answers.items():
        data[key.replace("_", "-")] = value
    return client.post(reverse("tool_checkin", args=[assignment.pk]), data)


def main(response) -> str:
    """The page's own content, as text."""
    text = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def steady(response) -> str:
    """The page with its one-time values (CSRF token, script nonce, submission key) taken out."""
    text = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    return re.sub(r'name="submission" value="[^"]+"', "", text)


def held_checkin(assignment):
    """The check-in of ASSIGNMENT held most recently."""
    return (
        CheckIn.objects.filter(assignment=assignment, held_at__isnull=False)
        .order_by("-held_at", "-pk")
        .first()
    )


def week_url(assignment, checkin):
    return reverse("checkin_week", args=[assignment.pk, checkin.pk])


def both_ready(client, cast, assignment):
    client.force_login(cast.bob)
    post(
        client,
        assignment,
        "ready",
        answer_appreciation="The tea on Tuesday.",
        share_appreciation="share",
        answer_a_worry="I'm nervous about the next stage.",
        share_a_worry="keep",
        therapist_a_worry="on",
    )
    client.force_login(cast.carol)
    post(
        client,
        assignment,
        "ready",
        answer_appreciation="The long walk.",
        share_appreciation="share",
        answer_kind_thing="Leave a note on the mirror.",
    )
    return held_checkin(assignment)


# --- Preparing privately, then reading together --------------------------------------------------


def test_it_keeps_a_preparation_private_and_gives_no_hint_about_the_partner(client, cast):
    assignment = for_couple(cast)
    carol = Client()
    carol.force_login(cast.carol)
    before = steady(page_of(carol, assignment))
    client.force_login(cast.bob)
    response = post(
        client,
        assignment,
        answer_appreciation="The tea on Tuesday.",
        share_appreciation="share",
    )
    assert response.status_code == 302
    assert (
        post(client, assignment, "ready", answer_appreciation="The tea on Tuesday.").status_code
        == 302
    )
    assert Preparation.objects.get(author=cast.bob).ready_at is not None
    after = page_of(carol, assignment)
    # Carol's page is exactly as it was: not a word of Bob's, and no sign he is ready.
    assert steady(after) == before
    assert "The tea on Tuesday" not in after.content.decode()
    checkin = CheckIn.objects.get(assignment=assignment)
    assert carol.get(week_url(assignment, checkin)).status_code == 404


def test_it_reveals_both_preparations_at_once_when_both_are_ready(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    assert checkin.held_at is not None
    for viewer, own, other in (
        (cast.bob, "The tea", "The long walk"),
        (cast.carol, "The long walk", "The tea"),
    ):
        client.force_login(viewer)
        page = client.get(week_url(assignment, checkin)).content.decode()
        assert own in page and other in page
        # Kept for the session: never shown to the partner.
        if viewer == cast.carol:
            assert "nervous about the next stage" not in page
            assert "Leave a note on the mirror." in page  # her own, kept, still hers to read
        if viewer == cast.bob:
            assert "Leave a note on the mirror." not in page
        assert "How to talk it over" in page


def test_it_says_neutrally_once_the_check_in_is_ready_to_read(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)  # the one who was ready first comes back
    page = page_of(client, assignment).content.decode()
    assert "This week&#x27;s check-in is ready to read together." in page
    assert week_url(assignment, checkin) in page


def test_it_asks_for_a_few_words_before_ready(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    response = post(client, assignment, "ready")
    assert response.status_code == 400
    assert "nothing written yet" in response.content.decode()
    assert not CheckIn.objects.filter(held_at__isnull=False).exists()


def test_it_lets_a_partner_change_their_answers_until_the_check_in_is_held(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    post(client, assignment, "ready", answer_appreciation="First words.")
    assert post(client, assignment, answer_appreciation="Other words.").status_code == 400
    post(client, assignment, "change")
    assert post(client, assignment, answer_appreciation="Other words.").status_code == 302
    assert Answer.objects.get(author=cast.bob).text == "Other words."
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    post(client, assignment, "change")
    assert Preparation.objects.get(author=cast.bob, checkin=checkin).ready_at is not None


def test_sharing_with_a_partner_needs_sharing_turned_on(client, cast):
    assignment = for_couple(cast, partners_share=False)
    client.force_login(cast.bob)
    page = page_of(client, assignment).content.decode()
    assert "Share with Carol" not in page
    assert reverse("privacy") in page
    response = post(client, assignment, answer_appreciation="The tea.", share_appreciation="share")
    assert response.status_code == 302  # an option not offered is not taken: kept private
    assert Answer.objects.get(author=cast.bob).visibility == "only_me"


def test_answers_are_encrypted_under_their_authors_own_key(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    post(client, assignment, answer_appreciation="secret words of appreciation")
    assert "secret words of appreciation" not in raw_database_text()
    answer = Answer.objects.get()
    assert answer.encryption_owner() == (DataKey.OwnerKind.USER, cast.bob.pk)


def test_answers_are_kept_as_they_are_typed(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    response = client.post(
        reverse("tool_checkin", args=[assignment.pk]),
        {"answer-what-felt-good": "half a thought"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Kept as a draft at" in response.content
    assert "half a thought</textarea>" in page_of(client, assignment).content.decode()


def test_answers_survive_a_session_timeout(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    page_of(client, assignment)
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = post(client, assignment, answer_appreciation="written as time ran out")
    assert response["Location"].startswith(reverse("account_login"))
    assert client.login(email="bob@example.test", password=PASSWORD)
    assert "written as time ran out" in page_of(client, assignment).content.decode()


def test_a_long_answer_comes_back_with_what_was_typed(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    response = post(client, assignment, answer_appreciation="x" * 5001 + " kept")
    assert response.status_code == 400
    assert "Nothing has been lost" in response.content.decode()
    assert " kept</textarea>" in response.content.decode()


# --- What was agreed ------------------------------------------------------------------------------


def agree(client, assignment, checkin, text, base, submission=None):
    data = {"text": text, "base": str(base)}
    if submission:
        data["submission"] = submission
    return client.post(reverse("checkin_agreed", args=[assignment.pk, checkin.pk]), data)


def test_either_partner_writes_what_was_agreed_and_its_history_is_kept(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    assert agree(client, assignment, checkin, "A quiet evening on Friday.", 0).status_code == 302
    first = AgreedVersion.objects.get()
    client.force_login(cast.carol)
    page = client.get(week_url(assignment, checkin)).content.decode()
    assert "A quiet evening on Friday." in page and "Last changed by Bob" in page
    assert (
        agree(client, assignment, checkin, "Friday, and a walk on Sunday.", first.pk).status_code
        == 302
    )
    client.force_login(cast.bob)
    page = client.get(week_url(assignment, checkin)).content.decode()
    assert "Friday, and a walk on Sunday." in page and "Last changed by Carol" in page
    history = page.split("Earlier versions")[1]
    assert "A quiet evening on Friday." in history and "You," in history
    versions = list(AgreedVersion.objects.order_by("created_at", "pk"))
    assert [v.by for v in versions] == [cast.bob, cast.carol]
    assert versions[0].encryption_owner() == (DataKey.OwnerKind.COUPLE, checkin.couple_id)
    assert "A quiet evening on Friday." not in raw_database_text()


def test_nobody_writes_over_the_other_without_seeing_it(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    agree(client, assignment, checkin, "Bob's plan.", 0)
    client.force_login(cast.carol)
    response = agree(client, assignment, checkin, "Carol's plan.", 0)  # began before Bob saved
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed while you were writing" in page
    assert "Carol&#x27;s plan.</textarea>" in page and "Bob&#x27;s plan." in page
    assert AgreedVersion.objects.count() == 1


def test_the_same_note_submitted_twice_stores_one_version(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    key = str(uuid.uuid4())
    assert agree(client, assignment, checkin, "Once.", 0, key).status_code == 302
    assert agree(client, assignment, checkin, "Once.", 0, key).status_code == 302
    assert AgreedVersion.objects.count() == 1


def test_the_agreed_note_being_written_is_kept_privately(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    response = client.post(
        reverse("checkin_agreed", args=[assignment.pk, checkin.pk]),
        {"text": "half an agreement"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Kept as a draft at" in response.content
    assert "half an agreement" in client.get(week_url(assignment, checkin)).content.decode()
    client.force_login(cast.carol)
    assert "half an agreement" not in client.get(week_url(assignment, checkin)).content.decode()
    assert not AgreedVersion.objects.exists()


# --- Leaving --------------------------------------------------------------------------------------


def test_a_partner_who_leaves_loses_every_reveal_and_every_note(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    agree(client, assignment, checkin, "What we agreed, privately.", 0)
    client.post(reverse("couple_leave", args=[cast.member(cast.bob).pk]))
    for who in (cast.bob, cast.carol):
        client.force_login(who)
        assert page_of(client, assignment).status_code == 404
        assert client.get(week_url(assignment, checkin)).status_code == 404
        response = agree(client, assignment, checkin, "again", 0)
        assert response.status_code == 404


# --- A client on their own ------------------------------------------------------------------------


def test_a_client_whose_partner_is_not_taking_part_meets_no_partner_wording(client, cast):
    assignment = assignment_create(
        therapist=cast.alice, version=latest_version(CHECKIN), couple=cast.member(cast.gina).couple
    )
    client.force_login(cast.gina)
    urls = [reverse("tool_checkin", args=[assignment.pk])]
    # The coach's notes appear under her answers too: in words for someone on their own.
    response = post(
        client,
        assignment,
        "check",
        answer_more_or_less="You never make time for me.",
        answer_a_worry="I worry about the pain coming back.",
        therapist_a_worry="on",
    )
    assert response.status_code == 200 and "the other person" in response.content.decode()
    pages = [response]
    post(client, assignment, "ready")
    checkin = held_checkin(assignment)
    assert checkin.solo
    urls += [week_url(assignment, checkin)]
    pages += [client.get(url) for url in urls]
    problems = []
    for response in pages:
        assert response.status_code == 200
        text = main(response)
        problems += [m.group(0) for m in PARTNER_WORDING.finditer(text)]
    assert not problems, problems
    assert "Your check-in for this week is kept." in main(pages[1])


def test_a_client_on_their_own_finishes_their_check_in_alone(client, cast):
    assignment = assignment_create(
        therapist=cast.alice, version=latest_version(CHECKIN), client=cast.dave
    )
    client.force_login(cast.dave)
    page = page_of(client, assignment).content.decode()
    assert "Finish this week" in page and "Share with" not in page
    response = post(client, assignment, "ready", answer_kind_thing="A slow bath on Friday.")
    checkin = held_checkin(assignment)
    assert response["Location"] == week_url(assignment, checkin)
    page = client.get(week_url(assignment, checkin)).content.decode()
    assert "A slow bath on Friday." in page and "Reading it back" in page


# --- Weeks ----------------------------------------------------------------------------------------


def test_weeks_are_counted_from_monday_on_the_persons_own_calendar(cast):
    sunday_night = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    monday_morning = dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC)
    assert week_of(cast.bob, at=sunday_night) == dt.date(2026, 11, 23)
    assert week_of(cast.bob, at=monday_morning) == dt.date(2026, 11, 30)
    assert week_words(dt.date(2026, 11, 23)).startswith("the week of 23 Nov")


def test_what_was_prepared_on_sunday_can_still_be_read_together_on_monday(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    post(
        client,
        assignment,
        "ready",
        answer_appreciation="Sunday's words.",
        share_appreciation="share",
    )
    last_week = week_of(cast.bob) - dt.timedelta(days=7)
    CheckIn.objects.update(week=last_week)  # it is Monday now
    client.force_login(cast.carol)
    post(
        client,
        assignment,
        "ready",
        answer_appreciation="Monday's words.",
        share_appreciation="share",
    )
    checkin = held_checkin(assignment)
    assert checkin.week == last_week and CheckIn.objects.count() == 1
    assert "Sunday&#x27;s words." in client.get(week_url(assignment, checkin)).content.decode()


def test_no_week_is_ever_missed(client, cast):
    """A week simply has a check-in or has none: nothing counts the others, and a partner's
    unfinished preparation is never mentioned."""
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    CheckIn.objects.update(week=checkin.week - dt.timedelta(days=28))
    client.force_login(cast.bob)
    post(client, assignment, answer_appreciation="Only mine, this time.")
    CheckIn.objects.filter(held_at__isnull=True).update(week=checkin.week - dt.timedelta(days=14))
    client.force_login(cast.carol)
    page = main(page_of(client, assignment))
    assert page.count("The week of") == 1  # only the one that was held
    assert not re.search(r"\b(missed|skipped|streak|in a row|weeks? without)\b", page, re.I)
    client.force_login(cast.bob)
    page = main(page_of(client, assignment))
    assert page.count("The week of") == 2 and "your own notes" in page


# --- The therapist --------------------------------------------------------------------------------


def test_the_therapist_sees_which_weeks_had_a_check_in_and_only_what_was_shared(client, cast):
    from interlude.checkins.workspace import section

    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    weekly = page.split('aria-label="Weekly check-in"')[1]
    assert "a check-in was held" in weekly
    assert "nervous about the next stage" in weekly  # shared with Alice
    assert "The tea on Tuesday" not in weekly  # shared only with Carol
    assert "The long walk" not in page and "note on the mirror" not in page  # Carol's
    found = section(cast.alice, cast.bob, since=None)
    assert found.since == [f"A check-in was held in {week_words(checkin.week)}."]
    later = section(cast.alice, cast.bob, since=checkin.held_at + dt.timedelta(seconds=1))
    assert later.since == []
    assert section(cast.olive, cast.bob, since=None) is None
    assert section(cast.alice, cast.dave, since=None) is None


def test_the_therapist_never_reads_a_preparation_still_being_written(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    post(client, assignment, answer_a_worry="Not ready to say yet.", therapist_a_worry="on")
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert "Not ready to say yet." not in page and "No check-in yet." in page


def test_the_therapist_chooses_the_questions(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.alice)
    url = reverse("checkin_agenda", args=[assignment.pk])
    key = str(uuid.uuid4())
    data = {
        "sections": ["appreciation", "kind-thing"],
        "question": "What helped you rest this week?",
        "submission": key,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same submission adds one question
    question = CheckinQuestion.objects.get()
    assert question.encryption_owner() == (DataKey.OwnerKind.COUPLE, assignment.couple_id)
    assert "What helped you rest this week?" not in raw_database_text()
    client.force_login(cast.carol)
    page = page_of(client, assignment).content.decode()
    assert "Appreciation" in page and "One kind thing" in page
    assert "A worry" not in page and "Plans for practice time" not in page
    assert "What helped you rest this week?" in page and "A question from Alice" in page
    client.force_login(cast.alice)
    assert client.post(url, {"remove": str(question.pk)}).status_code == 302
    assert not CheckinQuestion.objects.exists()
    response = client.post(url, {"question": ""})
    assert response.status_code == 400 and "at least one section" in response.content.decode()
    client.force_login(cast.olive)
    assert client.get(url).status_code == 404


def test_an_answer_to_a_question_left_out_later_stays_with_its_author(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.bob)
    post(client, assignment, answer_a_worry="My worry, written before.")
    client.force_login(cast.alice)
    client.post(reverse("checkin_agenda", args=[assignment.pk]), {"sections": ["appreciation"]})
    client.force_login(cast.bob)
    page = page_of(client, assignment).content.decode()
    assert "My worry, written before." in page


def test_a_copy_of_the_check_in_exercise_is_a_check_in_too(client, cast):
    from interlude.checkins.workspace import section
    from interlude.exercises.actions import exercise_copy

    builtin = latest_version(CHECKIN).exercise
    copy = exercise_copy(exercise=builtin, therapist=cast.alice, title="Our Sunday check-in")
    assignment = assignment_create(
        therapist=cast.alice,
        version=copy.versions.get(version=copy.latest_version),
        client=cast.dave,
    )
    client.force_login(cast.dave)
    assert page_of(client, assignment).status_code == 200
    assert [p.assignment_id for p in section(cast.alice, cast.dave, None).context["places"]] == [
        assignment.pk
    ]


def test_the_agreed_note_survives_a_session_timeout(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.bob)
    client.get(week_url(assignment, checkin))
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = agree(client, assignment, checkin, "agreed as time ran out", 0)
    assert response["Location"].startswith(reverse("account_login"))
    assert client.login(email="bob@example.test", password=PASSWORD)
    page = client.get(week_url(assignment, checkin)).content.decode()
    assert "agreed as time ran out</textarea>" in page and "kept for you" in page
    assert not AgreedVersion.objects.exists()  # kept for Bob, not yet the couple's note


def test_a_set_aside_check_in_is_closed_to_everyone(client, cast):
    assignment = for_couple(cast)
    assignment_set_status(assignment=assignment, by=cast.alice, status="discarded", reason="Later.")
    client.force_login(cast.bob)
    assert page_of(client, assignment).status_code == 404


def test_another_exercise_has_no_check_in(client, cast):
    other = assignment_create(
        therapist=cast.alice,
        version=latest_version("body-scan"),
        couple=cast.member(cast.bob).couple,
    )
    client.force_login(cast.bob)
    assert page_of(client, other).status_code == 404


# --- Export and deletion --------------------------------------------------------------------------


def export_of(client, email):
    client.logout()
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("privacy_export") + "?download=1")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("interlude-export.json"))


def test_the_export_holds_your_own_preparations_and_your_couples_notes(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.carol)
    agree(client, assignment, checkin, "Our plan for Friday.", 0)
    data = export_of(client, "bob@example.test")
    text = json.dumps(data)
    assert "The tea on Tuesday." in text and "nervous about the next stage" in text
    assert "Our plan for Friday." in text
    assert "The long walk." not in text and "note on the mirror" not in text  # Carol's
    assert [a["text"] for a in data["checkins.answer"]] == [
        "The tea on Tuesday.",
        "I'm nervous about the next stage.",
    ]


def test_after_leaving_the_export_no_longer_holds_the_couples_notes(client, cast):
    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.carol)
    agree(client, assignment, checkin, "Our plan for Friday.", 0)
    client.post(reverse("couple_leave", args=[cast.member(cast.carol).pk]))
    text = json.dumps(export_of(client, "bob@example.test"))
    assert "Our plan for Friday." not in text
    assert "The tea on Tuesday." in text  # still his own


def test_deleting_an_account_erases_its_check_ins(client, cast):
    from interlude.privacy.actions import client_account_delete

    assignment = for_couple(cast)
    checkin = both_ready(client, cast, assignment)
    client.force_login(cast.carol)
    agree(client, assignment, checkin, "Our plan for Friday.", 0)
    client_account_delete(user=cast.bob)
    assert not Answer.objects.filter(author=cast.bob).exists()
    assert not Preparation.objects.filter(author=cast.bob).exists()
    assert not AgreedVersion.objects.exists()
    assert Answer.objects.filter(author=cast.carol).exists()  # hers, still hers
    solo = assignment_create(
        therapist=cast.alice, version=latest_version(CHECKIN), client=cast.dave
    )
    client.force_login(cast.dave)
    post(client, solo, "ready", answer_kind_thing="A bath.")
    client_account_delete(user=cast.dave)
    assert not CheckIn.objects.filter(assignment_id=solo.pk).exists()


# --- The canary and the query budget --------------------------------------------------------------


def test_the_canary_never_leaks_from_a_check_in(client, cast, logs):
    canary = f"canary-{uuid.uuid4().hex}"
    assignment = for_couple(cast)
    responses, kept_for_them = [], []
    client.force_login(cast.alice)
    url = reverse("checkin_agenda", args=[assignment.pk])
    responses.append(client.post(url, {"sections": ["appreciation"], "question": f"{canary} q"}))
    kept_for_them.append(client.post(url, {"question": f"{canary} " + "x" * 400}))  # too long
    client.force_login(cast.bob)
    tool = reverse("tool_checkin", args=[assignment.pk])
    responses.append(
        client.post(tool, {"answer-appreciation": f"{canary} draft"}, HTTP_HX_REQUEST="true")
    )
    responses.append(client.post(tool, {"action": "check", "answer-appreciation": f"{canary} c"}))
    kept_for_them.append(client.post(tool, {"answer-appreciation": f"{canary} " + "y" * 5001}))
    ready = {"action": "ready", "share-appreciation": "share"}
    added = f"answer-q{CheckinQuestion.objects.get().pk}"  # the question Alice added
    responses.append(
        client.post(
            tool, {**ready, "answer-appreciation": f"{canary} answer", added: f"{canary} a"}
        )
    )
    responses.append(client.post(reverse("tool_checkin", args=[999999]), {"answer-x": canary}))
    client.force_login(cast.carol)
    responses.append(client.post(tool, {**ready, "answer-appreciation": f"{canary} hers"}))
    checkin = held_checkin(assignment)
    agreed = reverse("checkin_agreed", args=[assignment.pk, checkin.pk])
    responses.append(client.post(agreed, {"text": f"{canary} typing"}, HTTP_HX_REQUEST="true"))
    responses.append(client.post(agreed, {"text": f"{canary} agreed", "base": "0"}))
    kept_for_them.append(client.post(agreed, {"text": f"{canary} stale", "base": "0"}))
    responses.append(client.post(reverse("checkin_agreed", args=[999999, 1]), {"text": canary}))
    assert canary in client.get(week_url(assignment, checkin)).content.decode()  # read, as meant
    for response in kept_for_them:
        assert response.status_code == 400 and canary in response.content.decode()
    for response in responses + kept_for_them:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400 and response not in kept_for_them:
            assert canary not in response.content.decode(), response.status_code
        for found in re.findall(
            r'(?:href|action|src|hx-[a-z]+)="([^"]*)"', response.content.decode()
        ):
            assert canary not in found
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text and canary not in log_text
    assert canary not in raw_database_text()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM checkins_agreedversion")
        assert cursor.fetchone()[0] == 1


def grow(client, cast, assignment, weeks):
    """WEEKS more held check-ins (each moved back to a week of its own, so this week's is
    still to prepare), each with an agreed note of three versions."""
    for _ in range(weeks):
        checkin = both_ready(client, cast, assignment)
        earlier = week_of(cast.bob) - dt.timedelta(weeks=CheckIn.objects.count() + 1)
        CheckIn.objects.filter(pk=checkin.pk).update(week=earlier)
        client.force_login(cast.bob)
        base = 0
        for n in range(3):
            agree(client, assignment, checkin, f"version {n}", base)
            base = AgreedVersion.objects.filter(checkin=checkin).first().pk


def test_the_check_in_pages_run_constant_queries(client, cast):
    assignment = for_couple(cast)
    client.force_login(cast.alice)
    client.post(
        reverse("checkin_agenda", args=[assignment.pk]),
        {"sections": ["appreciation", "a-worry"], "question": "One more?"},
    )

    def measure():
        checkin = CheckIn.objects.filter(held_at__isnull=False).order_by("-pk").first()
        counts = {}
        for who, name, url in (
            (cast.bob, "checkin", reverse("tool_checkin", args=[assignment.pk])),
            (cast.carol, "week", week_url(assignment, checkin)),
            (cast.alice, "agenda", reverse("checkin_agenda", args=[assignment.pk])),
            (cast.alice, "client_detail", reverse("client_detail", args=[cast.bob.pk])),
        ):
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    grow(client, cast, assignment, 1)
    client.force_login(cast.bob)
    post(
        client, assignment, answer_appreciation="this week, in progress", share_appreciation="share"
    )
    small = measure()
    CheckIn.objects.filter(held_at__isnull=True).delete()
    grow(client, cast, assignment, 14)
    client.force_login(cast.bob)
    post(
        client, assignment, answer_appreciation="this week, in progress", share_appreciation="share"
    )
    assert CheckIn.objects.filter(held_at__isnull=False).count() == 15
    large = measure()
    assert large == small


def test_the_check_in_for_one_person_names_no_partner_even_in_its_exercise_text(client, cast):
    assignment = assignment_create(
        therapist=cast.alice,
        version=latest_version("weekly-check-in-with-yourself"),
        couple=cast.member(cast.gina).couple,
    )
    client.force_login(cast.gina)
    practice = client.get(reverse("practice", args=[assignment.pk]))
    assert reverse("tool_checkin", args=[assignment.pk]) in practice.content.decode()
    tool = client.get(reverse("tool_checkin", args=[assignment.pk]))
    words = [m.group(0) for r in (practice, tool) for m in PARTNER_WORDING.finditer(main(r))]
    problems = [w for w in words if w != "US"]  # the crisis lines' country, not "us"
    assert not problems, problems
