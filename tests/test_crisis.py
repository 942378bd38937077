"""A route to urgent help under every exercise's safety notes, from the exercise template:
the practice's own crisis details where it set them, US defaults otherwise, and a domestic-abuse
helpline for exercises that couples do."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from interlude.exercises.access import latest_version
from interlude.exercises.crisis import DEFAULTS, crisis_details, with_phone_links
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.practice.models import Practice

pytestmark = pytest.mark.django_db

DANGER = (
    "If you are in danger or thinking about harming yourself, contact emergency services or a "
    "crisis line now."
)
NOT_STRAIGHT_AWAY = "Your therapist may not see messages in Interlude straight away"
AFRAID = (
    "If someone close to you frightens or hurts you, a domestic-abuse helpline can help, "
    "confidentially"
)
BODY = Template('{% include "exercises/_exercise_body.html" %}')


def safety_section(html: str) -> str:
    """The safety notes as read: phone numbers are links, the words are the same."""
    start = html.index("<h2>Safety notes</h2>")
    return words(html[start : html.index("</section>", start)])


def words(html: str) -> str:
    return re.sub(r"<a [^>]*>|</a>", "", html)


def builtins() -> list[Exercise]:
    return list(Exercise.objects.filter(practice=None).order_by("slug"))


def test_crisis_details_fall_back_to_us_defaults_field_by_field():
    assert crisis_details(None) == {
        "region": "US",
        **DEFAULTS,
        **{f"{name}_is_default": True for name in DEFAULTS},
    }
    assert "988" in DEFAULTS["crisis_line"]
    assert "1-800-799-7233" in DEFAULTS["abuse_helpline"]
    assert "START to 88788" in DEFAULTS["abuse_helpline"]
    own = Practice(name="Harbour", crisis_line="Samaritans, call 116 123", emergency_number=" ")
    details = crisis_details(own)
    assert details["crisis_line"] == "Samaritans, call 116 123"
    assert details["crisis_line_is_default"] is False
    assert details["emergency_number"] == "911" and details["emergency_number_is_default"]
    assert details["abuse_helpline"] == DEFAULTS["abuse_helpline"]


def test_every_exercise_has_urgent_help_under_its_safety_notes_with_us_defaults():
    exercises = builtins()
    assert len(exercises) >= 30
    for exercise in exercises:
        version = latest_version(exercise)
        html = BODY.render(Context({"version": version}))
        safety = safety_section(html)
        assert DANGER in safety, exercise.slug
        assert NOT_STRAIGHT_AWAY in safety, exercise.slug
        assert "Crisis line (US): call or text 988" in safety, exercise.slug
        assert "Emergency services (US): 911" in safety, exercise.slug
        # Once, after the exercise's own notes, not before them.
        assert html.count(DANGER) == 1
        own_notes = escape(version.safety_notes.splitlines()[0].removeprefix("- "))
        assert safety.index(own_notes) < safety.index(DANGER), exercise.slug
        couples = version.suits in ("couple", "either")
        assert (AFRAID in safety) == couples, exercise.slug
        assert ("1-800-799-7233" in safety) == couples, exercise.slug


def test_the_practices_own_details_replace_the_defaults():
    practice = Practice.objects.create(
        name="Harbour",
        emergency_number="999",
        crisis_line="Samaritans, call 116 123",
        abuse_helpline="National Domestic Abuse Helpline, 0808 2000 247",
    )
    version = latest_version(Exercise.objects.get(practice=None, slug="sensate-focus-stage-1"))
    safety = safety_section(BODY.render(Context({"version": version, "practice": practice})))
    assert "Emergency services: 999" in safety
    assert "Crisis line: Samaritans, call 116 123" in safety
    assert "National Domestic Abuse Helpline, 0808 2000 247" in safety
    assert "988" not in safety and "1-800-799-7233" not in safety and "(US)" not in safety
    solo = latest_version(Exercise.objects.get(practice=None, slug="solo-fantasy-journal"))
    safety = safety_section(BODY.render(Context({"version": solo, "practice": practice})))
    assert "Samaritans" in safety and "0808 2000 247" not in safety and AFRAID not in safety


def test_the_client_and_the_therapist_see_the_practices_own_details(client, cast):
    practice = cast.alice.membership.practice
    practice.crisis_line = "Lifeline Harbour, call 13 11 14"
    practice.save()
    version = latest_version(Exercise.objects.get(practice=None, slug="body-scan"))
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    client.force_login(cast.dave)
    page = words(client.get(reverse("practice", args=[assignment.pk])).content.decode())
    assert "Crisis line: Lifeline Harbour, call 13 11 14" in page
    assert "Emergency services (US): 911" in page  # the part the practice left blank
    assert AFRAID in page  # body-scan suits either
    client.force_login(cast.olive)
    page = words(
        client.get(reverse("exercise_detail", args=[version.exercise_id])).content.decode()
    )
    assert "Crisis line: Lifeline Harbour, call 13 11 14" in page
    # Another practice that set nothing sees the defaults.
    client.force_login(cast.mallory)
    page = words(
        client.get(reverse("exercise_detail", args=[version.exercise_id])).content.decode()
    )
    assert "Crisis line (US): call or text 988" in page and "Lifeline Harbour" not in page


def test_each_number_is_a_link_a_phone_can_call_or_text():
    html = BODY.render(
        Context(
            {
                "version": latest_version(
                    Exercise.objects.get(practice=None, slug="sensate-focus-stage-1")
                )
            }
        )
    )
    assert '<a href="tel:911" class="phone-link">911</a>' in html
    assert '<a href="tel:988" class="phone-link">988</a>' in html
    assert 'href="tel:18007997233"' in html and 'href="sms:88788"' in html
    linked = with_phone_links("Harbour line <b>, call +44 (0)20 7946 0018 or 116 123; 24/7")
    assert "&lt;b&gt;" in linked and "<b>" not in linked
    assert 'href="tel:+442079460018"' in linked and 'href="tel:116123"' in linked
    assert "24/7" in linked and "tel:24" not in linked


def test_couple_work_shows_the_abuse_helpline_whatever_the_exercise_suits(client, cast):
    solo = latest_version(Exercise.objects.get(practice=None, slug="solo-fantasy-journal"))
    assert solo.suits == "solo"
    alone = assignment_create(therapist=cast.alice, version=solo, client=cast.dave)
    together = assignment_create(
        therapist=cast.alice, version=solo, couple=cast.member(cast.bob).couple
    )
    client.force_login(cast.dave)
    assert AFRAID not in words(client.get(reverse("practice", args=[alone.pk])).content.decode())
    client.force_login(cast.bob)
    assert AFRAID in words(client.get(reverse("practice", args=[together.pk])).content.decode())


def test_an_admin_whose_practice_set_nothing_is_asked_to_set_its_own_lines(client, cast):
    client.force_login(cast.pam)
    note = "Your clients see the US lines for urgent help"
    assert note in client.get(reverse("team")).content.decode()
    practice = cast.alice.membership.practice
    practice.emergency_number = "000"
    practice.save()
    assert note not in client.get(reverse("team")).content.decode()
