"""What the built-in library says, checked against the clinical review: the stage limits of
sensate focus, the stop without words, what desire mapping promises, the therapist-only notes,
and the breadth of the library."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.template import Context, Template
from django.urls import reverse

from interlude.exercises.access import latest_version
from interlude.exercises.content import load_library
from interlude.exercises.models import RATINGS, Exercise, Family
from interlude.homework.actions import assignment_create

LIBRARY = load_library()
BY_SLUG = {item.slug: item for item in LIBRARY}


def text_of(item) -> str:
    """Everything a client or a therapist reads in one exercise."""
    return "\n".join(
        [
            item.title,
            item.summary,
            item.what_it_is,
            item.before_you_start,
            *item.steps,
            item.if_you_want_to_stop,
            item.afterwards,
            item.why_it_helps,
            item.safety_notes,
            item.for_therapists,
            *item.reflection_prompts,
        ]
    )


def client_text(item) -> str:
    return text_of(item).replace(item.for_therapists, "")


# --- Breadth ---


def test_the_library_has_at_least_44_exercises_across_all_five_families():
    assert len(LIBRARY) >= 44
    counts = defaultdict(int)
    for item in LIBRARY:
        counts[item.family] += 1
    assert set(counts) == set(Family.values)
    assert all(n >= 5 for n in counts.values()), counts


def test_every_programme_has_its_stages_from_one_without_gaps():
    stages = defaultdict(list)
    for item in LIBRARY:
        if item.programme:
            stages[item.programme].append(item.stage)
    assert sorted(stages["sensate-focus"]) == [1, 2, 3, 4, 5]
    for programme, found in stages.items():
        assert sorted(found) == list(range(1, len(found) + 1)), programme


@pytest.mark.django_db
def test_the_migrated_library_has_sensate_focus_stages_one_to_five():
    stages = {
        latest_version(e).stage: e.slug
        for e in Exercise.objects.filter(practice=None, slug__startswith="sensate-focus-stage-")
    }
    assert stages == {n: f"sensate-focus-stage-{n}" for n in range(1, 6)}
    assert Exercise.objects.filter(practice=None).count() == len(LIBRARY)


def test_the_new_topics_are_covered():
    for slug in (
        "a-menu-of-closeness",
        "pelvic-floor-release-with-breath",
        "graded-insertion-at-your-own-pace",
        "pleasure-without-penetration",
        "letting-an-erection-come-and-go",
        "stop-start-on-your-own",
        "stop-start-together",
        "a-plan-for-erection-medication",
        "sensate-focus-stage-4",
        "sensate-focus-stage-5",
        "exploring-orgasm-on-your-own",
        "kind-mirror-practice",
        "clothing-and-light-ladder",
        "triggers-and-a-flashback-plan",
        "a-consent-menu",
        "messages-you-grew-up-with",
        "anatomy-for-every-body",
        "arousal-non-concordance",
        "pelvic-floor-awareness",
        "closeness-through-life-changes",
        "sex-with-illness-disability-or-medication",
        "mixed-desire-and-asexual-spectrum",
        "open-relationship-agreements",
    ):
        assert slug in BY_SLUG, slug
    words = "\n".join(text_of(item).casefold() for item in LIBRARY)
    for topic in (
        "responsive desire",
        "menopause",
        "after birth",
        "cancer",
        "chronic illness",
        "disability",
        "ssris",
        "asexual",
        "non-monogamy",
        "priapism",
        "more than 4 hours",
        "non-concordance",
        "flashback",
        "dilators",
    ):
        assert topic in words, topic


# --- Stage limits that hold for every body ---


SENSATE_STAGED = [
    item for item in LIBRARY if item.family == "sensate_focus" and (item.stage or 0) >= 2
]


@pytest.mark.parametrize("item", SENSATE_STAGED, ids=lambda i: i.slug)
def test_every_later_sensate_focus_stage_rules_out_penetration_of_any_kind(item):
    limits = item.before_you_start
    assert "no penetration of any kind" in limits
    if item.suits != "solo":
        assert "no penetration of any kind (penis, fingers or toys)" in limits
        assert "no oral sex" in limits
    else:
        assert "fingers or toys" in limits
    assert "outside of the body" in client_text(item)


def test_no_exercise_names_intercourse_as_a_limit():
    for item in LIBRARY:
        assert not re.search(r"intercourse", text_of(item), re.IGNORECASE), item.slug


def test_stages_two_and_three_name_every_limit_and_stage_three_names_the_later_steps():
    for slug in ("sensate-focus-stage-2", "sensate-focus-stage-3"):
        limits = BY_SLUG[slug].before_you_start
        for limit in (
            "Touch stays on the outside of the body",
            "no penetration of any kind (penis, fingers or toys)",
            "no oral sex",
            "no genital-to-genital contact",
            "no stimulation to orgasm",
        ):
            assert limit in limits, (slug, limit)
    stage3 = BY_SLUG["sensate-focus-stage-3"].before_you_start
    assert re.search(
        r"later steps are not part of this stage: first genital-to-genital contact, then "
        r"containment without movement",
        stage3,
    )
    assert "a stage of its own" in BY_SLUG["sensate-focus-stage-4"].what_it_is
    assert "Without movement means exactly that: no thrusting" in (
        BY_SLUG["sensate-focus-stage-5"].what_it_is
    )


def test_step_by_step_touch_keeps_intimate_areas_off_its_ladder_and_stops_without_words():
    item = BY_SLUG["step-by-step-touch"]
    before = item.before_you_start
    assert "Keep breasts, chest and genitals off the ladder, unless you have agreed with your " in (
        before
    )
    assert "Add at most one or two new steps in a session" in before
    assert "ending before your edge is a good session" in before
    assert "two taps" in before and "moving their hand away" in before
    assert "if the receiver goes quiet or still, the toucher lifts their hands and waits" in before
    assert any("goes quiet or still" in step and "waits" in step for step in item.steps)
    assert "further only if agreed" not in text_of(item)


def test_couple_touch_starts_only_where_saying_no_is_safe():
    for slug in (
        "sensate-focus-stage-1",
        "sensate-focus-stage-2",
        "sensate-focus-stage-3",
        "sensate-focus-stage-4",
        "sensate-focus-stage-5",
        "step-by-step-touch",
        "trying-new-sensations",
        "stop-start-together",
    ):
        assert "saying no to them does not feel safe" in client_text(BY_SLUG[slug]), slug
    for slug in (
        "sensate-focus-stage-1",
        "sensate-focus-stage-2",
        "sensate-focus-stage-3",
        "step-by-step-touch",
        "practising-a-ladder-step",
        "choosing-ethical-porn",
    ):
        assert "sober" in client_text(BY_SLUG[slug]), slug


# --- Desire mapping ---


def test_desire_mapping_describes_the_map_and_says_exactly_what_is_shared():
    item = BY_SLUG["desire-mapping"]
    text = client_text(item)
    assert item.version >= 3  # the text that describes the map in Interlude
    assert "the ones you both marked yes or maybe" in text
    assert "You never see which of you said yes and which said maybe" in text
    assert "Your therapist never sees your answers" in text
    assert "Nothing is compared until you have both sent your answers" in text
    assert "you may guess that your partner did not mark it yes or maybe" in text
    # Inference remains possible: no promise that nobody is ever turned down.
    assert "nobody is turned down" not in text.casefold()
    assert "is being built" not in item.for_therapists
    assert "cannot remove inference altogether" in item.for_therapists
    for slug in ("curiosity-list", "shared-fantasy-journal"):
        assert "desire mapping is another way to find shared interests privately" not in (
            client_text(BY_SLUG[slug]).casefold()
        )
    assert "they may already have read it" in BY_SLUG["shared-fantasy-journal"].if_you_want_to_stop


# --- "For therapists" notes ---


def test_every_exercise_has_therapist_notes_and_couple_work_screens_for_coercion():
    for item in LIBRARY:
        assert item.for_therapists, item.slug
        assert "For therapists" not in client_text(item)
        if item.suits == "couple" or item.slug in ("desire-mapping", "shared-fantasy-journal"):
            assert "coercion" in item.for_therapists, item.slug
    trauma = [
        BY_SLUG[s].for_therapists for s in ("practising-a-ladder-step", "building-your-ladder")
    ]
    assert all("trained in" in notes for notes in trauma)
    assert all(
        "clinical record" in item.for_therapists
        for item in LIBRARY
        if item.family in ("communication", "fantasy", "sensate_focus")
    )


def test_ratings_are_known_and_the_pain_work_asks_about_pain():
    for item in LIBRARY:
        assert set(item.ratings_before) | set(item.ratings_after) <= set(RATINGS), item.slug
    assert "pain" in BY_SLUG["graded-insertion-at-your-own-pace"].ratings_after
    assert "desire" in BY_SLUG["a-menu-of-closeness"].ratings_before


BODY = Template('{% include "exercises/_exercise_body.html" %}')


@pytest.mark.django_db
def test_no_exercises_therapist_notes_reach_the_client_body():
    for exercise in Exercise.objects.filter(practice=None):
        version = latest_version(exercise)
        first_line = version.for_therapists.splitlines()[0].removeprefix("- ")[:60]
        html = str(BODY.render(Context({"version": version}))).replace("&#x27;", "'")
        assert first_line not in html, exercise.slug
        shown = str(BODY.render(Context({"version": version, "show_therapist_notes": True})))
        assert first_line in shown.replace("&#x27;", "'").replace("&quot;", '"'), exercise.slug


@pytest.mark.django_db
def test_desire_mapping_notes_are_on_the_library_page_and_not_the_couples_practice_page(
    client, cast
):
    exercise = Exercise.objects.get(practice=None, slug="desire-mapping")
    version = latest_version(exercise)
    phrase = "You see when rounds happen and whether each partner has sent"
    assert phrase in version.for_therapists
    client.force_login(cast.olive)
    assert phrase in client.get(reverse("exercise_detail", args=[exercise.pk])).content.decode()
    assignment = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.erin).couple
    )
    for partner in (cast.erin, cast.frank):
        client.force_login(partner)
        page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
        assert "Desire mapping" in page
        assert phrase not in page and "therapist-notes-heading" not in page
