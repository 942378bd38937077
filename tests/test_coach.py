"""The I-statement coach: blame patterns found, warm sentences left alone, the frame, the figures.

The rules need no database; nothing here is marked django_db.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interlude.coach.evaluate import DataError, evaluate, format_report, read_rows
from interlude.coach.rules import (
    FEELINGS,
    LEAD,
    MAX_CHARS,
    PATTERNS,
    analyse,
    assemble,
    feeling_words,
)
from interlude.coach.text import LONGEST_SENTENCE
from tests.test_language import shaming_words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "interlude" / "coach" / "data"
LABELLED = DATA / "labelled.jsonl"
HELDOUT = DATA / "heldout.jsonl"


def found(text: str) -> set[str]:
    return set(analyse(text).patterns)


# --- The sentence sets --------------------------------------------------------------------------


def test_it_meets_precision_and_recall_on_the_labelled_set():
    overall = evaluate(read_rows(LABELLED)).overall
    assert overall.precision is not None and overall.precision >= 0.90
    assert overall.recall is not None and overall.recall >= 0.90


@pytest.mark.parametrize(
    "path, at_least", [(LABELLED, 250), (HELDOUT, 80)], ids=["labelled", "heldout"]
)
def test_it_ships_balanced_sets_with_known_pattern_ids(path, at_least):
    rows = read_rows(path)
    assert len(rows) >= at_least
    share = sum(row["blame"] for row in rows) / len(rows)
    assert 0.4 <= share <= 0.6
    for row in rows:
        assert (row["pattern"] in PATTERNS) if row["blame"] else row["pattern"] is None


def test_it_keeps_the_held_out_set_apart_from_the_labelled_set():
    def texts(path: Path) -> set[str]:
        return {str(row["text"]).lower() for row in read_rows(path)}

    assert not texts(LABELLED) & texts(HELDOUT)


def test_it_labels_every_pattern_in_the_labelled_set_at_least_ten_times():
    patterns = evaluate(read_rows(LABELLED)).patterns
    assert {p.pattern for p in patterns if p.labelled >= 10} == set(PATTERNS)


# --- Each pattern, in sentences that appear in no data file -------------------------------------

PATTERN_EXAMPLES = {
    "absolute": [
        "You never ask me how I'm feeling.",
        "you ALWAYS cancel on me at the last minute",
        "Every time I try to talk about sex, you pick up your phone.",
        "Not once have you said sorry first.",
        "You’re constantly busy when I need you.",
        "Not a single time have you thanked me for cooking.",
        "We sat down to eat and you never even looked up.",
    ],
    "accusation": [
        "You make me feel like a nuisance.",
        "It’s your fault we argued all weekend.",
        "You only think about your own needs.",
        "You ruined our anniversary.",
        "You drive me mad with the constant messages.",
    ],
    "label": [
        "You're so inconsiderate.",
        "You are such a child sometimes.",
        "You’re being incredibly stubborn.",
        "Honestly you’re a terrible cook and a worse listener.",
        "You've become so cold.",
        "your so selfish",
        "What is wrong with you?",
    ],
    "why_question": [
        "Why can't you ever just hug me?",
        "Why won't you tell me what's wrong?",
        "Why do you always sigh when I ask for help?",
        "How come you never say goodnight?",
        "Why don't you just admit it?",
        "Would it kill you to say thank you?",
        "Is it too much to ask for a kiss goodbye?",
    ],
    "demand": [
        "You need to stop sulking.",
        "You should take me out more.",
        "You'd better call me tonight.",
        "You have to let me finish my sentences.",
        "You should have asked me first.",
        "Oh, just grow up.",
    ],
    "feeling_judgement": [
        "I feel that you never take me seriously.",
        "I feel like you're hiding your phone from me.",
        "I feel you don't want to be close to me.",
        "It feels like you're punishing me for saying no.",
        "I felt like you were ignoring me all evening.",
    ],
    "comparison": [
        "My ex was so much more romantic than you.",
        "Other couples manage to go away for a weekend.",
        "Why can't you be more like my cousin's wife?",
        "Everyone else's partner makes an effort on birthdays.",
        "My friend's boyfriend would never forget her birthday.",
        "Even my brother does more around the house than you.",
    ],
    "sarcasm": [
        "Oh great, you're late again.",
        "Thanks a lot for leaving me to tidy up.",
        "Wow, nice of you to finally text back.",
        "As if you'd ever notice.",
        "Sure you were working late.",
        "Thanks for calling, only three hours after you said you would.",
    ],
    "mind_reading": [
        "You don't care how I feel.",
        "You just want to win the argument.",
        "You obviously don't want to be with me.",
        "You're doing it on purpose to annoy me.",
        "You couldn't care less about my day.",
        "Do you even care?",
    ],
}


@pytest.mark.parametrize(
    "pattern, text",
    [(p, t) for p, texts in PATTERN_EXAMPLES.items() for t in texts],
    ids=lambda value: value if len(value) < 20 else value[:40],
)
def test_it_finds_each_pattern(pattern, text):
    analysis = analyse(text)
    assert analysis.blame
    assert pattern in analysis.patterns, f"found {sorted(analysis.patterns)}"


def test_it_covers_every_pattern_in_its_inline_examples():
    assert set(PATTERN_EXAMPLES) == set(PATTERNS)


# --- Sentences that must not be flagged, by family ----------------------------------------------

HARD_NEGATIVES = {
    "positive absolutes": [
        "I always feel close to you when we walk by the sea.",
        "You make me laugh.",
        "You always know how to cheer me up.",
        "You never fail to make me smile.",
        "You never make me feel silly for asking.",
        "Every time you kiss my neck I go weak at the knees.",
        "You constantly find little ways to show me you care.",
        "You're never too busy for me.",
        "You can always tell me no.",
    ],
    "the speaker as subject": [
        "I never know what to say when things get tense.",
        "I always get quiet when I'm nervous.",
        "I'm such a worrier, and I'd like to practise saying things sooner.",
    ],
    "real feelings": [
        "I feel hurt when our plans change without a message.",
        "I feel like going for a walk.",
        "I feel like we're both tired this month.",
        "I feel like you get me.",
        "I feel lonely when we go to bed at different times, and I'd like us to go up together.",
    ],
    "requests": [
        "I'd like us to make Saturday mornings ours.",
        "Would you be willing to try the breathing exercise with me?",
        "Could we take turns choosing what we do in bed?",
        "Why don't we go for a walk after dinner?",
    ],
    "boundaries, which are always fine to say": [
        "Please stop touching me there, it hurts.",
        "Stop, I need a break.",
        "Let's both calm down and try again tomorrow.",
    ],
    "thanks": [
        "Thank you for listening.",
        "Thanks a lot for booking the restaurant, it was perfect.",
        "That was so thoughtful of you.",
        "You made me tea on Tuesday without me asking.",
        "You cleaned up after dinner without being asked.",
    ],
    "negation and hedges": [
        "I don't think you're selfish at all.",
        "It's not that you never help; I'd like us to plan together.",
        "You don't have to be in the mood for a cuddle.",
        "You don't need to apologise.",
        "You should know how much you mean to me.",
        "Maybe you're exhausted after this week.",
        "It's not your fault that I get anxious.",
    ],
    "others, without comparing": [
        "My ex and I never talked about this, and I want us to.",
        "Lots of other couples go through this too.",
        "I love you more than you know.",
        "My ex used to criticise my body, so compliments are hard for me to hear.",
    ],
    "reported speech and quoted words": [
        "You told me I always change the subject, and I'm working on it.",
        "You said you never felt listened to growing up.",
        "When you called me clingy, I felt small.",
        "Yesterday I said “you never help” and I'm sorry, that wasn't fair.",
        "I once told you that you were lazy, and I was wrong.",
    ],
}


@pytest.mark.parametrize(
    "text",
    [t for texts in HARD_NEGATIVES.values() for t in texts],
    ids=lambda value: value[:40],
)
def test_it_leaves_warm_and_honest_sentences_alone(text):
    analysis = analyse(text)
    assert not analysis.blame, f"found {sorted(analysis.patterns)}"


# --- What a finding looks like -------------------------------------------------------------------


def test_it_points_at_the_words_as_written_with_curly_apostrophes():
    text = "Honestly? You’re so selfish."
    (finding,) = analyse(text).findings
    assert finding.pattern == "label"
    assert [text[start:end] for start, end in finding.spans] == ["You’re so selfish"]


def test_it_reads_each_sentence_of_a_longer_draft():
    text = "I love our Sundays. But you never plan anything. Why can't you help?"
    analysis = analyse(text)
    assert [f.pattern for f in analysis.findings] == ["absolute", "why_question"]
    assert [text[s:e] for s, e in analysis.findings[0].spans] == ["you never"]
    assert [text[s:e] for s, e in analysis.findings[1].spans] == ["Why can't you"]


def test_it_finds_nothing_in_an_empty_draft():
    assert analyse("").findings == ()
    assert not analyse("   \n ").blame


@pytest.mark.parametrize(
    "draft", ["oh great, " * 2000, "you always " * 2000, "I feel like you " * 1000]
)
def test_it_reads_a_pasted_wall_of_text_quickly(draft):
    # Unbounded, these took from 5 to 85 seconds: each rule rescans the sentence before a match.
    started = time.perf_counter()
    analysis = analyse(draft)
    assert time.perf_counter() - started < 5
    assert all(end - start <= LONGEST_SENTENCE for f in analysis.findings for start, end in f.spans)


def test_it_reads_only_the_start_of_a_very_long_draft():
    draft = "I'd like a hug. " * (MAX_CHARS // 16) + "You never listen."
    assert not analyse(draft).blame
    assert analyse("You never listen. " + draft).blame


def test_it_gives_the_same_answer_every_time():
    text = "You always interrupt me. You're so rude!"
    assert analyse(text) == analyse(text)


def test_it_reframes_never_as_what_is_missing_now():
    (finding,) = analyse("You never listen to me.").findings
    assert finding.reframe == (
        "I feel … when I'm talking and it seems you aren't listening, and I'd like …"
    )


def test_it_reframes_with_the_clients_own_words():
    assert analyse("You always leave the dishes for me.").findings[0].reframe == (
        "I feel … when you leave the dishes for me, and I'd like …"
    )
    assert analyse("You make me feel invisible at parties.").findings[0].reframe == (
        "I feel invisible when we're at parties, and I'd like …"
    )
    assert analyse("You need to start making more effort.").findings[0].reframe == (
        "I feel … when …, and I'd like you to start making more effort."
    )
    assert analyse("Why won't you talk to me about sex?").findings[0].reframe == (
        "I feel … when …, and I'd like you to talk to me about sex."
    )


def test_it_offers_mind_reading_back_as_the_speakers_worry():
    (finding,) = analyse("You don't care about me at all.").findings
    assert finding.reframe.endswith("“I start to worry that you don't care about me.”")


def test_it_writes_gently_in_titles_explanations_and_feelings():
    written = [LEAD, *feeling_words(), *(group.name for group in FEELINGS)]
    for pattern in PATTERNS.values():
        written += [pattern.title, pattern.explanation]
    text = "\n".join(written)
    assert shaming_words(text) == []
    assert not re.search(r"\b(?:wrong|fix|fail\w*|should\w*|missed)\b", text, re.IGNORECASE)


def test_it_writes_gently_in_every_reframe_it_builds():
    # A reframe may repeat the client's own words; only words the coach added are checked.
    for row in read_rows(LABELLED):
        client = str(row["text"]).lower()
        for finding in analyse(str(row["text"])).findings:
            own = [
                w
                for w in shaming_words(finding.reframe)
                if w.split("“")[1].split("”")[0].lower() not in client
            ]
            assert own == [], finding.reframe


# --- The frame -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "feeling, situation, wish, expected",
    [
        (
            "hurt",
            "plans change",
            "us to text",
            "I feel hurt when plans change, and I'd like us to text.",
        ),
        (
            "Lonely.",
            "We eat apart.",
            "Us to talk at dinner.",
            "I feel lonely when we eat apart, and I'd like us to talk at dinner.",
        ),
        (
            "I feel anxious",
            "when sex comes up suddenly",
            "I'd like some warning",
            "I feel anxious when sex comes up suddenly, and I'd like some warning.",
        ),
        (
            "  unsure  ",
            "  I'm   not sure what you want ",
            " to ask you. ",
            "I feel unsure when I'm not sure what you want, and I'd like to ask you.",
        ),
        ("hopeful", "we talk like this", "", "I feel hopeful when we talk like this."),
        ("sad", "", "a hug", "I feel sad, and I'd like a hug."),
        ("", "you come home late", "a text", "When you come home late, I'd like a text."),
        ("close", "", "", "I feel close."),
        ("", "", "to try again on Sunday", "I'd like to try again on Sunday."),
        ("", "", "", ""),
        (
            "nervous",
            "we try something new",
            "to go slowly?",
            "I feel nervous when we try something new, and I'd like to go slowly?",
        ),
        (
            "tired",
            "Monday evenings get busy",
            "a quiet night",
            "I feel tired when Monday evenings get busy, and I'd like a quiet night.",
        ),
        ("unsure", "GP appointments come up", "", "I feel unsure when GP appointments come up."),
    ],
)
def test_it_assembles_the_frame_tidily(feeling, situation, wish, expected):
    assert assemble(feeling, situation, wish) == expected


def test_it_offers_feelings_in_gentle_groups():
    words = feeling_words()
    assert len(words) == len(set(words))
    assert all(group.words for group in FEELINGS)
    for word in [
        "hurt",
        "lonely",
        "anxious",
        "unsure",
        "frustrated",
        "sad",
        "overlooked",
        "hopeful",
        "close",
    ]:
        assert word in words


# --- The figures and the command -----------------------------------------------------------------


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


MIXED = [
    {"text": "You never listen.", "blame": True, "pattern": "absolute"},
    {"text": "You're so selfish.", "blame": True, "pattern": "label"},
    {"text": "Thank you for listening.", "blame": True, "pattern": "sarcasm"},
    {"text": "You always interrupt me.", "blame": False},
    {"text": "I'd like a hug.", "blame": False, "pattern": None},
]


def test_it_computes_overall_and_per_pattern_figures():
    report = evaluate(MIXED)
    assert (report.rows, report.blame_rows) == (5, 3)
    assert report.overall.precision == pytest.approx(2 / 3)
    assert report.overall.recall == pytest.approx(2 / 3)
    assert report.overall.f1 == pytest.approx(2 / 3)
    by_id = {p.pattern: p for p in report.patterns}
    assert by_id["label"].recall == 1.0 and by_id["label"].precision == 1.0
    assert by_id["sarcasm"].recall == 0.0 and by_id["sarcasm"].precision is None
    assert by_id["absolute"].recall == 1.0 and by_id["absolute"].precision == pytest.approx(1 / 2)
    assert [m.text for m in report.mistakes] == [
        "Thank you for listening.",
        "You always interrupt me.",
    ]


def test_it_formats_the_report_for_people():
    text = format_report(evaluate(MIXED), mistakes=True)
    assert "precision  0.667   recall  0.667   F1  0.667" in text
    assert re.search(r"absolute\s+1\s+2\s+1\.000\s+0\.500\s+0\.667", text)
    assert "expected sarcasm; found nothing: Thank you for listening." in text


def test_the_command_prints_figures_overall_and_per_pattern(tmp_path):
    out = io.StringIO()
    call_command("coach_evaluate", str(write_rows(tmp_path / "rows.jsonl", MIXED)), stdout=out)
    printed = out.getvalue()
    assert "5 sentences, 3 labelled as blame." in printed
    assert "precision  0.667   recall  0.667   F1  0.667" in printed
    for pattern in ("absolute", "label", "sarcasm"):
        assert re.search(rf"^\s+{pattern}\s", printed, re.MULTILINE)
    assert "Disagreements" not in printed


def test_the_command_reads_rows_without_a_pattern(tmp_path):
    path = write_rows(tmp_path / "plain.jsonl", [{"text": "You never help.", "blame": True}])
    out = io.StringIO()
    call_command("coach_evaluate", str(path), "--mistakes", stdout=out)
    assert "precision  1.000   recall  1.000" in out.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"text": "Hi", "blame": false}\n\n{"text": "Oops", blame: true}\n',
            "line 3: not valid JSON",
        ),
        ('{"text": "Hi", "blame": false}\n["a list"]\n', "line 2: expected an object"),
        ('{"text": "Hi"}\n', 'line 1: "blame" is missing or is not true or false'),
        ('{"text": "Hi", "blame": "yes"}\n', 'line 1: "blame" is missing or is not true or false'),
        ('{"text": "", "blame": true}\n', 'line 1: "text" is missing'),
        ('{"text": "Hi", "blame": true, "pattern": 3}\n', 'line 1: "pattern" is not a pattern id'),
        ("\n\n", "has no sentences in it"),
    ],
)
def test_the_command_names_the_bad_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("coach_evaluate", str(path), stdout=io.StringIO())


def test_the_command_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No file at .*nowhere.jsonl"):
        call_command("coach_evaluate", str(tmp_path / "nowhere.jsonl"), stdout=io.StringIO())
    with pytest.raises(DataError, match="is a folder"):
        read_rows(tmp_path)


def test_the_command_exits_non_zero_on_bad_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "coach_evaluate", str(tmp_path / "nowhere.jsonl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"INTERLUDE_ENV": "test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "No file at" in result.stderr
