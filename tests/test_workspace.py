"""The therapist's workspace: "Since last session" told in plain sentences from the data, alerts
and flags first, the caseload's rows (one per client or couple) sorted, searched and paged in
a constant number of queries, the practice log paged with sessions among its entries, and the
print stylesheet."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interlude.consultations.actions import consultation_plan, consultation_record
from interlude.consultations.models import Consultation
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create, practice_entry_record, stage_ready
from interlude.homework.models import PracticeEntry
from interlude.journal.actions import journal_entry_create
from interlude.lib.workspace import Section
from interlude.measures.actions import measure_assign, measure_respond
from interlude.testing import make_client, make_exercise
from tests.support import count_queries
from tests.test_language import shaming_words

pytestmark = pytest.mark.django_db


def held(cast, *clients, days_ago=7, couple=None):
    return consultation_record(
        therapist=cast.alice,
        clients=list(clients),
        couple=couple,
        at=timezone.now() - timedelta(days=days_ago),
        mode=Consultation.Mode.IN_PERSON,
    )


def practised(assignment, client, days_ago, **fields):
    entry = practice_entry_record(assignment=assignment, client=client, **fields)
    PracticeEntry.objects.filter(pk=entry.pk).update(
        practised_at=timezone.now() - timedelta(days=days_ago)
    )
    return entry


def since_block(page: str) -> str:
    return page.split('id="since-heading"')[1].split("</section>")[0]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_since_last_session_says_what_happened_in_plain_words(client, cast):
    version = make_exercise(slug="gentle-touch", title="Gentle touch", suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    practised(assignment, cast.dave, 10, outcome="completed", ratings_before={"anxiety": 9})
    held(cast, cast.dave, days_ago=7)
    practised(
        assignment,
        cast.dave,
        5,
        outcome="completed",
        ratings_before={"anxiety": 6},
        ratings_after={"anxiety": 3},
        reflection="Warmer than I expected.",
        visibility="therapist",
    )
    practised(
        assignment,
        cast.dave,
        3,
        outcome="stopped",
        stopped_at_step=2,
        ratings_before={"anxiety": 7},
        reasons=["too_much"],
    )
    practised(assignment, cast.dave, 1, outcome="not_this_time", reasons=["no_privacy"])
    journal_entry_create(author=cast.dave, body="for alice", visibility="therapist")
    journal_entry_create(author=cast.dave, body="just mine", visibility="only_me")
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    block = since_block(page)
    words = text_of(block)
    assert "Since the last session" in words
    assert "Gentle touch: noted 3 times" in words
    assert "completed once" in words
    assert "stopped partway once at step 2 (“Felt like too much”)" in words
    assert "not this time once (“No privacy”)" in words
    assert "anxiety 6 before → 3 after (of 10)" in words
    # The entry before the session is not counted; the reflection and journal entry are linked.
    assert "noted 4 times" not in words
    assert "1 new reflection shared with you" in words
    shared = PracticeEntry.objects.get(client=cast.dave, visibility="therapist")
    assert f"#entry-{shared.pk}" in block and f'id="entry-{shared.pk}"' in page
    assert "1 journal entry shared with you" in words and "read it</a>" in block
    assert reverse("client_journal", args=[cast.dave.pk]) in block
    # Flags come with the stage and day they came from; no pass/fail words anywhere.
    assert "Said it felt like too much" in words
    assert not shaming_words(page.split("<main")[1])


def test_stages_opened_and_stepped_back_come_from_the_change_history(client, cast):
    stage1 = Exercise.objects.get(slug="sensate-focus-stage-1", practice__isnull=True)
    version = stage1.versions.order_by("-version").first()
    couple = cast.member(cast.bob).couple
    assignment = assignment_create(therapist=cast.alice, version=version, couple=couple)
    held(cast, cast.bob, cast.carol, couple=couple, days_ago=2)
    stage_ready(assignment=assignment, client=cast.bob)
    stage_ready(assignment=assignment, client=cast.carol)
    client.force_login(cast.alice)
    for person in (cast.bob, cast.carol):  # the couple's session is on both pages
        words = text_of(
            since_block(client.get(reverse("client_detail", args=[person.pk])).content.decode())
        )
        assert "stage 2 opened on" in words and "(they said they felt ready)" in words
        assert "nothing noted since the last session" in words


def test_a_client_with_no_session_yet_reads_since_they_began(client, cast):
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.gina.pk])).content.decode()
    assert "Since they began (no session recorded yet)" in page

    # With no session yet, an exercise with nothing noted says "yet", not "since the last
    # session"; an exercise used through its own tool (the check-in) is told by the tool alone.
    def latest(slug):
        exercise = Exercise.objects.get(slug=slug, practice__isnull=True)
        return exercise.versions.get(version=exercise.latest_version)

    from interlude.exercises.actions import library_sync

    library_sync()
    plain = assignment_create(therapist=cast.alice, version=make_exercise(), client=cast.gina)
    assignment_create(
        therapist=cast.alice, version=latest("weekly-intimacy-check-in"), client=cast.gina
    )
    page = client.get(reverse("client_detail", args=[cast.gina.pk])).content.decode()
    since = html.unescape(page.split('id="since-heading"')[1].split("</section>")[0])
    assert f"{plain.version.title}: nothing noted yet." in since
    assert "since the last session" not in since
    assert "Weekly intimacy check-in" not in since


def test_the_practice_log_is_paged_with_sessions_among_its_entries(client, cast):
    version = make_exercise(suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    for day in range(60, 0, -1):
        practised(assignment, cast.dave, day, outcome="completed")
    held(cast, cast.dave, days_ago=10.5)
    held(cast, cast.dave, days_ago=40.5)
    client.force_login(cast.alice)
    url = reverse("client_detail", args=[cast.dave.pk])
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2, 3)]
    counts = [p.split('id="timeline-heading"')[1].count('<li id="entry-') for p in pages]
    assert counts == [25, 25, 10]
    sessions = [p.split('id="timeline-heading"')[1].count("timeline__session") for p in pages]
    assert sessions == [1, 1, 0]  # each session once, on the page whose time it falls in
    assert "Older entries" in pages[0] and "Older entries" not in pages[2]
    assert "Newer entries" in pages[1]
    beyond = client.get(url, {"page": 9}).content.decode()
    assert "There is nothing on this page" in beyond
    assert client.get(url, {"page": "x"}).status_code == 200


def test_the_progress_page_charts_before_and_after_each_exercise(client, cast):
    version = make_exercise(slug="gentle-breath", title="Gentle breath", suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    for day, (before, after) in enumerate([(8, 5), (7, 4), (5, 2), (4, 2)]):
        practised(
            assignment,
            cast.dave,
            10 - day,
            outcome="completed",
            ratings_before={"anxiety": before},
            ratings_after={"anxiety": after},
        )
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert reverse("client_progress", args=[cast.dave.pk]) in page
    progress = client.get(reverse("client_progress", args=[cast.dave.pk])).content.decode()
    assert "Gentle breath: anxiety, before and after" in progress
    assert "Anxiety before practising has come down from about 8 to about 5 over 4 tries." in (
        html.unescape(progress)
    )
    assert "<table" in progress and "<svg" in progress
    client.force_login(cast.olive)
    assert client.get(reverse("client_progress", args=[cast.dave.pk])).status_code == 404


def test_the_page_prints_as_a_summary_for_the_session(client, cast):
    from pathlib import Path

    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "interlude/clinic.css" in page
    css = (Path(__file__).resolve().parents[1] / "static/interlude/clinic.css").read_text()
    printed = css.split("@media print")[1]
    for hidden in (".site-nav", ".no-print", ".timeline-section"):
        assert hidden in printed


# --- The caseload ------------------------------------------------------------------------------


def caseload_names(page: str) -> list[str]:
    rows = re.findall(r'<h2 class="caseload-row__name">(.*?)</h2>', page, re.S)
    return [text_of(r).strip() for r in rows]


def test_the_caseload_puts_alerts_first_then_flags_then_upcoming_sessions(client, cast):
    version = make_exercise(suits="solo")
    gina_work = assignment_create(therapist=cast.alice, version=version, client=cast.gina)
    practice_entry_record(
        assignment=gina_work, client=cast.gina, outcome="stopped", reasons=["too_much"]
    )
    consultation_plan(
        therapist=cast.alice,
        clients=[cast.erin, cast.frank],
        couple=cast.member(cast.erin).couple,
        at=timezone.now() + timedelta(days=2),
        mode=Consultation.Mode.ONLINE,
    )
    phq9 = measure_assign(
        therapist=cast.alice,
        client=cast.dave,
        instrument_key="phq9",
        every_weeks=None,
        share_scores=False,
    )
    measure_respond(assignment=phq9, client=cast.dave, answers=[0] * 8 + [1])
    client.force_login(cast.alice)
    page = client.get(reverse("caseload")).content.decode()
    names = caseload_names(page)
    # A couple is one row; the alert, then the flag, then the planned session, then the rest.
    assert names == ["Dave", "Gina", "Erin and Frank", "Bob and Carol"]
    assert "Needs your attention" in page
    assert "Hal is not taking part" in page
    assert "Said it felt like too much" in page
    assert "1 stopped partway" in page
    assert "1 questionnaire" in page
    assert not shaming_words(page.split("<main")[1])


def test_the_caseload_is_searched_by_name_and_paged(client, cast):
    for n in range(55):
        make_client(f"client{n:02d}@example.test", therapist=cast.alice, name=f"Robin {n:02d}")
    client.force_login(cast.alice)
    first = client.get(reverse("caseload")).content.decode()
    assert len(caseload_names(first)) == 50 and "Page 1 of 2" in first
    second = client.get(reverse("caseload"), {"page": 2}).content.decode()
    assert len(caseload_names(second)) == 59 - 50
    found = client.get(reverse("caseload"), {"q": "robin 1"}).content.decode()
    assert len(caseload_names(found)) == 10 and "Showing 10 that match “robin 1”" in html.unescape(
        found
    )
    none = client.get(reverse("caseload"), {"q": "nobody"}).content.decode()
    assert "No client's name matches" in none


def grow_practice(cast, clients: int, entries: int) -> None:
    version = make_exercise(slug=f"grow-{clients}", suits="solo")
    for n in range(clients):
        person = make_client(f"grow{clients}-{n}@example.test", therapist=cast.alice)
        assignment = assignment_create(therapist=cast.alice, version=version, client=person)
        if n % 2:
            held(cast, person, days_ago=5)
        for i in range(entries):
            practice_entry_record(
                assignment=assignment,
                client=person,
                outcome=["completed", "stopped", "not_this_time"][i % 3],
                reasons=["too_much"] if i % 4 == 0 else [],
            )
        if n % 3 == 0:
            gad7 = measure_assign(
                therapist=cast.alice,
                client=person,
                instrument_key="gad7",
                every_weeks=1,
                share_scores=False,
            )
            measure_respond(assignment=gad7, client=person, answers=[1] * 7)


def test_the_caseload_runs_constant_queries_however_many_clients(client, cast):
    client.force_login(cast.alice)
    grow_practice(cast, 3, 2)
    small = count_queries(client, reverse("caseload"))
    grow_practice(cast, 40, 6)
    large = count_queries(client, reverse("caseload"))
    assert large == small, (small, large)
    assert large <= 15


def test_count_since_counts_each_clients_rows_after_their_own_moment(cast):
    from interlude.lib.workspace import count_since

    version = make_exercise(suits="solo")
    for person in (cast.dave, cast.gina):
        assignment = assignment_create(therapist=cast.alice, version=version, client=person)
        for day, outcome in ((9, "completed"), (5, "stopped"), (1, "completed")):
            practised(assignment, person, day, outcome=outcome)
    since = {
        cast.dave.pk: timezone.now() - timedelta(days=6),
        cast.gina.pk: None,
        cast.bob.pk: None,
    }
    counts = count_since(
        PracticeEntry,
        since,
        client="client",
        at="practised_at",
        counts={"done": ('found."outcome" = %s', ["completed"])},
    )
    assert counts == {cast.dave.pk: {"rows": 2, "done": 1}, cast.gina.pk: {"rows": 3, "done": 2}}


def test_a_clients_name_is_written_safely_on_the_caseload(client, cast):
    make_client("odd@example.test", therapist=cast.alice, name='<b>Ann</b> & "Jo"')
    client.force_login(cast.alice)
    page = client.get(reverse("caseload")).content.decode()
    assert "<b>Ann</b>" not in page and "&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Jo&quot;" in page


def test_every_tool_section_keeps_the_interface():
    from interlude.clinic.sections import caseload_functions, section_functions

    assert section_functions() and caseload_functions()
    fields = Section.__dataclass_fields__
    assert {"title", "template", "context", "since", "flags", "order", "safety"} <= set(fields)


def grow_client(cast, person, *, entries: int, sessions: int, responses: int) -> None:
    """More history for one client: practice, sessions with notes, questionnaire answers,
    journal entries shared with the therapist."""
    from interlude.consultations.actions import clinical_note_save

    version = make_exercise(slug=f"grow-one-{entries}", suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=person)
    for i in range(entries):
        practice_entry_record(
            assignment=assignment,
            client=person,
            outcome=["completed", "stopped", "not_this_time"][i % 3],
            ratings_before={"anxiety": i % 10},
            ratings_after={"anxiety": (i + 3) % 10} if i % 3 == 0 else {},
            reasons=["too_much"] if i % 4 == 1 else [],
            reflection=f"reflection {i}",
            visibility="therapist",
        )
        journal_entry_create(author=person, body=f"entry {i}", visibility="therapist")
    for i in range(sessions):
        session = held(cast, person, days_ago=sessions - i)
        clinical_note_save(
            therapist=cast.alice,
            consultation=session,
            profile=person.client_profile,
            body=f"note {i}",
        )
    phq9 = measure_assign(
        therapist=cast.alice, client=person, instrument_key="phq9", every_weeks=1, share_scores=True
    )
    for i in range(responses):
        measure_respond(assignment=phq9, client=person, answers=[i % 4] * 8 + [0])


def test_the_workspace_pages_run_constant_queries(client, cast):
    from interlude.consultations.models import Consultation as Session

    def pages():
        session = Session.objects.filter(attendances__client=cast.dave).order_by("-at").first()
        phq9 = cast.dave.measure_assignments.get(instrument="phq9", status="active")
        response = cast.dave.measure_responses.order_by("-completed_at").first()
        return {
            "client_detail": (cast.alice, reverse("client_detail", args=[cast.dave.pk])),
            "client_detail_page_2": (
                cast.alice,
                reverse("client_detail", args=[cast.dave.pk]) + "?page=2",
            ),
            "client_progress": (cast.alice, reverse("client_progress", args=[cast.dave.pk])),
            "sessions": (cast.alice, reverse("sessions", args=[cast.dave.pk])),
            "session_note": (
                cast.alice,
                reverse("session_note", args=[cast.dave.pk, session.pk]),
            ),
            "measure_assign": (cast.alice, reverse("measure_assign", args=[cast.dave.pk])),
            "practice_settings": (cast.alice, reverse("practice_settings")),
            "questionnaires": (cast.dave, reverse("questionnaires")),
            "questionnaire": (cast.dave, reverse("questionnaire", args=[phq9.pk])),
            "questionnaire_done": (cast.dave, reverse("questionnaire_done", args=[response.pk])),
        }

    def measure():
        counts = {}
        for name, (who, url) in pages().items():
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    grow_client(cast, cast.dave, entries=30, sessions=2, responses=2)
    small = measure()
    grow_client(cast, cast.dave, entries=60, sessions=20, responses=20)
    large = measure()
    print("workspace queries", large)
    assert large == small
    assert large["client_detail"] <= 40, large


def test_a_reflection_in_the_log_is_escaped(client, cast):
    version = make_exercise(suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    practice_entry_record(
        assignment=assignment,
        client=cast.dave,
        outcome="completed",
        reflection='<script>alert("x")</script>\nSecond line & more',
        visibility="therapist",
    )
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line &amp; more" in page


def test_the_demo_shows_sessions_a_note_and_a_questionnaire(client, db):
    from interlude.consultations.models import ClinicalNote
    from interlude.core.demo import THERAPIST_EMAIL, load_demo
    from interlude.measures.models import MeasureResponse

    load_demo()
    load_demo()  # idempotent: nothing twice
    assert Consultation.objects.filter(status="held").count() == 3
    assert Consultation.objects.filter(status="planned").count() == 2
    assert ClinicalNote.objects.count() == 1 and MeasureResponse.objects.count() == 2
    from interlude.accounts.models import User

    client.force_login(User.objects.get(email=THERAPIST_EMAIL))
    page = client.get(reverse("caseload")).content.decode()
    assert "Jordan" in page and "Last session: none recorded yet" in page  # Casey's
    jordan = User.objects.get(email="jordan@demo.interlude.test")
    detail = client.get(reverse("client_detail", args=[jordan.pk])).content.decode()
    assert "Since the last session" in detail and "GAD-7" in detail
    # The demo's people are in the UK, and so are the urgent-help lines their pages show.
    client.force_login(jordan)
    from interlude.homework.models import Assignment

    assignment = Assignment.objects.filter(client=jordan).first()
    practice_page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert 'href="tel:116123"' in practice_page and "(US)" not in practice_page
    from interlude.practice.models import Practice

    practice = Practice.objects.get()
    assert practice.emergency_number == "999" and "116 123" in practice.crisis_line


def test_a_long_stretch_since_the_session_is_counted_whole_and_detailed_from_the_latest(
    client, cast
):
    version = make_exercise(slug="long-stretch", title="Long stretch", suits="solo")
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    held(cast, cast.dave, days_ago=30)
    for n in range(45):
        practised(
            assignment,
            cast.dave,
            29 - n * 0.5,
            outcome="stopped" if n % 3 == 0 else "completed",
            stopped_at_step=2 if n % 3 == 0 else None,
            ratings_before={"anxiety": 6},
            ratings_after={"anxiety": 4} if n % 3 else {},
        )
    client.force_login(cast.alice)
    words = text_of(
        since_block(client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode())
    )
    assert "Long stretch: noted 45 times: completed 30 times; stopped partway 15 times." in words
    assert "In the latest 40: stopped at step 2; anxiety 6 before → 4 after" in words


def test_a_tools_section_is_looked_for_only_when_its_exercise_was_given(client, cast):
    from interlude.exercises.actions import exercise_copy, library_sync
    from interlude.homework.access import tools_given_to_client

    library_sync()
    built_in = Exercise.objects.get(slug="building-your-ladder", practice__isnull=True)
    copy = exercise_copy(exercise=built_in, therapist=cast.alice, title="Our ladder")
    copy_of_copy = exercise_copy(exercise=copy, therapist=cast.alice, title="Our ladder again")
    assert tools_given_to_client(cast.alice, cast.dave) == set()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Suggest the first steps" not in page
    # A copy of a copy of the ladder exercise opens the ladder, and its section shows.
    assignment_create(
        therapist=cast.alice,
        version=copy_of_copy.versions.get(version=copy_of_copy.latest_version),
        client=cast.dave,
    )
    breathing = Exercise.objects.get(slug="paced-breathing", practice__isnull=True)
    assignment_create(
        therapist=cast.alice,
        version=breathing.versions.get(version=breathing.latest_version),
        client=cast.dave,
    )
    assert tools_given_to_client(cast.alice, cast.dave) == {"ladder", "guide"}
    assert tools_given_to_client(cast.alice, cast.bob) == set()
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Suggest the first steps" in page
