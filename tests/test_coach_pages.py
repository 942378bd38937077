"""The I-statement helper's pages: the coach's notes beside what a client drafts (marked, not by
colour alone, and explained gently), the frame built in guided parts, private autosaved drafts,
saving to the journal through the journal's own page, and the notes for any writing field."""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
from django.urls import reverse

from interlude.accounts.middleware import SEEN
from interlude.coach.models import CoachDraft
from interlude.coach.notes import SOLO_EXPLANATIONS, notes_for
from interlude.coach.page_forms import MAX_JOURNAL_ENTRY
from interlude.coach.rules import LEAD, PATTERNS
from interlude.encryption.models import DataKey
from interlude.homework.actions import assignment_create
from interlude.journal.forms import MAX_ENTRY
from interlude.journal.models import JournalEntry
from interlude.testing import PASSWORD, share_with_partner
from tests.support import count_queries, raw_database_text
from tests.talk_support import latest_version
from tests.test_language import shaming_words

pytestmark = pytest.mark.django_db

PARTNER_WORDING = re.compile(
    r"\b(partners?|together|both|each other|we|us|our|you two|shared space|relationship)\b",
    re.IGNORECASE,
)


def for_bob(cast, slug="i-statement-practice"):
    return assignment_create(therapist=cast.alice, version=latest_version(slug), client=cast.bob)


def helper(assignment):
    return reverse("tool_coach", args=[assignment.pk])


def main(response) -> str:
    text = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


# --- The notes ------------------------------------------------------------------------------------


def test_it_marks_each_flagged_part_with_a_number_as_well_as_a_colour():
    notes = notes_for("I love Sundays. But you never plan anything. You're so lazy!", solo=False)
    assert [n.title for n in notes.notes] == [PATTERNS["absolute"].title, PATTERNS["label"].title]
    assert notes.notes[0].words == ("you never",)
    marked = str(notes.marked)
    assert '<mark class="coach-mark">you never</mark>' in marked
    assert '<span class="coach-sr"> (note </span>1' in marked
    assert '<span class="coach-sr"> (note </span>2' in marked
    assert marked.startswith("I love Sundays. But ")


def test_it_escapes_what_was_written():
    notes = notes_for("<script>x</script> You never listen.", solo=False)
    assert "<script>" not in str(notes.marked) and "&lt;script&gt;" in str(notes.marked)


def test_overlapping_parts_are_marked_once_with_every_note_number():
    notes = notes_for("Why do you always sigh? You always do that.", solo=False)
    assert [n.words for n in notes.notes] == [("Why do you",), ("you always",), ("You always",)]
    marked = str(notes.marked)
    assert marked.count("<mark") == 2
    assert '<mark class="coach-mark">Why do you always</mark>' in marked
    assert '<span class="coach-sr"> (notes </span>1, 2<span class="coach-sr">)</span>' in marked


def test_it_explains_without_partner_wording_to_someone_on_their_own():
    assert set(SOLO_EXPLANATIONS) == set(PATTERNS)
    for pattern_id, text in SOLO_EXPLANATIONS.items():
        assert not PARTNER_WORDING.search(text), pattern_id
        assert not shaming_words(text), pattern_id
        assert not re.search(r"\b(wrong|fix|fail\w*|should\w*)\b", text, re.I), pattern_id
    notes = notes_for("You never listen.", solo=True)
    assert notes.notes[0].explanation == SOLO_EXPLANATIONS["absolute"]


def test_it_says_so_calmly_when_nothing_might_land_as_blame():
    assert notes_for("", solo=False).summary == ""
    calm = notes_for("I feel lonely when we eat apart, and I'd like a dinner together.", solo=False)
    assert calm.notes == () and "Nothing here" in calm.summary


# --- The helper's page ----------------------------------------------------------------------------


def test_a_client_drafts_and_reads_the_coachs_notes(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    response = client.post(
        helper(assignment), {"action": "check", "text": "You never listen to me."}
    )
    assert response.status_code == 302
    page = client.get(helper(assignment)).content.decode()
    assert html.escape(LEAD, quote=True) in page or LEAD.replace("'", "&#x27;") in page
    assert PATTERNS["absolute"].title.replace("“", "“") in html.unescape(page)
    assert "Another way to say it" in page
    assert "I feel … when I&#x27;m talking and it seems you aren&#x27;t listening" in page
    assert "wrong" not in main(client.get(helper(assignment))).lower()


def test_the_notes_follow_the_typing(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        reverse("coach_check"),
        {"coach_field": "text", "coach_id": "id_text", "text": "Why can't you ever help?"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<main" not in page
    assert PATTERNS["why_question"].title in page
    assert 'id="coach-status-id_text" hx-swap-oob="innerHTML"' in page


def test_the_frame_is_put_together_from_its_parts(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    parts = {
        "text": "You always leave the dishes.",
        "feeling": "tired",
        "situation": "the dishes wait until morning",
        "wish": "us to take turns",
    }
    response = client.post(helper(assignment), {**parts, "action": "frame"})
    assert response["Location"].endswith("#sentence")
    draft = CoachDraft.objects.get()
    assert draft.sentence == (
        "I feel tired when the dishes wait until morning, and I'd like us to take turns."
    )
    response = client.post(
        helper(assignment),
        {**parts, "feeling_own": "worn out", "action": "frame"},
        HTTP_HX_REQUEST="true",
    )
    assert "I feel worn out when the dishes wait" in response.content.decode()
    assert "Your sentence is ready below" in response.content.decode()
    assert "<main" not in response.content.decode()


def test_the_feelings_are_offered_in_their_groups(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    page = client.get(helper(assignment)).content.decode()
    assert '<optgroup label="Hurt or low">' in page and '<option value="lonely">' in page


def test_drafts_are_private_encrypted_and_autosaved(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    response = client.post(
        helper(assignment), {"text": "private draft words"}, HTTP_HX_REQUEST="true"
    )
    assert b"Kept as a draft at" in response.content
    draft = CoachDraft.objects.get()
    assert draft.encryption_owner() == (DataKey.OwnerKind.USER, cast.bob.pk)
    assert "private draft words" not in raw_database_text()
    assert "private draft words</textarea>" in client.get(helper(assignment)).content.decode()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert "private draft words" not in page
    client.post(helper(assignment), {"action": "clear"})
    client.force_login(cast.bob)
    client.post(helper(assignment), {"action": "clear"})
    assert not CoachDraft.objects.exists()


def test_a_draft_survives_a_session_timeout(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    client.get(helper(assignment))
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.post(helper(assignment), {"text": "typed as time ran out"})
    assert response["Location"].startswith(reverse("account_login"))
    assert client.login(email="bob@example.test", password=PASSWORD)
    assert "typed as time ran out" in client.get(helper(assignment)).content.decode()


def test_saving_to_the_journal_goes_through_the_journals_own_page(client, cast):
    share_with_partner(cast.bob)
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    client.post(
        helper(assignment),
        {
            "text": "You never plan.",
            "sentence": "I feel unsure when plans stay open.",
            "action": "journal",
        },
    )
    page = client.get(reverse("coach_journal", args=[assignment.pk])).content.decode()
    assert f'action="{reverse("journal")}"' in page
    # The sentence built goes to the journal; the first words stay in the helper.
    assert '"id_body">\nI feel unsure when plans stay open.</textarea>' in page
    assert "You never plan." not in page.split("<main")[1]
    assert 'value="only_me" id="id_visibility_0" required checked' in page
    assert "Me and Carol (not Alice)" in page  # Bob has a linked partner and shares
    key = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    form = {
        "body": "I feel unsure when plans stay open.",
        "visibility": "therapist",
        "submission": key,
    }
    assert client.post(reverse("journal"), form).status_code == 302
    assert client.post(reverse("journal"), form).status_code == 302  # a double submit
    entry = JournalEntry.objects.get(author=cast.bob)
    assert entry.body == "I feel unsure when plans stay open." and entry.visibility == "therapist"


def test_there_is_nothing_to_save_to_the_journal_before_a_word_is_written(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    response = client.get(reverse("coach_journal", args=[assignment.pk]))
    assert response["Location"] == helper(assignment)


def test_the_journal_limit_is_the_journals_own():
    assert MAX_JOURNAL_ENTRY == MAX_ENTRY


def test_the_helper_is_only_for_an_i_statement_exercise_of_ones_own(client, cast):
    mine = for_bob(cast)
    other = assignment_create(
        therapist=cast.alice, version=latest_version("body-scan"), client=cast.bob
    )
    client.force_login(cast.bob)
    assert client.get(helper(other)).status_code == 404
    assert client.get(helper(for_bob(cast, "preparing-a-conversation"))).status_code == 200
    client.force_login(cast.carol)
    assert client.get(helper(mine)).status_code == 404
    client.force_login(cast.alice)
    assert client.post(reverse("coach_check"), {"coach_field": "t", "t": "x"}).status_code == 404


def test_a_client_whose_partner_is_not_taking_part_meets_no_partner_wording(client, cast):
    assignment = assignment_create(
        therapist=cast.alice,
        version=latest_version("i-statement-practice"),
        couple=cast.member(cast.gina).couple,
    )
    client.force_login(cast.gina)
    words = (
        "You always cancel. You're so selfish. I feel that you don't care. Oh great, late again."
    )
    client.post(
        helper(assignment),
        {"text": words, "feeling": "hurt", "situation": "plans change", "action": "journal"},
    )
    pages = [
        client.get(helper(assignment)),
        client.get(reverse("coach_journal", args=[assignment.pk])),
        client.post(reverse("coach_check"), {"coach_field": "body", "body": words}),
        client.post(
            reverse("coach_check"),
            {"coach_field": "body", "coach_id": "id_body", "body": words},
            HTTP_HX_REQUEST="true",
        ),
    ]
    problems = []
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        text = main(response) if "<main" in text else html.unescape(re.sub(r"<[^>]+>", " ", text))
        problems += [m.group(0) for m in PARTNER_WORDING.finditer(text)]
    assert not problems, problems


# --- The helper beside any writing field (the journal, without script) ----------------------------


def test_without_script_the_words_go_back_where_they_came_from(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        reverse("coach_check"),
        {
            "coach_field": "body",
            "body": "You're so selfish.",
            "visibility": "therapist",
            "submission": "a-key",
            "coach_return": "/journal/",
            "coach_save_label": "Save entry",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'action="/journal/"' in page and ">Save entry</button>" in page
    assert '<input type="hidden" name="visibility" value="therapist">' in page
    assert '<input type="hidden" name="submission" value="a-key">' in page
    assert 'name="body" rows="8">You&#x27;re so selfish.</textarea>' in page
    assert PATTERNS["label"].title in page


def test_it_never_sends_words_to_another_site(client, cast):
    client.force_login(cast.bob)
    for back in ("https://elsewhere.example/", "//elsewhere.example/", "journal/"):
        page = client.post(
            reverse("coach_check"),
            {"coach_field": "body", "body": "Words.", "coach_return": back},
        ).content.decode()
        assert "elsewhere.example" not in page and 'action="journal/"' not in page


def test_the_helper_tag_renders_beside_a_journal_field(rf, cast):
    """How the journal includes the helper (see the report): the button checks the words on
    the helper's own page without script, and with htmx in place."""
    from django.template import engines

    from interlude.journal.forms import JournalEntryForm
    from interlude.sharing.person import Person

    request = rf.get("/journal/")
    request.user = cast.bob
    request.person = Person(cast.bob)
    form = JournalEntryForm(
        {"body": "You never call."}, allowed=["only_me"], labels={"only_me": "x"}
    )
    template = engines["django"].from_string(
        '{% load coach %}{% coach_helper form.body save_label="Save entry" %}'
    )
    rendered = template.render({"form": form}, request)
    assert f'formaction="{reverse("coach_check")}"' in rendered
    assert 'name="coach_field" value="body"' in rendered
    assert 'hx-trigger="input changed delay:800ms from:#id_body"' in rendered
    assert '<input type="hidden" name="coach_return" value="/journal/">' in rendered
    assert PATTERNS["absolute"].title in html.unescape(rendered)


def test_the_journal_offers_the_helper_on_a_new_entry_and_an_edit(client, cast):
    from interlude.journal.actions import journal_entry_create

    entry = journal_entry_create(author=cast.dave, body="You never listen.", visibility="only_me")
    client.force_login(cast.dave)
    for url, label in (
        (reverse("journal"), "Save entry"),
        (reverse("journal_entry_edit", args=[entry.pk]), "Save changes"),
    ):
        page = client.get(url).content.decode()
        assert "Check my words" in page and f'name="coach_save_label" value="{label}"' in page
        assert "interlude/coach.css" in page
    # The edit opens with notes on what is already written.
    page = client.get(reverse("journal_entry_edit", args=[entry.pk])).content.decode()
    assert PATTERNS["absolute"].title in html.unescape(page)


# --- Export and deletion, the canary, the query budget --------------------------------------------


def test_a_draft_is_in_its_authors_export_and_erased_with_their_account(client, cast):
    from interlude.privacy.actions import client_account_delete
    from interlude.privacy.export import build_export

    assignment = for_bob(cast)
    client.force_login(cast.bob)
    client.post(helper(assignment), {"text": "exported words", "wish": "a walk"})
    rows = build_export(cast.bob)["coach.coachdraft"]
    assert rows[0]["text"] == "exported words" and rows[0]["wish"] == "a walk"
    assert build_export(cast.carol)["coach.coachdraft"] == []
    client_account_delete(user=cast.bob)
    assert not CoachDraft.objects.exists()


def test_the_canary_never_leaks_from_the_helper(client, cast, logs):
    canary = f"canary-{uuid.uuid4().hex}"
    assignment = for_bob(cast)
    client.force_login(cast.bob)
    url = helper(assignment)
    responses = [
        client.post(url, {"text": f"{canary} typed"}, HTTP_HX_REQUEST="true"),
        client.post(url, {"text": f"{canary} checked", "action": "check"}),
        client.post(
            url,
            {
                "text": f"{canary} t",
                "feeling_own": f"{canary}"[:80],
                "situation": f"{canary} s",
                "wish": f"{canary} w",
                "action": "frame",
            },
        ),
        client.post(url, {"text": canary, "sentence": f"{canary} sentence", "action": "journal"}),
        client.get(reverse("coach_journal", args=[assignment.pk])),
        client.post(reverse("coach_check"), {"coach_field": "body", "body": f"{canary} j"}),
        client.post(
            reverse("coach_check"),
            {"coach_field": "body", "coach_id": "id_body", "body": canary},
            HTTP_HX_REQUEST="true",
        ),
        client.post(reverse("tool_coach", args=[999999]), {"text": canary}),
        client.post(reverse("coach_check"), {"coach_field": "no such field!", "x": canary}),
    ]
    kept = client.post(url, {"text": canary, "situation": "z" * 301})
    assert kept.status_code == 400 and canary in kept.content.decode()
    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400:
            assert canary not in response.content.decode(), response.status_code
        for found in re.findall(
            r'(?:href|action|src|hx-[a-z]+)="([^"]*)"', response.content.decode()
        ):
            assert canary not in found
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text and canary not in log_text
    assert canary not in raw_database_text()


def test_the_helpers_pages_run_constant_queries(client, cast):
    assignment = for_bob(cast)
    client.force_login(cast.bob)

    def measure():
        return {
            "coach": count_queries(client, helper(assignment)),
            "coach_journal": count_queries(client, reverse("coach_journal", args=[assignment.pk])),
        }

    client.post(helper(assignment), {"text": "You never plan.", "sentence": "I feel unsure."})
    small = measure()
    for _ in range(12):  # other drafts, for other assignments
        other = for_bob(cast)
        client.post(helper(other), {"text": "You always forget. " * 20, "sentence": "x"})
    client.post(helper(assignment), {"text": "You never plan. " * 40, "sentence": "I feel unsure."})
    assert measure() == small
