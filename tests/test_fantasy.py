"""The fantasy journal and the new-sensations log: private by default, shared entry by entry
(bound to the current link), encrypted, one entry per submission, drafts kept, the private
summary of what felt good, the therapist's and the partner's views, no couple wording for a
client practising alone, a canary that reaches no log, URL or raw column, and constant
queries."""

import html
import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from interlude.consents.actions import consent_withdraw
from interlude.consents.models import Consent
from interlude.exercises.models import Exercise
from interlude.fantasy.actions import (
    fantasy_draft_of,
    fantasy_entry_create,
    sensation_entry_create,
)
from interlude.fantasy.content import prompts
from interlude.fantasy.models import FantasyDraft, FantasyEntry, SensationEntry
from interlude.homework.actions import assignment_create, assignment_set_status
from interlude.testing import share_with_partner
from tests.support import count_queries, raw_database_text

pytestmark = pytest.mark.django_db

VISIBILITIES = ("only_me", "therapist", "partner", "both")


def assign(cast, slug, **who):
    exercise = Exercise.objects.get(practice=None, slug=slug)
    version = exercise.versions.get(version=exercise.latest_version)
    return assignment_create(therapist=cast.alice, version=version, **who)


def tried(author, what, **extra):
    values = {"kind": "texture", "feeling": "pleasant", "visibility": "only_me", **extra}
    return sensation_entry_create(author=author, description=what, **values)


def sensation_form(**extra):
    return {
        "kind": "temperature",
        "description": "A cooled metal spoon on my wrist",
        "feeling": "mixed",
        "intensity": "6",
        "again": "maybe",
        "notes": "Surprising at first.",
        "visibility": "only_me",
        **extra,
    }


def test_the_journal_says_writing_creates_no_obligation_and_is_honest_about_devices(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    client.force_login(cast.dave)
    page = html.unescape(client.get(reverse("tool_fantasy", args=[journal.pk])).content.decode())
    assert prompts().no_obligation in page
    assert "Lock the screen" in page and "sign out" in page and "Exit this page" in page
    assert "seen by <strong>you only</strong>" in page
    # A prompt, if asked for; another one; or none.
    slug = prompts().prompts[3].slug
    page = client.get(reverse("tool_fantasy", args=[journal.pk]) + f"?prompt={slug}").content
    assert prompts().prompts[3].text.encode() in html.unescape(page.decode()).encode()
    assert f"?prompt={prompts().prompts[4].slug}".encode() in page


def test_a_double_submit_stores_one_entry(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    log = assign(cast, "sensation-log", client=cast.dave)
    client.force_login(cast.dave)
    key = str(uuid.uuid4())
    data = {"body": "By the sea.", "visibility": "only_me", "submission": key}
    for _ in range(2):
        response = client.post(reverse("tool_fantasy", args=[journal.pk]), data)
        assert response.status_code == 302
    assert FantasyEntry.objects.filter(author=cast.dave).count() == 1
    data = sensation_form(submission=str(uuid.uuid4()))
    for _ in range(2):
        client.post(reverse("tool_sensations", args=[log.pk]), data)
    assert SensationEntry.objects.filter(author=cast.dave).count() == 1


def test_a_form_with_a_problem_keeps_what_was_typed(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    log = assign(cast, "sensation-log", client=cast.dave)
    client.force_login(cast.dave)
    response = client.post(
        reverse("tool_fantasy", args=[journal.pk]), {"body": "Kept words", "visibility": "x"}
    )
    assert response.status_code == 400 and b"Kept words" in response.content
    response = client.post(
        reverse("tool_sensations", args=[log.pk]), sensation_form(feeling="", intensity="11")
    )
    page = response.content.decode()
    assert response.status_code == 400 and "A cooled metal spoon on my wrist" in page
    assert "Please choose how it felt" in page and "from 0 to 10" in page


def test_drafts_are_kept_encrypted_and_offered_back(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    log = assign(cast, "sensation-log", client=cast.dave)
    client.force_login(cast.dave)
    client.post(
        reverse("fantasy_draft", args=[journal.pk]),
        {"body": "half a secret thought", "prompt": "slowness"},
        HTTP_HX_REQUEST="true",
    )
    client.post(
        reverse("sensation_draft", args=[log.pk]),
        {"description": "a half-noted feather", "kind": "texture"},
        HTTP_HX_REQUEST="true",
    )
    assert "half a secret thought" not in raw_database_text()
    assert "a half-noted feather" not in raw_database_text()
    page = client.get(reverse("tool_fantasy", args=[journal.pk])).content.decode()
    assert "half a secret thought" in page and "it was kept for you" in page
    assert "Write a fantasy in which everything takes twice as long" in html.unescape(page)
    assert (
        "a half-noted feather"
        in client.get(reverse("tool_sensations", args=[log.pk])).content.decode()
    )
    # Saving the entry clears the draft; too long is refused, and says so.
    client.post(
        reverse("tool_fantasy", args=[journal.pk]), {"body": "whole", "visibility": "only_me"}
    )
    assert fantasy_draft_of(cast.dave, FantasyDraft.Tool.FANTASY) == {}
    too_long = client.post(
        reverse("fantasy_draft", args=[journal.pk]), {"body": "x" * 60_000}, HTTP_HX_REQUEST="true"
    )
    assert b"not kept" in too_long.content


def test_edit_and_delete_own_entries(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    entry = fantasy_entry_create(
        author=cast.dave, body="first", visibility="only_me", assignment=journal
    )
    client.force_login(cast.dave)
    response = client.post(
        reverse("fantasy_entry_edit", args=[entry.pk]),
        {"body": "second", "visibility": "therapist"},
    )
    assert response["Location"] == reverse("tool_fantasy", args=[journal.pk])
    entry.refresh_from_db()
    assert entry.body == "second" and entry.visibility == "therapist" and entry.was_edited
    log_entry = tried(cast.dave, "a feather")
    client.post(reverse("sensation_entry_edit", args=[log_entry.pk]), sensation_form())
    log_entry.refresh_from_db()
    assert log_entry.kind == "temperature" and log_entry.intensity == 6
    client.post(reverse("fantasy_entry_delete", args=[entry.pk]))
    client.post(reverse("sensation_entry_delete", args=[log_entry.pk]))
    assert not FantasyEntry.objects.exists() and not SensationEntry.objects.exists()


def test_a_set_aside_exercise_still_opens_the_journal(client, cast):
    journal = assign(cast, "solo-fantasy-journal", client=cast.dave)
    fantasy_entry_create(author=cast.dave, body="kept safe", visibility="only_me")
    assignment_set_status(assignment=journal, by=cast.alice, status="discarded", reason="Done.")
    client.force_login(cast.dave)
    assert b"kept safe" in client.get(reverse("tool_fantasy", args=[journal.pk])).content


def share(cast):
    share_with_partner(cast.bob)
    for v in VISIBILITIES:
        fantasy_entry_create(author=cast.bob, body=f"bob-fantasy-{v}", visibility=v)
        tried(cast.bob, f"bob-tried-{v}", visibility=v)


def test_the_therapist_sees_only_what_was_shared_with_them(client, cast):
    share(cast)
    client.force_login(cast.alice)
    page = client.get(reverse("client_fantasy", args=[cast.bob.pk])).content.decode()
    for what in ("fantasy", "tried"):
        assert f"bob-{what}-therapist" in page and f"bob-{what}-both" in page
        assert f"bob-{what}-only_me" not in page and f"bob-{what}-partner" not in page
    detail = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert "2 fantasy-journal entries shared with you." in detail
    assert "2 new-sensations log entries shared with you." in detail
    assert "bob-fantasy-therapist" not in detail  # counted there, read on its own page
    client.force_login(cast.olive)
    assert client.get(reverse("client_fantasy", args=[cast.bob.pk])).status_code == 404


def test_the_workspace_counts_what_was_shared_since_the_last_session(cast):
    from datetime import timedelta

    from django.utils import timezone

    from interlude.fantasy.workspace import section

    share(cast)
    assert section(cast.alice, cast.dave, None) is None
    later = section(cast.alice, cast.bob, timezone.now() - timedelta(days=1))
    assert later.since[0].startswith("2 new fantasy-journal entries shared with you since ")
    assert section(cast.alice, cast.bob, timezone.now() + timedelta(days=1)) is None


def test_the_partner_sees_only_what_was_shared_with_them_while_the_link_stands(client, cast):
    share(cast)
    client.force_login(cast.carol)
    page = client.get(reverse("fantasy_shared")).content.decode()
    for what in ("fantasy", "tried"):
        assert f"bob-{what}-partner" in page and f"bob-{what}-both" in page
        assert f"bob-{what}-only_me" not in page and f"bob-{what}-therapist" not in page
    consent_withdraw(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING)
    page = client.get(reverse("fantasy_shared")).content.decode()
    assert "bob-fantasy" not in page and "bob-tried" not in page
    # Bob's own page says truthfully that the sharing ended.
    client.force_login(cast.bob)
    journal = assign(cast, "solo-fantasy-journal", client=cast.bob)
    page = client.get(reverse("tool_fantasy", args=[journal.pk])).content.decode()
    assert "It was shared with a partner until" in page


def test_a_partner_who_leaves_loses_access(client, cast):
    share(cast)
    client.force_login(cast.bob)
    client.post(reverse("couple_leave", args=[cast.member(cast.bob).pk]))
    client.force_login(cast.carol)
    page = client.get(reverse("fantasy_shared")).content.decode()
    assert "bob-fantasy" not in page and "bob-tried" not in page


def test_the_summary_gathers_what_felt_good_by_kind(client, cast):
    log = assign(cast, "sensation-log", client=cast.dave)
    tried(cast.dave, "silk scarf", again="yes")
    tried(cast.dave, "warm oil", kind="temperature", feeling="mixed", again="maybe")
    tried(cast.dave, "ice cube", kind="temperature", feeling="unpleasant", again="no")
    tried(cast.dave, "feather", feeling="pleasant", again="no")
    client.force_login(cast.dave)
    page = client.get(reverse("tool_sensations", args=[log.pk])).content.decode()
    summary = page.split('id="good-heading"')[1].split("</section>")[0]
    assert "silk scarf" in summary and "warm oil" in summary
    assert "ice cube" not in summary and "feather" not in summary
    assert summary.index("Texture") < summary.index("Temperature")
    assert "Only you see this summary" in summary
    assert "0 = barely noticeable" in page and "10 = very strong" in page


def test_each_kinds_hint_and_safety_lines_are_on_the_form(client, cast):
    log = assign(cast, "sensation-log", client=cast.dave)
    client.force_login(cast.dave)
    page = html.unescape(client.get(reverse("tool_sensations", args=[log.pk])).content.decode())
    assert "Test anything warm or cool on the inside of your wrist first" in page
    assert "Oil-based products, such as massage oil" in page
    assert "Stop straight away if anything stings" in page


def test_a_client_practising_alone_meets_no_couple_wording(client, cast):
    couple = cast.member(cast.gina).couple
    journal = assign(cast, "solo-fantasy-journal", couple=couple)
    log = assign(cast, "sensation-log", couple=couple)
    entry = fantasy_entry_create(author=cast.gina, body="mine", visibility="only_me")
    noted = tried(cast.gina, "velvet")
    client.force_login(cast.gina)
    joint = re.compile(r"\b(both|together|each other|your partner|partner)\b", re.I)
    problems = []
    for url in (
        reverse("tool_fantasy", args=[journal.pk]),
        reverse("tool_sensations", args=[log.pk]),
        reverse("fantasy_entry_edit", args=[entry.pk]),
        reverse("sensation_entry_edit", args=[noted.pk]),
        reverse("fantasy_shared"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        main = html.unescape(response.content.decode().split("<main")[1].split("</main>")[0])
        problems += [f"{url}: {m.group(0)}" for m in joint.finditer(re.sub(r"<[^>]+>", " ", main))]
    assert not problems, problems


def test_the_canary_never_leaks(client, cast, logs, django_capture_on_commit_callbacks):
    canary = f"canary-{uuid.uuid4().hex}"
    share_with_partner(cast.bob)
    journal = assign(cast, "solo-fantasy-journal", client=cast.bob)
    log = assign(cast, "sensation-log", client=cast.bob)
    client.force_login(cast.bob)
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for v in VISIBILITIES:
            responses.append(
                client.post(
                    reverse("tool_fantasy", args=[journal.pk]),
                    {"body": f"{canary} {v} ünïcode", "visibility": v, "prompt": "slowness"},
                )
            )
            responses.append(
                client.post(
                    reverse("tool_sensations", args=[log.pk]),
                    sensation_form(
                        description=f"{canary} {v}", notes=f"{canary} notes", visibility=v
                    ),
                )
            )
        responses.append(client.post(reverse("fantasy_draft", args=[journal.pk]), {"body": canary}))
        responses.append(
            client.post(reverse("sensation_draft", args=[log.pk]), {"description": canary})
        )
        entry = FantasyEntry.objects.filter(author=cast.bob).first()
        noted = SensationEntry.objects.filter(author=cast.bob).first()
        responses.append(
            client.post(
                reverse("fantasy_entry_edit", args=[entry.pk]),
                {"body": f"{canary} edited", "visibility": "therapist"},
            )
        )
        responses.append(
            client.post(
                reverse("sensation_entry_edit", args=[noted.pk]),
                sensation_form(description=f"{canary} edited", visibility="therapist"),
            )
        )
        error = client.post(
            reverse("tool_fantasy", args=[journal.pk]), {"body": canary, "visibility": "nope"}
        )
        assert error.status_code == 400 and canary in error.content.decode()
        responses.append(
            client.post(reverse("tool_sensations", args=[log.pk]), {"description": canary})
        )
        responses.append(
            client.post(reverse("fantasy_entry_edit", args=[999999]), {"body": canary})
        )
        responses.append(client.put(reverse("fantasy_entry_delete", args=[entry.pk]), canary))
        # The people it was shared with read it.
        client.force_login(cast.carol)
        assert canary in client.get(reverse("fantasy_shared")).content.decode()
        client.force_login(cast.alice)
        assert canary in client.get(reverse("client_fantasy", args=[cast.bob.pk])).content.decode()
        client.get(reverse("client_detail", args=[cast.bob.pk]))
    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400 and response.status_code != 400:
            assert canary not in response.content.decode(), response.status_code
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert canary not in url
    for message in mail.outbox:
        assert canary not in message.message().as_string()
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text and canary not in log_text
    assert canary not in raw_database_text() and "ünïcode" not in raw_database_text()


def test_fantasy_pages_run_constant_queries(client, cast):
    share_with_partner(cast.bob)
    journal = assign(cast, "solo-fantasy-journal", client=cast.bob)
    log = assign(cast, "sensation-log", client=cast.bob)
    first = fantasy_entry_create(
        author=cast.bob, body="first", visibility="both", prompt="slowness"
    )
    noted = tried(cast.bob, "first", visibility="both", again="yes")
    pages = {
        "journal": (cast.bob, reverse("tool_fantasy", args=[journal.pk])),
        "log": (cast.bob, reverse("tool_sensations", args=[log.pk])),
        "edit": (cast.bob, reverse("fantasy_entry_edit", args=[first.pk])),
        "edit_log": (cast.bob, reverse("sensation_entry_edit", args=[noted.pk])),
        "shared": (cast.carol, reverse("fantasy_shared")),
        "therapist": (cast.alice, reverse("client_fantasy", args=[cast.bob.pk])),
        "client": (cast.alice, reverse("client_detail", args=[cast.bob.pk])),
    }

    def measure():
        counts = {}
        for name, (who, url) in pages.items():
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    small = measure()
    for i in range(40):
        v = VISIBILITIES[i % 4]
        fantasy_entry_create(author=cast.bob, body=f"f{i}", visibility=v, prompt="anticipation")
        tried(cast.bob, f"t{i}", visibility=v, kind=["toy", "pressure"][i % 2], again="maybe")
    large = measure()
    assert large == small, (small, large)


def test_writing_survives_a_session_timeout(client, cast):
    import time

    from interlude.accounts.middleware import SEEN
    from interlude.testing import PASSWORD

    journal = assign(cast, "solo-fantasy-journal", client=cast.bob)
    log = assign(cast, "sensation-log", client=cast.bob)
    for url, data, text in (
        (
            reverse("tool_fantasy", args=[journal.pk]),
            {"body": "as time ran out"},
            "as time ran out",
        ),
        (
            reverse("tool_sensations", args=[log.pk]),
            sensation_form(description="noted as time ran out"),
            "noted as time ran out",
        ),
    ):
        client.force_login(cast.bob)
        client.get(url)
        session = client.session
        session[SEEN] = int(time.time()) - 31 * 60
        session.save()
        response = client.post(url, data)
        assert response["Location"].startswith(reverse("account_login"))
        assert client.login(email="bob@example.test", password=PASSWORD)
        assert text in client.get(url).content.decode()


def test_the_shared_with_you_page_points_to_what_a_partner_shares_in_the_tools(client, cast):
    share_with_partner(cast.bob)
    fantasy_entry_create(author=cast.bob, body="only mine", visibility="only_me")
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert reverse("fantasy_shared") not in page and "Nothing shared with you right now" in page
    fantasy_entry_create(author=cast.bob, body="for carol", visibility="partner")
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert reverse("fantasy_shared") in page and "Nothing shared with you right now" not in page
    # Dave, with no linked partner, is pointed nowhere.
    client.force_login(cast.dave)
    assert (
        reverse("fantasy_shared") not in client.get(reverse("shared_by_partner")).content.decode()
    )
