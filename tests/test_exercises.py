"""The exercise library: loading the content files, versions, copies, pages and access."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.exercises import content
from interlude.exercises.access import latest_version, library_for
from interlude.exercises.actions import (
    ExerciseError,
    exercise_copy,
    exercise_update,
    exercise_write,
    library_sync,
)
from interlude.exercises.content import (
    CONTENT_DIR,
    ContentError,
    LibraryVersionError,
    load_library,
    parse_file,
    sync_library,
)
from interlude.exercises.models import RATINGS, Exercise, ExerciseVersion, Family

pytestmark = pytest.mark.django_db

CONTENT_FILES = sorted(CONTENT_DIR.rglob("*.md"))
REQUIRED_TEXT = (
    "title",
    "summary",
    "what_it_is",
    "before_you_start",
    "if_you_want_to_stop",
    "afterwards",
    "why_it_helps",
    "safety_notes",
)


def builtin(slug: str = "body-scan") -> Exercise:
    return Exercise.objects.get(practice=None, slug=slug)


def snapshot(version: ExerciseVersion) -> dict[str, object]:
    version.refresh_from_db()
    return {name: getattr(version, name) for name in content.VERSION_FIELDS}


def form_data(**overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Noticing warmth",
        "summary": "A few minutes of noticing warmth in your hands.",
        "family": "mindfulness",
        "suits": "solo",
        "intensity": "gentle",
        "duration_minutes": "10",
        "what_it_is": "A short practice of noticing.\n\n- warmth\n- weight",
        "before_you_start": "Find a quiet place.",
        "steps": "1. Sit comfortably.\n2. Rest your hands on your lap.\n\n3. Notice any warmth.",
        "if_you_want_to_stop": "Stop whenever you like. That is always fine.",
        "afterwards": "Notice how you feel.",
        "why_it_helps": "Noticing sensation steadies attention.",
        "safety_notes": "If this brings up distress, pause and talk with your therapist.",
        "ratings_before": ["calm"],
        "ratings_after": ["calm", "presence"],
        "reflection_prompts": "What did you notice?\nWhat surprised you?",
    }
    data.update(overrides)
    return data


def copy_to(tmp_path: Path, *relative: str) -> Path:
    """A content folder holding copies of the named files, to change in a test."""
    for name in relative:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CONTENT_DIR / name, target)
    return tmp_path


# --- The built-in library --------------------------------------------------------------------


def test_it_loads_the_library_on_migrate_with_every_family_and_field():
    exercises = list(Exercise.objects.filter(practice=None))
    assert len(exercises) >= 25
    assert {e.family for e in exercises} == set(Family.values)
    for exercise in exercises:
        version = latest_version(exercise)
        for name in REQUIRED_TEXT:
            assert getattr(version, name).strip(), f"{exercise.slug}: {name} is empty"
        assert version.duration_minutes > 0
        assert version.steps and all(isinstance(s, str) and s.strip() for s in version.steps)
        assert version.reflection_prompts
        assert set(version.ratings_before) | set(version.ratings_after) <= set(RATINGS)
        assert (exercise.title, exercise.family, exercise.suits, exercise.intensity) == (
            version.title,
            version.family,
            version.suits,
            version.intensity,
        )


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_content_file_validates(path):
    item = parse_file(path)
    assert item.slug == path.stem
    assert len(item.steps) >= 3
    assert all("**" not in text for text in (item.what_it_is, item.before_you_start, *item.steps))


def test_it_keeps_inline_markdown_as_plain_text_and_keeps_bullets():
    item = parse_file(CONTENT_DIR / "communication" / "i-statement-practice.md")
    assert "I feel [one feeling word] when [a specific situation], and I'd like" in (
        item.what_it_is
    )
    assert "\n  - " in item.before_you_start  # a nested bullet point
    mapping = parse_file(CONTENT_DIR / "communication" / "desire-mapping.md")
    assert "  - Yes: I'd like this" in mapping.before_you_start


GOOD = (CONTENT_DIR / "mindfulness" / "body-scan.md").read_text()
GOOD_VERSION = int(re.search(r"^version = (\d+)$", GOOD, re.MULTILINE)[1])
V = f"version = {GOOD_VERSION}"  # the front-matter line, to change in a test
BARE = re.sub(r"\n## For therapists\n.*\Z", "\n", GOOD, flags=re.DOTALL)  # without the notes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("+++\n", "", 1), "must start with a line of '+++'"),
        (lambda t: t.replace('family = "mindfulness"\n', ""), "missing front-matter key(s): fam"),
        (lambda t: t.replace(V, V + "\ncolour = 2"), "unknown front-matter"),
        (lambda t: t.replace('suits = "either"', 'suits = "everyone"'), "'suits' is 'everyone'"),
        (lambda t: t.replace('"calm", "tension"]', '"calm", "joy"]', 1), "unknown rating(s) joy"),
        (lambda t: t.replace("duration_minutes = 20", 'duration_minutes = "20"'), "whole number"),
        (lambda t: t.replace('slug = "body-scan"', 'slug = "scan"'), "make them match"),
        (lambda t: t.replace(V, V + "\nstage = 2"), "give both or neither"),
        (lambda t: t.replace(V, "version = [1"), "not valid TOML"),
        (lambda t: t.replace("## Why it helps", "## Why"), "the sections must be"),
        (lambda t: t.replace("## Steps\n\n1. ", "## Steps\n\nFirst, "), "a numbered list only"),
        (lambda t: t.replace("\n2. ", "\n3. ", 1), "expected 2, found 3"),
        (lambda t: t.replace("## Afterwards\n", "## Afterwards\n### Notes\n"), "only the seven"),
        (
            lambda t: BARE.replace("## Safety notes", "## For therapists\n\nA.\n\n## Safety notes"),
            "then optionally '## For therapists'",
        ),
        (lambda t: BARE + "\n## For therapists\n\n\n", "the '## For therapists' section is empty"),
        (lambda t: t + "\n## For therapists\n\nB.\n", "found:"),
        (lambda t: BARE + "\n## For clients\n\nA.\n", "the sections must be"),
        (lambda t: t.replace("## Safety notes", "## Safety notes\n\n1. a numbered note"), "Steps"),
    ],
)
def test_it_names_the_file_and_the_problem_for_a_bad_file(tmp_path, change, message):
    path = tmp_path / "mindfulness" / "body-scan.md"
    path.parent.mkdir()
    changed = change(GOOD)
    assert changed != GOOD, "the change did not apply; fix the test"
    path.write_text(changed)
    with pytest.raises(ContentError) as caught:
        parse_file(path, root=tmp_path)
    assert str(caught.value).startswith("mindfulness/body-scan.md: ")
    assert message in str(caught.value)


def test_it_refuses_a_folder_that_does_not_match_the_family(tmp_path):
    path = tmp_path / "exposure" / "body-scan.md"
    path.parent.mkdir()
    path.write_text(GOOD)
    with pytest.raises(ContentError, match="in the exposure/ folder"):
        parse_file(path, root=tmp_path)


def test_it_refuses_two_files_with_one_slug(tmp_path):
    copy_to(tmp_path, "mindfulness/body-scan.md")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "body-scan.md").write_text(GOOD.replace("mindfulness", "other"))
    with pytest.raises(ContentError):
        load_library(tmp_path)


# --- Syncing the library ---------------------------------------------------------------------


def test_sync_is_idempotent():
    before = (Exercise.objects.count(), ExerciseVersion.objects.count())
    assert library_sync().summary() == (
        f"Exercise library: 0 new, 0 updated, {len(CONTENT_FILES)} unchanged."
    )
    library_sync()
    assert (Exercise.objects.count(), ExerciseVersion.objects.count()) == before


def test_the_command_prints_a_one_line_summary(capsys):
    call_command("load_exercises")
    out = capsys.readouterr().out
    assert out.strip() == f"Exercise library: 0 new, 0 updated, {len(CONTENT_FILES)} unchanged."


def test_it_refuses_a_changed_file_without_a_version_bump(tmp_path, monkeypatch):
    root = copy_to(tmp_path, "mindfulness/body-scan.md")
    path = root / "mindfulness" / "body-scan.md"
    path.write_text(GOOD.replace("Guided body scan", "A guided body scan"))
    stored = snapshot(latest_version(builtin()))
    monkeypatch.setattr(content, "CONTENT_DIR", root)
    with pytest.raises(LibraryVersionError, match=f"Bump 'version' to {GOOD_VERSION + 1}"):
        library_sync()
    with pytest.raises(CommandError, match="mindfulness/body-scan.md"):
        call_command("load_exercises")
    assert builtin().latest_version == GOOD_VERSION
    assert snapshot(latest_version(builtin())) == stored


def test_a_bumped_file_adds_a_version_and_keeps_the_old_one(tmp_path, monkeypatch):
    old = latest_version(builtin())
    stored = snapshot(old)
    root = copy_to(tmp_path, "mindfulness/body-scan.md")
    (root / "mindfulness" / "body-scan.md").write_text(
        GOOD.replace(V, f"version = {GOOD_VERSION + 1}")
        .replace("Guided body scan", "A guided body scan")
        .replace('intensity = "gentle"', 'intensity = "moderate"')
    )
    monkeypatch.setattr(content, "CONTENT_DIR", root)
    result = library_sync()
    assert result.summary() == "Exercise library: 0 new, 1 updated, 0 unchanged."
    exercise = builtin()
    assert (exercise.latest_version, exercise.title, exercise.intensity) == (
        GOOD_VERSION + 1,
        "A guided body scan",
        "moderate",
    )
    assert snapshot(old) == stored
    assert AuditEvent.objects.filter(
        action="exercise.library_update", target_id=str(exercise.pk)
    ).exists()
    assert library_sync().summary() == "Exercise library: 0 new, 0 updated, 1 unchanged."


def test_a_new_file_adds_an_exercise(tmp_path):
    root = copy_to(tmp_path, "mindfulness/body-scan.md")
    (root / "mindfulness" / "slow-scan.md").write_text(
        GOOD.replace('slug = "body-scan"', 'slug = "slow-scan"')
    )
    result = sync_library(
        exercise_model=Exercise, version_model=ExerciseVersion, library=load_library(root)
    )
    assert [e.slug for e, _ in result.created] == ["slow-scan"]
    assert result.unchanged == 1
    assert latest_version(builtin("slow-scan")).steps == latest_version(builtin()).steps


# --- A practice's own exercises --------------------------------------------------------------


def test_copy_makes_a_practice_version_one_based_on_the_original(cast):
    original = builtin("sensate-focus-stage-1")
    source = snapshot(latest_version(original))
    copy = exercise_copy(exercise=original, therapist=cast.alice, title="Touch, our way")
    version = latest_version(copy)
    assert copy.practice == cast.alice.membership.practice
    assert copy.based_on == original
    assert copy.created_by == cast.alice
    assert (copy.latest_version, version.version, version.title) == (1, 1, "Touch, our way")
    assert version.steps == source["steps"]
    assert version.programme == "sensate-focus"
    assert snapshot(latest_version(original)) == source
    assert AuditEvent.objects.filter(action="exercise.copy", actor=cast.alice).exists()


def test_copies_get_slugs_unique_within_the_practice(cast):
    one = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Body scan")
    two = exercise_copy(exercise=builtin(), therapist=cast.olive, title="Body scan")
    elsewhere = exercise_copy(exercise=builtin(), therapist=cast.mallory, title="Body scan")
    assert (one.slug, two.slug, elsewhere.slug) == ("body-scan", "body-scan-2", "body-scan")


def test_an_empty_copy_title_keeps_the_original_title(cast):
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="  ")
    assert copy.title == builtin().title


def test_update_adds_a_version_and_never_changes_an_old_one(cast):
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Our scan")
    first = latest_version(copy)
    before = snapshot(first)
    second = exercise_update(
        exercise=copy, therapist=cast.olive, steps=["Lie down.", "Breathe."], intensity="moderate"
    )
    assert (second.version, second.steps, second.title) == (
        2,
        ["Lie down.", "Breathe."],
        "Our scan",
    )
    assert snapshot(first) == before
    copy.refresh_from_db()
    assert (copy.latest_version, copy.intensity) == (2, "moderate")
    third = exercise_update(exercise=copy, therapist=cast.alice, title="Our slow scan")
    assert third.version == 3 and third.steps == ["Lie down.", "Breathe."]
    assert ExerciseVersion.objects.filter(exercise=copy).count() == 3


def test_an_update_that_changes_nothing_writes_nothing(cast):
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Our scan")
    same = exercise_update(exercise=copy, therapist=cast.alice, title="Our scan")
    assert same.version == 1
    assert ExerciseVersion.objects.filter(exercise=copy).count() == 1


def test_built_in_and_other_practices_exercises_are_not_updated(cast):
    with pytest.raises(ExerciseError):
        exercise_update(exercise=builtin(), therapist=cast.alice, title="Mine now")
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Our scan")
    with pytest.raises(ExerciseError):
        exercise_update(exercise=copy, therapist=cast.mallory, title="Mine now")
    with pytest.raises(ExerciseError):
        exercise_copy(exercise=copy, therapist=cast.mallory, title="Mine now")
    assert builtin().latest_version == GOOD_VERSION
    assert latest_version(copy).title == "Our scan"


def test_write_creates_version_one_and_checks_its_values(cast):
    fields = {
        "title": "Warm hands",
        "summary": "Notice warmth.",
        "family": "mindfulness",
        "suits": "solo",
        "intensity": "gentle",
        "duration_minutes": 5,
        "what_it_is": "Noticing.",
        "before_you_start": "Sit.",
        "steps": ["Sit.", "Notice."],
        "if_you_want_to_stop": "Stop any time.",
        "afterwards": "Notice.",
        "why_it_helps": "Attention.",
        "safety_notes": "Talk to your therapist about pain.",
        "reflection_prompts": ["What did you notice?"],
    }
    exercise = exercise_write(therapist=cast.alice, **fields)
    version = latest_version(exercise)
    assert (exercise.practice, exercise.based_on, version.version) == (
        cast.alice.membership.practice,
        None,
        1,
    )
    assert version.ratings_before == [] and version.programme == ""
    with pytest.raises(ExerciseError, match="unknown rating"):
        exercise_write(therapist=cast.alice, **{**fields, "ratings_after": ["bliss"]})
    with pytest.raises(ExerciseError):
        exercise_write(therapist=cast.pam, **fields)


# --- Access ----------------------------------------------------------------------------------


def test_the_library_holds_built_ins_and_only_the_own_practices_exercises(cast):
    ours = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Ours")
    theirs = exercise_copy(exercise=builtin(), therapist=cast.mallory, title="Theirs")
    assert ours in library_for(cast.olive) and theirs not in library_for(cast.olive)
    assert theirs in library_for(cast.mallory) and ours not in library_for(cast.mallory)
    assert builtin() in library_for(cast.mallory)


def test_it_denies_another_practices_exercise(client, cast):
    theirs = exercise_copy(exercise=builtin(), therapist=cast.mallory, title="Theirs")
    client.force_login(cast.alice)
    for name in ("exercise_detail", "exercise_edit"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.get(reverse("exercise_new") + f"?from={theirs.pk}").status_code == 404
    response = client.post(reverse("exercise_new"), {**form_data(), "based_on": str(theirs.pk)})
    assert response.status_code == 404
    assert client.post(reverse("exercise_edit", args=[theirs.pk]), form_data()).status_code == 404
    assert latest_version(theirs).title == "Theirs"
    page = client.get(reverse("exercise_library")).content.decode()
    assert "Theirs" not in page


def test_it_does_not_edit_a_built_in_exercise(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("exercise_edit", args=[builtin().pk])).status_code == 404
    page = client.get(reverse("exercise_detail", args=[builtin().pk])).content.decode()
    assert "Copy and customise" in page
    assert reverse("exercise_edit", args=[builtin().pk]) not in page


# --- Pages -----------------------------------------------------------------------------------


def test_the_library_filters_by_family_suits_and_intensity(client, cast):
    client.force_login(cast.alice)
    url = reverse("exercise_library")

    def titles(**query: str) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {v.title for _, versions in response.context["groups"] for v in versions}

    everything = titles()
    assert len(everything) == Exercise.objects.filter(practice=None).count()
    exposure = titles(family="exposure")
    assert exposure == {e.title for e in Exercise.objects.filter(family="exposure")}
    together = titles(suits="couple")
    assert together == {e.title for e in Exercise.objects.filter(suits__in=["couple", "either"])}
    assert "Guided body scan" in together  # suits either
    assert "Sensate focus, stage 1: touch without a goal" in together
    assert "Solo fantasy journal" not in together
    alone = titles(suits="solo")
    assert "Solo fantasy journal" in alone and "Guided body scan" in alone
    assert "Sensate focus, stage 1: touch without a goal" not in alone
    intimate = titles(intensity="intimate")
    assert intimate == {e.title for e in Exercise.objects.filter(intensity="intimate")}
    both = titles(family="mindfulness", intensity="gentle", suits="solo")
    assert both == {
        e.title
        for e in Exercise.objects.filter(
            family="mindfulness", intensity="gentle", suits__in=["solo", "either"]
        )
    }
    # An unknown value is left out and said so, not a server error.
    response = client.get(url, {"family": "nonsense"})
    assert response.status_code == 200
    assert "That choice isn't available, so this filter was left out." in response.content.decode()
    assert len(response.context["groups"]) == len(Family.values)


def test_the_library_marks_the_practices_own_exercises(client, cast):
    exercise_copy(exercise=builtin(), therapist=cast.alice, title="Harbour scan")
    client.force_login(cast.olive)
    page = client.get(reverse("exercise_library"), {"family": "mindfulness"}).content.decode()
    assert "Harbour scan" in page
    assert page.count("badge--own") == 1


def test_the_detail_page_shows_the_exercise_as_a_client_sees_it(client, cast):
    client.force_login(cast.mallory)
    exercise = builtin("desire-mapping")
    version = latest_version(exercise)
    response = client.get(reverse("exercise_detail", args=[exercise.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "What it is",
        "Before you start",
        "Steps",
        "If you want to stop",
        "Afterwards",
        "Why it helps",
        "Safety notes",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "<li>Yes: I&#x27;d like this, or I&#x27;m keen to talk about it.</li>" in page
    assert "Together" in page and "About 30 minutes" in page
    assert RATINGS["connection"][0] in page
    for step in version.steps:
        assert f"<li>{step}</li>".replace("'", "&#x27;") in page


def test_the_body_include_escapes_what_a_therapist_wrote(cast):
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Ours")
    version = exercise_update(
        exercise=copy,
        therapist=cast.alice,
        what_it_is="<script>alert(1)</script>\n- one\n  - inner",
        steps=["<b>bold</b>"],
    )
    html = Template('{% include "exercises/_exercise_body.html" %}').render(
        Context({"version": version})
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<li>one<ul><li>inner</li></ul></li>" in html
    hidden = Template('{% include "exercises/_exercise_body.html" with hide_steps=True %}').render(
        Context({"version": version})
    )
    assert "<h2>Steps</h2>" not in hidden


def test_copy_and_customise_saves_nothing_until_save(client, cast):
    client.force_login(cast.alice)
    page = client.get(reverse("exercise_detail", args=[builtin().pk])).content.decode()
    url = reverse("exercise_new") + f"?from={builtin().pk}"
    assert f'href="{url}"' in page  # a link: opening it changes nothing
    page = client.get(url).content.decode()
    assert "Guided body scan" in page and "Nothing is saved until you press Save" in page
    practice = cast.alice.membership.practice
    assert not Exercise.objects.filter(practice=practice).exists()
    response = client.post(url, {**form_data(), "based_on": str(builtin().pk)})
    copy = Exercise.objects.get(practice=practice)
    assert response["Location"] == reverse("exercise_detail", args=[copy.pk])
    assert copy.based_on == builtin() and copy.latest_version == 1


def test_editing_saves_a_new_version_through_the_page(client, cast):
    copy = exercise_copy(exercise=builtin(), therapist=cast.alice, title="Our scan")
    first = snapshot(latest_version(copy))
    client.force_login(cast.olive)
    response = client.post(reverse("exercise_edit", args=[copy.pk]), form_data())
    assert response.status_code == 302
    version = latest_version(Exercise.objects.get(pk=copy.pk))
    assert version.version == 2
    assert version.steps == [
        "Sit comfortably.",
        "Rest your hands on your lap.",
        "Notice any warmth.",
    ]
    assert version.reflection_prompts == ["What did you notice?", "What surprised you?"]
    assert (version.ratings_before, version.ratings_after) == (["calm"], ["calm", "presence"])
    assert snapshot(ExerciseVersion.objects.get(exercise=copy, version=1)) == first
    # Saving the same again makes no third version.
    client.post(reverse("exercise_edit", args=[copy.pk]), form_data())
    assert ExerciseVersion.objects.filter(exercise=copy).count() == 2


def test_writing_a_new_exercise_through_the_page(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("exercise_new")).status_code == 200
    response = client.post(reverse("exercise_new"), form_data())
    exercise = Exercise.objects.get(practice=cast.alice.membership.practice)
    assert response["Location"] == reverse("exercise_detail", args=[exercise.pk])
    assert (
        latest_version(exercise).what_it_is == "A short practice of noticing.\n\n- warmth\n- weight"
    )


def test_bad_form_input_keeps_what_was_typed(client, cast):
    client.force_login(cast.alice)
    typed = form_data(
        title="",
        duration_minutes="about twenty",
        steps="\n \n",
        what_it_is="My carefully written <explanation> & more",
        reflection_prompts="What felt new?",
    )
    response = client.post(reverse("exercise_new"), typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please give the exercise a title" in page
    assert "Please give the typical time as a number of minutes" in page
    assert "Please add at least one step" in page
    assert "Nothing you typed has been lost" in page
    assert "My carefully written &lt;explanation&gt; &amp; more" in page
    assert "about twenty" in page and "What felt new?" in page
    assert re.search(r'name="ratings_after" value="presence"[^>]*\bchecked', page)
    assert not Exercise.objects.filter(practice__isnull=False).exists()


def test_the_library_is_not_for_clients_or_practice_admins(client, cast):
    for user in (cast.bob, cast.pam):
        client.force_login(user)
        assert client.get(reverse("exercise_library")).status_code == 404
        assert client.get(reverse("exercise_detail", args=[builtin().pk])).status_code == 404


# --- "For therapists" notes --------------------------------------------------------------------


def test_it_reads_an_optional_for_therapists_section_at_the_end(tmp_path):
    path = tmp_path / "mindfulness" / "body-scan.md"
    path.parent.mkdir()
    without = BARE
    path.write_text(without)
    assert parse_file(path, root=tmp_path).for_therapists == ""
    path.write_text(
        without.rstrip("\n")
        + "\n\n## For therapists\n\nScreen **first**.\n\n- one point\n  that wraps\n- two\n"
    )
    item = parse_file(path, root=tmp_path)
    assert item.for_therapists == "Screen first.\n\n- one point that wraps\n- two"
    assert item.safety_notes and "For therapists" not in item.safety_notes
    assert item.version_fields()["for_therapists"] == item.for_therapists


def test_a_historical_model_without_the_notes_field_still_syncs():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(("exercises", "0002_load_library"))
    historical = state.apps.get_model("exercises", "ExerciseVersion")
    item = parse_file(CONTENT_DIR / "mindfulness" / "body-scan.md")
    values = item.version_fields(historical)
    assert "for_therapists" not in values
    assert set(values) == set(content.VERSION_FIELDS) - {"for_therapists"}
    assert item.version_fields(ExerciseVersion)["for_therapists"] == item.for_therapists


def test_the_migrated_library_carries_every_files_therapist_notes():
    for item in load_library():
        stored = latest_version(builtin(item.slug))
        assert stored.version == item.version, item.slug
        assert stored.for_therapists == item.for_therapists, item.slug


def test_blank_notes_are_filled_in_only_when_asked_and_only_for_the_same_version():
    item = dataclasses.replace(
        parse_file(CONTENT_DIR / "mindfulness" / "body-scan.md"), for_therapists="Screen first."
    )
    stored = latest_version(builtin())
    ExerciseVersion.objects.filter(pk=stored.pk).update(for_therapists="")
    with pytest.raises(LibraryVersionError):
        sync_library(exercise_model=Exercise, version_model=ExerciseVersion, library=[item])
    result = sync_library(
        exercise_model=Exercise,
        version_model=ExerciseVersion,
        library=[item],
        fill_blank=("for_therapists",),
    )
    assert [v.pk for _, v in result.filled] == [stored.pk]
    assert "1 filled in" in result.summary()
    stored.refresh_from_db()
    assert stored.for_therapists == item.for_therapists
    # Notes that are not blank are never overwritten: that is a change, and needs a new version.
    ExerciseVersion.objects.filter(pk=stored.pk).update(for_therapists="Older notes.")
    with pytest.raises(LibraryVersionError):
        sync_library(
            exercise_model=Exercise,
            version_model=ExerciseVersion,
            library=[item],
            fill_blank=("for_therapists",),
        )


def test_copies_and_edits_keep_the_therapist_notes(client, cast):
    original = latest_version(builtin("sensate-focus-stage-1"))
    ExerciseVersion.objects.filter(pk=original.pk).update(for_therapists="Screen for coercion.")
    original.refresh_from_db()
    copy = exercise_copy(exercise=builtin("sensate-focus-stage-1"), therapist=cast.alice, title="")
    assert latest_version(copy).for_therapists == original.for_therapists
    client.force_login(cast.alice)
    page = client.get(reverse("exercise_edit", args=[copy.pk])).content.decode()
    assert 'name="for_therapists"' in page
    response = client.post(
        reverse("exercise_edit", args=[copy.pk]),
        form_data(for_therapists="Check for pressure from a partner\r\nfirst."),
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert latest_version(copy).for_therapists == "Check for pressure from a partner\nfirst."
    # Optional: leaving it empty is fine.
    response = client.post(reverse("exercise_new"), form_data(title="No notes"))
    assert response.status_code == 302
    assert latest_version(Exercise.objects.get(title="No notes")).for_therapists == ""


THERAPIST_ONLY = "Screen both partners separately for coercion (a phrase only therapists see)."


def test_therapist_notes_show_on_the_library_page_and_never_to_a_client(client, cast):
    from interlude.homework.actions import assignment_create

    exercise = builtin("sensate-focus-stage-1")
    version = latest_version(exercise)
    ExerciseVersion.objects.filter(pk=version.pk).update(for_therapists=THERAPIST_ONLY)
    version.refresh_from_db()

    client.force_login(cast.alice)
    page = client.get(reverse("exercise_detail", args=[exercise.pk])).content.decode()
    assert '<h2 id="therapist-notes-heading">For therapists</h2>' in page
    assert THERAPIST_ONLY in page

    couple = cast.member(cast.bob).couple
    assignment = assignment_create(therapist=cast.alice, version=version, couple=couple)
    for partner in (cast.bob, cast.carol):
        client.force_login(partner)
        response = client.get(reverse("practice", args=[assignment.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Safety notes" in page  # the exercise body is there...
        assert THERAPIST_ONLY not in page and "For therapists" not in page  # ...without the notes

    body = Template('{% include "exercises/_exercise_body.html" %}')
    assert THERAPIST_ONLY not in body.render(Context({"version": version}))
    shown = body.render(Context({"version": version, "show_therapist_notes": True}))
    assert THERAPIST_ONLY in shown

    from interlude.privacy.export import build_export, export_zip

    client.force_login(cast.bob)
    assert THERAPIST_ONLY not in str(build_export(cast.bob))
    assert THERAPIST_ONLY.encode() not in export_zip(cast.bob)
