"""The reviewable content files for the desire map, check-ins, guides and fantasy journal.

Each loader reads its real file and holds it to its rules; each refuses a broken copy with a
message naming the file and the problem; and every word a person reads passes the same language
checks as the exercise library, plus two more: no partner wording where a client practises alone,
and no wording that assumes anyone's gender or a heterosexual default.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from interlude.checkins.agenda import SECTION_SLUGS, AgendaError, load_agenda
from interlude.desire.catalogue import INTENSITIES, CatalogueError, load_catalogue
from interlude.fantasy.prompts import (
    SENSATION_SLUGS,
    FantasyContentError,
    load_prompts,
    load_sensations,
)
from interlude.guides.scripts import GuideError, load_body_scans, load_breathing
from tests.test_language import shaming_words

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "interlude/desire/content/catalogue.toml"
AGENDA = ROOT / "interlude/checkins/content/agenda.toml"
BODY_SCAN = ROOT / "interlude/guides/content/body_scan.toml"
BREATHING = ROOT / "interlude/guides/content/breathing.toml"
PROMPTS = ROOT / "interlude/fantasy/content/prompts.toml"
SENSATIONS = ROOT / "interlude/fantasy/content/sensations.toml"
CONTENT_FILES = (CATALOGUE, AGENDA, BODY_SCAN, BREATHING, PROMPTS, SENSATIONS)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Wording that presumes a partner taking part: never in what a solo client sees.
PARTNER_RE = re.compile(r"\b(partner|partners|together|both|each other|we|us|our)\b", re.I)
# A heterosexual default or an assumed gender for a partner or anyone else.
GENDERED_RE = re.compile(
    r"\b(intercourse|foreplay|he|she|him|his|her|hers|himself|herself|husbands?|wife|wives|"
    r"boyfriends?|girlfriends?)\b",
    re.I,
)
# Sexual wording a therapist hides by hiding the moderate and intimate items.
EXPLICIT_RE = re.compile(
    r"\b(genitals?|penetration|anus|anal|oral|vulva|vagina|penis|masturbat\w*|orgasm|nude|"
    r"sex toy|dildo|vibrator|spanking|restraint)\b",
    re.I,
)


def strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a parsed TOML value, with where it is (for failure messages)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from strings(inner, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            yield from strings(inner, f"{where}[{number}]")


def parsed(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


# --- The real files load and hold to their rules --------------------------------------------


def test_the_catalogue_has_at_least_80_items_in_the_eight_groups():
    catalogue = load_catalogue()
    assert catalogue.version >= 1
    assert len(catalogue.items) >= 80
    assert [group.title for group in catalogue.groups] == [
        "Affection and closeness",
        "Talking and flirting",
        "Sensual touch",
        "Setting and mood",
        "Solo and self",
        "Exploring together",
        "Safer sex and boundaries",
        "Curious about",
    ]
    assert all(len(group.items) >= 8 for group in catalogue.groups)
    slugs = [item.slug for item in catalogue.items]
    assert len(slugs) == len(set(slugs))
    assert all(SLUG_RE.match(slug) for slug in slugs)
    assert {item.intensity for item in catalogue.items} == set(INTENSITIES)
    for item in catalogue.items:
        assert len(item.title) <= 80 and len(item.description) <= 300 and len(item.prompt) <= 300
        assert item.group in {group.slug for group in catalogue.groups}
    assert catalogue.item("slow-kissing").title == "Slow kissing"


def test_the_catalogue_covers_safer_sex_and_stopping():
    catalogue = load_catalogue()
    safer = {item.slug for item in catalogue.group("safer-sex-and-boundaries").items}
    assert {"talking-about-testing", "using-condoms", "dental-dams-and-gloves"} <= safer
    assert {"a-safeword", "a-stop-signal-without-words", "aftercare"} <= safer


def test_hiding_intimate_and_moderate_items_leaves_nothing_explicit():
    catalogue = load_catalogue()
    gentle = catalogue.without(intensities=("moderate", "intimate"))
    assert gentle.items and all(item.intensity == "gentle" for item in gentle.items)
    for item in gentle.items:
        text = f"{item.title} {item.description} {item.prompt}"
        assert not EXPLICIT_RE.search(text), f"{item.slug} is gentle but explicit: {text}"
    without_group = catalogue.without(groups=("exploring-together",))
    assert "exploring-together" not in {group.slug for group in without_group.groups}
    assert len(without_group.items) == len(catalogue.items) - len(
        catalogue.group("exploring-together").items
    )


def test_the_agenda_has_its_six_sections_in_order():
    agenda = load_agenda()
    assert tuple(section.slug for section in agenda.sections) == SECTION_SLUGS
    assert [section.title for section in agenda.sections] == [
        "Appreciation",
        "What felt good this week",
        "Something I'd like more or less of",
        "A worry",
        "Plans for practice time",
        "One kind thing for next week",
    ]
    for section in agenda.sections:
        assert 2 <= len(section.examples) <= 3
        assert section.question(solo=True) == section.question_solo != section.question_couple
    after = " ".join(agenda.after_reveal).lower()
    assert (
        "listens" in after and "not today" in after and "a plan is a hope, not a promise" in after
    )


def test_each_body_scan_adds_up_to_its_length():
    scans = load_body_scans()
    assert [script.minutes for script in scans.scripts] == [3, 10, 20]
    for script in scans.scripts:
        assert sum(cue.seconds for cue in script.cues) == script.minutes * 60 == script.seconds
        assert all(len(cue.text) <= 200 for cue in script.cues)
    slugs = [script.slug for script in scans.scripts]
    assert len(slugs) == len(set(slugs))
    assert "stop" in scans.note.lower() and "skip" in scans.note.lower()


def test_each_body_scan_is_inclusive_and_easy_to_leave():
    for script in load_body_scans().scripts:
        text = " ".join(cue.text for cue in script.cues)
        assert "skip" in script.cues[1].text or "skip" in script.cues[2].text, script.slug
        assert "the floor, the chair or the bed" in text, script.slug
        assert "genitals if you wish" in text, script.slug
        assert "absent" in text and "numb" in text, script.slug
        assert "sounds and surfaces" in script.cues[-1].text + script.cues[-2].text, script.slug
        # Attention moves from the feet towards the head.
        assert text.index("feet") < text.index("pelvis") < text.index("head"), script.slug
        assert not re.search(r"\b(stand|standing|look around)\b", text, re.I), script.slug


def test_the_breathing_patterns_and_durations():
    breathing = load_breathing()
    assert breathing.durations_minutes == (3, 5, 10)
    assert breathing.default == "in-4-out-6"
    assert [(p.name, p.seconds) for p in breathing.default_pattern.phases] == [
        ("in", 4),
        ("out", 6),
    ]
    box = breathing.pattern("box-4")
    assert [p.name for p in box.phases] == ["in", "hold", "out", "hold"]
    assert box.cycle_seconds == 16
    assert box.note
    slugs = [pattern.slug for pattern in breathing.patterns]
    assert len(slugs) == len(set(slugs)) and "in-4-out-4" in slugs
    safety = " ".join(breathing.safety).lower()
    assert "light-headed" in safety and "natural breath" in safety
    assert breathing.opening and breathing.closing


def test_the_fantasy_prompts():
    prompts = load_prompts()
    assert len(prompts.prompts) >= 20
    slugs = [prompt.slug for prompt in prompts.prompts]
    assert len(slugs) == len(set(slugs))
    assert "no obligation" in prompts.no_obligation
    assert "never want in real life" in prompts.no_obligation
    assert "only" in prompts.privacy or "just for yourself" in prompts.privacy
    assert "adult" in prompts.care


def test_the_sensation_categories_and_their_safety_lines():
    sensations = load_sensations()
    assert tuple(category.slug for category in sensations.categories) == SENSATION_SLUGS
    for category in sensations.categories:
        assert 3 <= len(category.examples) <= 6
    lubricant = " ".join(sensations.category("lubricant").safety)
    assert "latex and polyisoprene" in lubricant and "Oil-based" in lubricant
    assert "silicone toys" in lubricant
    temperature = " ".join(sensations.category("temperature").safety)
    assert "inside of your wrist" in temperature and "mucous membranes" in temperature
    assert "flared base" in " ".join(sensations.category("toy").safety)


# --- Every word a person reads ----------------------------------------------------------------


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.name)
def test_no_shaming_words(path):
    found = []
    for where, text in strings(parsed(path)):
        found += [f"{where}: {problem}" for problem in shaming_words(text, path=path.name)]
    assert not found, "Pass/fail or shaming words:\n" + "\n".join(found)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.name)
def test_no_gendered_or_heteronormative_wording(path):
    found = [
        f"{where}: “{match.group(0)}” in: {text}"
        for where, text in strings(parsed(path))
        for match in GENDERED_RE.finditer(text)
    ]
    assert not found, "Wording that assumes a gender or a heterosexual default:\n" + "\n".join(
        found
    )


def test_nothing_a_solo_client_sees_uses_partner_wording():
    agenda = load_agenda()
    solo = [("intro_solo", agenda.intro_solo)]
    solo += [(f"after_solo[{n}]", line) for n, line in enumerate(agenda.after_solo)]
    for section in agenda.sections:
        solo.append((f"{section.slug}.question_solo", section.question_solo))
        # The hint and examples are shown in the solo check-in too.
        solo.append((f"{section.slug}.hint", section.hint))
        solo += [(f"{section.slug}.examples", example) for example in section.examples]
    found = [
        f"{where}: “{match.group(0)}” in: {text}"
        for where, text in solo
        for match in PARTNER_RE.finditer(text)
    ]
    assert not found, "Partner wording in the solo check-in:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("pattern", "bad", "fine"),
    [
        (PARTNER_RE, "What did your partner do?", "What did you do this hour?"),
        (PARTNER_RE, "Plan it together.", "Plan it gently."),
        (PARTNER_RE, "Talk with each other.", "Talk with your therapist."),
        (PARTNER_RE, "We could try.", "Weekly, you could try."),
        (PARTNER_RE, "Our week; both of us.", "Your usual week."),
        (GENDERED_RE, "Ask your husband.", "Ask the other person."),
        (GENDERED_RE, "If she wants to.", "If anyone wants to."),
        (GENDERED_RE, "Intercourse is not the goal.", "Penetration is not the goal."),
        (GENDERED_RE, "Tell your girlfriend.", "Tell them."),
    ],
)
def test_the_wording_checks_catch_what_they_look_for(pattern, bad, fine):
    assert pattern.search(bad), bad
    assert not pattern.search(fine), fine


# --- Broken files are refused, naming the file and the problem --------------------------------


def broken(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """A copy of SOURCE with OLD (found exactly once) replaced by NEW."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {source.name} exactly once"
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SLOW_KISSING_PROMPT = (
    'prompt = "What would make this feel relaxed rather than rushed for each of you?"\n'
)

BROKEN_COPIES: list[tuple[Callable[[Path], object], type[Exception], Path, str, str, str]] = [
    # (loader, error, source file, old text, new text, expected words in the message)
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        SLOW_KISSING_PROMPT,
        "",
        "item 'slow-kissing' in group 'affection-and-closeness': missing key(s): prompt",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        SLOW_KISSING_PROMPT,
        SLOW_KISSING_PROMPT.replace("prompt", "promt"),
        "missing key(s): prompt; unknown key(s): promt (allowed: slug, title, intensity, "
        "description, prompt)",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'slug = "holding-hands"',
        'slug = "long-hugs"',
        "'long-hugs' is already used in group 'affection-and-closeness'",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'slug = "slow-kissing"',
        'slug = "Slow_Kissing"',
        "'slug' is 'Slow_Kissing'",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'slug = "slow-kissing"\ntitle = "Slow kissing"\nintensity = "gentle"',
        'slug = "slow-kissing"\ntitle = "Slow kissing"\nintensity = "spicy"',
        "'intensity' is 'spicy'; it must be one of gentle, moderate, intimate",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'title = "Slow kissing"',
        f'title = "{"Slow kissing " * 7}"',
        "'title' is 90 characters; at most 80 allowed",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'description = "Holding hands at home, on a walk or out in public, wherever it feels '
        'comfortable and safe."',
        'description = """Holding hands at home,\non a walk."""',
        "item 'holding-hands' in group 'affection-and-closeness': 'description' must be one line",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        "version = 2",
        "version = 0",
        "'version' must be a whole number from 1",
    ),
    (
        load_catalogue,
        CatalogueError,
        CATALOGUE,
        'title = "Slow kissing"',
        'title = "Slow kissing',
        "is not valid TOML",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        "What is one kind thing you'd like to do for yourself next week?",
        "What is one kind thing you'd like to do for your partner next week?",
        "section 'kind-thing': 'question_solo': solo text must not presume a partner",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        '"Take a slow bath on Friday."',
        '"Take a slow bath together on Friday."',
        "section 'kind-thing': 'examples': solo text must not presume a partner",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        "Leave any question blank if you like. You can bring",
        "We can leave any question blank. You can bring",
        "intro_solo: solo text must not presume a partner",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        'slug = "a-worry"',
        'slug = "worry"',
        "must be, in this order: appreciation, what-felt-good, more-or-less, a-worry",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        '  "Take a slow bath on Friday.",\n',
        '  "Take a slow bath on Friday.",\n  "Go for a walk.",\n',
        "section 'kind-thing': 'examples' must be a list of 2 to 3 lines of text",
    ),
    (
        load_agenda,
        AgendaError,
        AGENDA,
        'question_solo = "What would you like to try in your practice time this week, and when '
        'might suit you?"\n',
        "",
        "section 'practice-plans': missing key(s): question_solo",
    ),
    (
        load_body_scans,
        GuideError,
        BODY_SCAN,
        '{ seconds = 10, text = "You can stop at any moment, and skip any part. That is always '
        'fine." }',
        '{ seconds = 15, text = "You can stop at any moment, and skip any part. That is always '
        'fine." }',
        "script 'body-scan-3': the cues add up to 185 seconds but the script is 3 minutes "
        "(180 seconds)",
    ),
    (
        load_body_scans,
        GuideError,
        BODY_SCAN,
        '{ seconds = 10, text = "You can stop at any moment, and skip any part. That is always '
        'fine." }',
        '{ seconds = 0, text = "You can stop at any moment, and skip any part. That is always '
        'fine." }',
        "script 'body-scan-3', cue 2 of 'cues': 'seconds' is 0; it must be a whole number "
        "from 5 to 120",
    ),
    (
        load_body_scans,
        GuideError,
        BODY_SCAN,
        'slug = "body-scan-10"',
        'slug = "body-scan-3"',
        "script 'body-scan-3': this script slug is used twice",
    ),
    (
        load_body_scans,
        GuideError,
        BODY_SCAN,
        "note = ",
        "notes = ",
        "the top level: missing key(s): note",
    ),
    (
        load_breathing,
        GuideError,
        BREATHING,
        '{ name = "hold", seconds = 4, cue = "Pause softly" },\n  { name = "out"',
        '{ name = "pause", seconds = 4, cue = "Pause softly" },\n  { name = "out"',
        "pattern 'box-4', phase 2: 'name' is 'pause'; it must be one of in, hold, out",
    ),
    (
        load_breathing,
        GuideError,
        BREATHING,
        'default = "in-4-out-6"',
        'default = "in-5-out-7"',
        "'default' is 'in-5-out-7', which is not one of the patterns",
    ),
    (
        load_breathing,
        GuideError,
        BREATHING,
        "durations_minutes = [3, 5, 10]",
        "durations_minutes = [5, 3, 10]",
        "'durations_minutes' must list whole numbers of minutes",
    ),
    (
        load_breathing,
        GuideError,
        BREATHING,
        '  { name = "in", seconds = 3, cue = "Breathe in" },\n',
        "",
        "pattern 'in-3-out-4': the first phase must be 'in'",
    ),
    (
        load_breathing,
        GuideError,
        BREATHING,
        '{ name = "out", seconds = 6, cue = "Breathe out" }',
        '{ name = "out", seconds = 60, cue = "Breathe out" }',
        "pattern 'in-4-out-6', phase 2: 'seconds' is 60; it must be a whole number from 1 to 10",
    ),
    (
        load_prompts,
        FantasyContentError,
        PROMPTS,
        'slug = "slowness"',
        'slug = "anticipation"',
        "prompt 'anticipation': this prompt slug is used twice",
    ),
    (
        load_prompts,
        FantasyContentError,
        PROMPTS,
        "no_obligation = ",
        "obligation = ",
        "the top level: missing key(s): no_obligation",
    ),
    (
        load_sensations,
        FantasyContentError,
        SENSATIONS,
        'slug = "toy"',
        'slug = "toys"',
        "missing the required categories: toy",
    ),
    (
        load_sensations,
        FantasyContentError,
        SENSATIONS,
        '  "A feather",\n  "Silk or satin",\n  "Velvet or faux fur",\n',
        "",
        "category 'texture': 'examples' must be a list of 3 to 6 lines of text",
    ),
    (
        load_sensations,
        FantasyContentError,
        SENSATIONS,
        'title = "Lubricant"',
        'title = "Lubricant"\nwarning = "Careful"',
        "category 'lubricant': unknown key(s): warning",
    ),
]


@pytest.mark.parametrize(
    ("loader", "error", "source", "old", "new", "expected"),
    BROKEN_COPIES,
    ids=[f"{case[0].__name__}: {case[5]}" for case in BROKEN_COPIES],
)
def test_a_broken_copy_is_refused_with_a_clear_message(
    tmp_path, loader, error, source, old, new, expected
):
    loader(source)  # the real file passes, so the one change below is what the loader refuses
    path = broken(tmp_path, source, old, new)
    with pytest.raises(error) as caught:
        loader(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert expected in message, message


def small_catalogue(groups: int, items_per_group: int) -> str:
    lines = ["version = 1"]
    for g in range(groups):
        lines += ["[[groups]]", f'slug = "group-{g}"', 'title = "A group"', 'description = "D"']
        for i in range(items_per_group):
            lines += [
                "[[groups.items]]",
                f'slug = "item-{g}-{i}"',
                'title = "An item"',
                'intensity = "gentle"',
                'description = "What it means."',
                'prompt = "A question?"',
            ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("groups", "items", "expected"),
    [
        (8, 9, "needs at least 80 items; found 72"),
        (7, 12, "needs at least 8 groups; found 7"),
    ],
)
def test_the_catalogue_minimums_are_enforced(tmp_path, groups, items, expected):
    path = written(tmp_path, "catalogue.toml", small_catalogue(groups, items))
    with pytest.raises(CatalogueError, match=re.escape(expected)):
        load_catalogue(path)
    assert load_catalogue(written(tmp_path, "ok.toml", small_catalogue(8, 10))).items


def test_too_few_prompts_are_refused(tmp_path):
    text = PROMPTS.read_text(encoding="utf-8")
    kept = text.split("\n[[prompts]]\n")[:6]  # the top level and five prompts
    path = written(tmp_path, "prompts.toml", "\n[[prompts]]\n".join(kept))
    with pytest.raises(FantasyContentError, match="there must be at least 20; found 5"):
        load_prompts(path)


@pytest.mark.parametrize(
    ("loader", "error"),
    [
        (load_catalogue, CatalogueError),
        (load_agenda, AgendaError),
        (load_body_scans, GuideError),
        (load_breathing, GuideError),
        (load_prompts, FantasyContentError),
        (load_sensations, FantasyContentError),
    ],
)
def test_a_missing_or_empty_file_is_refused(tmp_path, loader, error):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(error, match=re.escape(f"{missing}: the file: cannot be read")):
        loader(missing)
    empty = written(tmp_path, "empty.toml", "")
    with pytest.raises(error, match=r"empty\.toml: the top level: missing key\(s\): version"):
        loader(empty)
