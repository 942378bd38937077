"""GAD-7 and PHQ-9: their words as published, scores and bands, a calm form that loses nothing,
answers no raw column reveals, scores for the client only when the therapist shares them, and
the safety response to PHQ-9's ninth item: a kind page at once, an alert the therapist
acknowledges, a neutral e-mail."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from interlude.audit.models import AuditEvent
from interlude.measures.actions import measure_assign, measure_respond
from interlude.measures.instruments import CONTENT, GAD7, PHQ9, instrument, source
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert
from interlude.privacy.export import build_export
from tests.test_language import shaming_words

pytestmark = pytest.mark.django_db

GAD7_ITEMS = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
]
PHQ9_NINTH = "Thoughts that you would be better off dead or of hurting yourself in some way"


def offer(cast, kind=PHQ9, *, client=None, every=None, share=False):
    return measure_assign(
        therapist=cast.alice,
        client=client or cast.dave,
        instrument_key=kind,
        every_weeks=every,
        share_scores=share,
    )


def answers_form(items, values, difficulty=None):
    data = {f"item_{n}": str(v) for n, v in enumerate(values, start=1)}
    if difficulty is not None:
        data["difficulty"] = str(difficulty)
    return {"submission": str(uuid4()), **data}


def test_the_items_are_word_for_word_with_their_source(client, cast):
    assert list(instrument(GAD7).items) == GAD7_ITEMS
    assert instrument(PHQ9).items[8] == PHQ9_NINTH and len(instrument(PHQ9).items) == 9
    assert source().startswith("Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt")
    assignment = offer(cast, GAD7)
    client.force_login(cast.dave)
    page = client.get(reverse("questionnaire", args=[assignment.pk])).content.decode()
    assert "Over the last 2 weeks, how often have you been bothered" in page
    # One fieldset per question, with its four answers in words.
    assert page.count("<fieldset") == 8  # seven questions and the optional one
    for item in GAD7_ITEMS:
        assert item in page
    for word in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        assert page.count(f"<span>{word}</span>") == 7
    assert "No permission required to reproduce, translate, display or distribute." in page


def test_only_the_published_wording_holds_words_we_never_write_ourselves():
    """PHQ-9's sixth item says "failure", word for word as published: the one exception, kept
    in a data file the language test does not read, and nowhere in our own words."""
    data = json.loads(CONTENT.read_text())
    found = []
    for kind in data["instruments"].values():
        for text in [kind["question"], *kind["items"], kind["difficulty"]]:
            found += [(text, problem) for problem in shaming_words(text)]
    assert [text for text, _ in found] == [instrument(PHQ9).items[5]]


@pytest.mark.parametrize(
    "kind,total,band",
    [
        (GAD7, 0, "minimal"),
        (GAD7, 4, "minimal"),
        (GAD7, 5, "mild"),
        (GAD7, 9, "mild"),
        (GAD7, 10, "moderate"),
        (GAD7, 14, "moderate"),
        (GAD7, 15, "severe"),
        (GAD7, 21, "severe"),
        (PHQ9, 4, "minimal"),
        (PHQ9, 5, "mild"),
        (PHQ9, 10, "moderate"),
        (PHQ9, 15, "moderately severe"),
        (PHQ9, 19, "moderately severe"),
        (PHQ9, 20, "severe"),
        (PHQ9, 27, "severe"),
    ],
)
def test_totals_fall_in_their_published_bands(kind, total, band):
    assert instrument(kind).band(total) == band


def test_scoring_refuses_answers_that_do_not_fit():
    with pytest.raises(ValueError):
        instrument(GAD7).score([1, 2, 3])
    with pytest.raises(ValueError):
        instrument(GAD7).score([4, 0, 0, 0, 0, 0, 0])
    assert instrument(PHQ9).score([3] * 9) == 27


def test_a_form_sent_with_gaps_comes_back_with_what_was_chosen(client, cast):
    assignment = offer(cast, GAD7)
    client.force_login(cast.dave)
    data = answers_form(GAD7_ITEMS, [2, 1, 3])
    response = client.post(reverse("questionnaire", args=[assignment.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose the answer that fits best." in page
    assert re.search(r'name="item_3" value="3"[^>]*checked', page)
    assert not MeasureResponse.objects.exists()


def test_answers_are_stored_once_and_no_raw_column_reveals_them(client, cast):
    assignment = offer(cast, PHQ9, every=2)
    client.force_login(cast.dave)
    values = [3, 2, 0, 1, 3, 2, 1, 0, 0]
    data = answers_form(instrument(PHQ9).items, values, difficulty=2)
    first = client.post(reverse("questionnaire", args=[assignment.pk]), data)
    again = client.post(reverse("questionnaire", args=[assignment.pk]), data)  # a double submit
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    response = MeasureResponse.objects.get()
    assert response.answers == values and response.total == 12 and response.difficulty == 2
    columns = {f.column for f in MeasureResponse._meta.concrete_fields}
    assert not columns & {"total", "score", "answers", "band"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM measures_measureresponse")
        raw = str(cursor.fetchall())
    assert "[3, 2, 0" not in raw and "3,2,0" not in raw and '"total"' not in raw
    assert not SafetyAlert.objects.exists()  # the ninth answer was 0


def test_a_questionnaire_offered_once_closes_and_a_weekly_one_opens_again(client, cast):
    once = offer(cast, GAD7)
    measure_respond(assignment=once, client=cast.dave, answers=[0] * 7)
    once.refresh_from_db()
    assert once.status == MeasureAssignment.Status.ENDED
    client.force_login(cast.dave)
    page = client.get(reverse("questionnaire", args=[once.pk])).content.decode()
    assert "not open at the moment" in page
    weekly = offer(cast, PHQ9, every=1)
    answered = measure_respond(assignment=weekly, client=cast.dave, answers=[0] * 9)
    page = client.get(reverse("questionnaires")).content.decode()
    assert "It opens again on" in page
    MeasureResponse.objects.filter(pk=answered.pk).update(
        completed_at=timezone.now() - timedelta(days=6, hours=1)
    )
    assert "Answer the PHQ-9" in client.get(reverse("questionnaires")).content.decode()


def test_scores_reach_the_client_only_when_the_therapist_shares_them(client, cast):
    private = offer(cast, GAD7)
    shown = offer(cast, PHQ9, share=True)
    quiet = measure_respond(assignment=private, client=cast.dave, answers=[2] * 7)
    told = measure_respond(assignment=shown, client=cast.dave, answers=[1] * 9)
    client.force_login(cast.dave)
    page = client.get(reverse("questionnaire_done", args=[quiet.pk])).content.decode()
    assert "add up to" not in page and "14" not in page
    page = client.get(reverse("questionnaire_done", args=[told.pk])).content.decode()
    assert "Your answers add up to 9 of a possible 27" in page
    assert "usually called “mild”" in page
    assert not shaming_words(page.split("<main")[1])


def test_the_ninth_answer_shows_help_at_once_and_alerts_the_therapist(
    client, cast, django_capture_on_commit_callbacks
):
    practice = cast.alice.membership.practice
    practice.crisis_line = "call 116 123"
    practice.emergency_number = "112"
    practice.save()
    assignment = offer(cast, PHQ9, client=cast.gina)
    client.force_login(cast.gina)
    data = answers_form(instrument(PHQ9).items, [0, 1, 0, 0, 0, 0, 0, 0, 2])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questionnaire", args=[assignment.pk]), data)
    page = client.get(response["Location"]).content.decode()
    assert "If you are thinking about hurting yourself" in page
    assert "call 116 123" in page and 'href="tel:112"' in page
    assert "(US)" not in page.split("<main")[1].split("domestic-abuse")[0]
    # Gina's partner is not taking part: no partner wording on any page she reaches here.
    for url in (reverse("questionnaires"), response["Location"]):
        main = client.get(url).content.decode().split("<main")[1]
        for words in ("your partner", "together", "both", "each other"):
            assert words not in main.lower(), (url, words)
    alert = SafetyAlert.objects.get()
    assert alert.client == cast.gina and alert.therapist == cast.alice
    [message] = mail.outbox
    assert message.to == ["alice@example.test"]
    assert message.subject == "Something in Interlude needs your attention"
    body = message.message().as_string().lower()
    for word in ("phq", "gina", "questionnaire", "answer", "dead", "harm", "depress", "mood"):
        assert word not in body
    assert "/clients/" in body
    # The therapist sees it first on the caseload and at the top of the client's page.
    client.force_login(cast.alice)
    caseload = client.get(reverse("caseload")).content.decode()
    first_row = caseload.split('class="card caseload-row')[1]
    assert "Gina" in first_row and "Needs your attention" in first_row
    page = client.get(reverse("client_detail", args=[cast.gina.pk])).content.decode()
    assert page.index("Needs your attention") < page.index('id="since-heading"')
    assert "with “More than half the days”" in page
    # Only she may acknowledge it; it is audited, and stays in the record.
    acknowledge = reverse("safety_alert_acknowledge", args=[alert.pk])
    client.force_login(cast.olive)
    assert client.post(acknowledge).status_code == 404
    client.force_login(cast.alice)
    assert client.post(acknowledge, {"next": "https://elsewhere.example/"})["Location"] == (
        reverse("client_detail", args=[cast.gina.pk])
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.alice and alert.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="safety_alert.acknowledge", subject=cast.gina).exists()
    assert "Needs your attention" not in client.get(reverse("caseload")).content.decode()
    assert SafetyAlert.objects.filter(pk=alert.pk).exists()


def test_the_therapist_sees_scores_bands_change_and_a_chart(client, cast):
    assignment = offer(cast, GAD7, every=2)
    earlier = measure_respond(assignment=assignment, client=cast.dave, answers=[1] * 7)
    MeasureResponse.objects.filter(pk=earlier.pk).update(
        completed_at=timezone.now() - timedelta(days=20)
    )
    measure_respond(assignment=assignment, client=cast.dave, answers=[2] * 7)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Latest: <strong>14</strong> of 21 (moderate)" in page
    assert "up 7 from 7 (mild)" in page
    since = page.split('id="since-heading"')[1].split("</section>")[0]
    assert "GAD-7 on" in since  # both count: no session recorded yet
    # The chart, with its bands, a one-line summary and the numbers, on the progress page.
    progress = client.get(reverse("client_progress", args=[cast.dave.pk])).content.decode()
    assert 'class="chart"' in progress and "GAD-7 totals" in progress
    assert "minimal" in progress and "severe" in progress
    assert "The GAD-7 total has gone up from about 7 to about 14 over 2 questionnaires." in progress
    assert "14 (moderate)" in progress  # the table names each value's band


def test_the_therapist_offers_and_ends_a_questionnaire(client, cast):
    client.force_login(cast.alice)
    response = client.post(
        reverse("measure_assign", args=[cast.dave.pk]),
        {"instrument": "gad7", "how_often": "3", "share_scores": "on"},
    )
    assert response.status_code == 302
    assignment = MeasureAssignment.objects.get()
    assert assignment.every_weeks == 3 and assignment.share_scores
    bad = client.post(reverse("measure_assign", args=[cast.dave.pk]), {"how_often": "9"})
    assert bad.status_code == 400 and "Please choose a questionnaire." in bad.content.decode()
    client.post(reverse("measure_end", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == MeasureAssignment.Status.ENDED
    client.force_login(cast.mallory)
    assert client.get(reverse("measure_assign", args=[cast.dave.pk])).status_code == 404


def test_a_client_reaches_only_their_own_questionnaires(client, cast):
    assignment = offer(cast, PHQ9, client=cast.bob)
    response = measure_respond(assignment=assignment, client=cast.bob, answers=[0] * 9)
    for person in (cast.carol, cast.dave, cast.alice, cast.pam):
        client.force_login(person)
        assert client.get(reverse("questionnaire", args=[assignment.pk])).status_code == 404
        assert client.get(reverse("questionnaire_done", args=[response.pk])).status_code == 404
    client.force_login(cast.carol)
    assert "PHQ-9" not in client.get(reverse("questionnaires")).content.decode().split("<main")[1]


def test_answers_are_in_the_clients_export_and_go_when_they_leave(cast):
    from interlude.privacy.actions import client_account_delete

    assignment = offer(cast, PHQ9)
    measure_respond(assignment=assignment, client=cast.dave, answers=[0] * 8 + [1])
    exported = build_export(cast.dave)
    assert exported["measures.measureresponse"][0]["answers"] == [0] * 8 + [1]
    assert exported["measures.safetyalert"]
    client_account_delete(user=cast.dave)
    assert not MeasureResponse.objects.exists() and not SafetyAlert.objects.exists()


def test_the_same_offer_sent_twice_offers_it_once(client, cast):
    client.force_login(cast.alice)
    form = {
        "instrument": "phq9",
        "how_often": "once",
        "submission": "2c9d1f4a-3b5e-4f6a-8c7d-9e0f1a2b3c44",
    }
    for _ in range(2):
        client.post(reverse("measure_assign", args=[cast.dave.pk]), form)
    assert MeasureAssignment.objects.count() == 1


def test_a_client_finds_a_questionnaire_from_their_home_page(client, cast):
    client.force_login(cast.dave)
    assert "Questionnaires" not in client.get(reverse("home")).content.decode().split("<main")[1]
    assignment = offer(cast, GAD7)
    page = client.get(reverse("home")).content.decode().split("<main")[1]
    assert reverse("questionnaire", args=[assignment.pk]) in page
    assert "Answer the GAD-7" in page and reverse("questionnaires") in page
    # Someone else's questionnaire is never on another client's home.
    client.force_login(cast.bob)
    page = client.get(reverse("home")).content.decode().split("<main")[1]
    assert "GAD-7" not in page and reverse("questionnaire", args=[assignment.pk]) not in page
    # Once answered (offered once), the home keeps only the way to the answered list.
    measure_respond(assignment=assignment, client=cast.dave, answers=[0] * 7)
    client.force_login(cast.dave)
    page = client.get(reverse("home")).content.decode().split("<main")[1]
    assert "Answer the GAD-7" not in page and reverse("questionnaires") in page
