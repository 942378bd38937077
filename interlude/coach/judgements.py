"""Detectors for claims about who the partner is and what they think: labels, mind-reading.

Like `claims`, each rule asks whether the partner is the subject, whether what is said is
critical, and whether the speaker is claiming it now.
"""

from __future__ import annotations

import re

from interlude.coach.frame import as_worry
from interlude.coach.hit import Hit
from interlude.coach.lexicon import LABEL_ADJECTIVES, LABEL_NOUNS
from interlude.coach.text import (
    INVERTED,
    PARTNER,
    YOU,
    Sentence,
    is_quiet,
    is_subordinate,
    polarity,
    predicate_after,
    rx,
)

# --- Labels
_LABEL = rx(
    r"(?<![\w'])(?P<subj>{youre}|(?:your|ur)(?={s}(?:so|such|being|really|just|a|an|the|always"
    r"|acting|totally|completely|very|too)\b)|\b(?:stop|quit){s}being|{you}{s}(?:were|was|seem|seemed|sound|sounded|act|acted|acting"
    r"|behave|behaved|behaving|become|became|get|got|can{s}be|could{s}be|turned{s}into)"
    r"|{youve}(?:{s}always)?{s}(?:been|become|gotten|got|turned{s}into)|"
    + PARTNER
    + r"(?:'s|{s}is|{s}was|{s}has{s}been|{s}can{s}be))"
    r"(?P<fill>(?:{s}(?:so|such|really|just|being|acting|behaving|completely|totally|utterly"
    r"|incredibly|unbelievably|extremely|very|pretty|quite|too|always|constantly|a|an|the|most"
    r"|biggest|like|kind{s}of|sort{s}of|a{s}bit|a{s}little|little|one{s}of{s}the|more|even"
    r"|honestly|seriously|literally|actually|absolute|complete|real|total|proper|emotionally"
    r"|sexually|ridiculously|such{s}a|bloody|damn|fucking|just{s}so|becoming|turning{s}into"
    r"|like{s}a))*){s}"
    r"(?P<label>"
    + LABEL_ADJECTIVES
    + "|"
    + LABEL_NOUNS
    + r"|laziest|meanest|rudest|coldest|dullest|dumbest|cruell?est|stingiest|worst)s?(?![\w'-])"
)


_WRONG_WITH_YOU = rx(
    r"\bwhat(?:'?s|{s}is|{s}the{s}hell{s}is|{s}on{s}earth{s}is){s}wrong{s}with{s}(?:you|u)\b"
    r"|\bsomething'?s{s}wrong{s}with{s}(?:you|u)\b|\bthere'?s{s}something{s}wrong{s}with{s}(?:you|u)\b"
)
_HOW_LABEL = rx(
    r"\bhow{s}(?:so{s}|really{s}|very{s})?(?:"
    + LABEL_ADJECTIVES
    + r"){s}{you}(?:'re|{s}are|{s}were"
    r"|{s}can{s}be|{s}sound|{s}look|'ve{s}been|{s}have{s}been)"
)


def labels(sentence: Sentence) -> list[Hit]:
    """ "You're selfish", "you're such a nag", "you're acting like a child"."""
    hits = []
    text = sentence.text
    for m in _LABEL.finditer(text):
        if is_quiet(sentence, m.start()):
            continue
        if re.match(r"\s+about\s+(?:me|us|you|it|this)\b", text[m.end() :]) and m.group(
            "label"
        ) in (
            "crazy",
            "insane",
        ):
            continue
        if re.search(r"\bif\b[^,]*$", text[: m.start()]):
            continue
        hits.append(Hit("label", sentence.absolute(m.start(), m.end())))
    for m in _WRONG_WITH_YOU.finditer(text):
        if not is_quiet(sentence, m.start()):
            hits.append(Hit("label", sentence.absolute(m.start(), m.end())))
    for m in _HOW_LABEL.finditer(text):
        if not is_quiet(sentence, m.start()):
            hits.append(Hit("label", sentence.absolute(m.start(), m.end())))
    return hits


# --- Mind-reading
_DONT_FEEL = rx(
    r"(?<![\w'])(?P<t>{you}{s}(?:{dont}|{didnt}|{doesnt}|never|no{s}longer)"
    r"(?:{s}(?:even|really|actually|ever|honestly|seem{w}{s}to|care{s}to))*"
    r"{s}(?P<v>care|love|respect|trust|value|fancy|desire|miss|appreciate|mean|give{s}a{s}\w+"
    r"|want|like|find|see|notice|enjoy|think{s}about|understand|feel|wanna))\b"
)
_OBJECT_BOUND = {"want", "like", "find", "see", "notice", "enjoy", "understand", "feel", "wanna"}
_ABOUT_US = re.compile(
    r"^\s*(?:me|us|my|our|being{s}with|sex|intimacy|to\b|what\s+i|how\s+i|anything\s+(?:i|with)"
    r"|spending|time\s+with|it\b|that\b|this\b|about\s+(?:me|us|my|our|how|what))"
)
_ADVERB = rx(
    r"(?<![\w'])(?P<t>{you}(?:'re|{s}are|'ve|{s}have)?{s}(?P<adv>obviously|clearly|evidently"
    r"|secretly|just|only|really)(?:{s}(?:don't|do{s}not|never|didn't))?"
    r"(?:{s}(?P<v>want|wants|wanted|need|needs|care{s}about|use|using|see{s}me{s}as"
    r"|say{s}(?:that|it|so|sorry)|said{s}(?:that|it|so|sorry)|do{s}(?:it|that|this)"
    r"|did{s}(?:it|that|this)|doing{s}(?:it|that|this)|think|thinks|love|like|find|tolerate"
    r"|put{s}up{s}with))?)\b"
)
_MOTIVE = rx(
    r"(?<![\w']){you}{s}(?:only|just){s}[a-z]+\b[^,.;!?]*?\b(?:when|because|so{s}(?:that{s})?|to"
    r"{s}get|to{s}make|if){s}(?:{you}{s}(?:want|need|feel{s}guilty|have{s}to|get|can)|i'?ll|i{s}will"
    r"|i{s}stop|i{s}drop|i{s}leave|i{s}shut|i'?d)"
)
_PURPOSE = rx(
    r"\b(?:on{s}purpose|deliberately|intentionally|to{s}(?:hurt|punish|spite|annoy|upset|provoke"
    r"|get{s}back{s}at|humiliate|wind{s}me{s}up)\b|just{s}to{s}(?:hurt|annoy|upset|get|make))"
)
_TRYING = rx(r"(?<![\w']){youre}{s}(?:just{s}|only{s}|clearly{s}|obviously{s})?trying{s}to\b")
_TRYING_BAD = re.compile(
    r"^\s*(?:make\s+me|get\s+out|avoid|control|shut\s+me|guilt|wind\s+me|provoke|manipulat"
    r"|get\s+rid|get\s+back|prove|win|change\s+the\s+subject|punish|hurt|annoy|upset|humiliat)"
)
_COULDNT_CARE = rx(r"(?<![\w']){you}{s}(?:{couldnt}|could){s}care{s}less\b")
_THINK = rx(
    r"(?<![\w'])(?P<t>{you}{s}(?:probably{s}|must{s}|obviously{s}|clearly{s}|just{s}|honestly{s}"
    r"|really{s}|secretly{s})?(?:think|thinks|believe|assume|reckon)){s}(?:that{s})?"
    r"(?=i'?m\b|i{s}|my\b|we\b|it'?s{s}(?:my|me))"
)
_DEEP_DOWN = rx(r"\b(?:deep{s}down|secretly|underneath{s}it{s}all),?{s}(?P<you>{you})\b")
_RATHER = rx(r"(?<![\w']){youd}{s}(?:much{s}|clearly{s}|obviously{s}|probably{s})?rather\b")
_PRETENDING = rx(
    r"(?<![\w']){youre}{s}(?:(?:just|only){s}(?:saying|doing|humou?ring|placating|pretending)"
    r"|pretending|faking|putting{s}it{s}on)\b"
)
_NOT_INTO = rx(
    r"(?<![\w']){youre}{s}(?:not|no{s}longer)(?:{s}(?:even|really))?{s}(?:attracted|interested"
    r"|into{s}me|in{s}love|happy{s}with{s}me)(?={s}(?:to|in|with|me|by){s}(?:me|us|sex|being|my"
    r"|our|this|anything|what)\b|{s}(?:anymore|any{s}more)\b|[.,;!?]|$)"
)
_BORED = rx(
    r"(?<![\w']){youre}(?:{s}(?:just|clearly|obviously|so))?{s}(?:bored|tired|sick|fed{s}up)"
    r"{s}(?:of|with){s}(?:me|us|this{s}relationship|being{s}with)"
)
_GAVE_UP = rx(
    r"(?<![\w']){youve}(?:{s}(?:clearly|obviously|just))?{s}(?:stopped{s}(?:caring|loving|wanting"
    r"|trying|fancying|finding)|lost{s}interest|fallen{s}out{s}of{s}love|given{s}up{s}on)\b"
)
_CLAUSE_STOP = re.compile(r"[,.;!?—]")
_ONLY_IN_IT = rx(
    r"(?<![\w']){youre}{s}(?:only|just){s}(?:interested{s}in|in{s}it{s}for|with{s}me{s}(?:for|because)"
    r"|here{s}(?:for|because)|nice{s}(?:to{s}me{s})?(?:when|because))\b"
)
_SELF_IMAGE = rx(
    r"(?<![\w']){you}{s}(?:really{s}|honestly{s}|actually{s})?(?:think|thinks|reckon|believe)"
    r"{s}(?:that{s})?{youre}{s}(?:always{s})?(?:right|better|perfect|never{s}wrong|smarter|above"
    r"|the{s}only|so{s}(?:great|clever|smart|special|perfect))"
)
_NO_IDEA = rx(
    r"(?<![\w']){you}(?:{s}(?:just|really|clearly|obviously))?{s}(?:(?:have|'ve){s}no{s}idea|(?:{dont}"
    r"|{didnt}|never|{cant})(?:{s}(?:even|really|ever))*{s}(?:get{s}it|understand|get{s}me|see{s}it))"
    r"(?=\s*(?:[,.;!?]|$|\s(?:how|what|at{s}all|anything|me)\b))"
)
_EVEN = rx(
    r"\b(?:do|did|does|are|were|have|would|will|can){s}(?:you|u){s}(?:ever{s})?even{s}(?:care|love"
    r"|want|like|listen|notice|know|hear|remember|think|try|mind|see|miss|fancy)[a-z]*\b"
)
_QUESTION_TAIL = re.compile(r"\?\s*[\"')]*\s*$")


def mind_readings(sentence: Sentence) -> list[Hit]:
    """ "You don't care", "you just want…", "you're doing it on purpose", "you think I'm…"."""
    hits = []
    text = sentence.text

    def worry_from(start: int) -> str:
        end = predicate_after(text, start)[1]
        if end < len(text) and re.match(r"\s*(?:when|because|so|to|about|than)\b", text[end:]):
            stop = _CLAUSE_STOP.search(text, end)
            end = stop.start() if stop else len(text)
        return as_worry(sentence.words(start, end))

    def add(start: int, end: int, worry_start: int | None = None) -> None:
        worry = worry_from(start if worry_start is None else worry_start)
        hits.append(Hit("mind_reading", sentence.absolute(start, end), worry=worry))

    def claimed(pos: int) -> bool:
        return not (is_quiet(sentence, pos) or is_subordinate(sentence, pos))

    for m in _DONT_FEEL.finditer(text):
        rest = text[m.end() :]
        verb = m.group("v")
        if not claimed(m.start()):
            continue
        if verb == "care" and re.match(r"\s+for\s+(?!me\b|us\b|my\b|our\b)", rest):
            continue  # "you don't care for spicy food" is a taste, not a verdict
        if verb in _OBJECT_BOUND and not _ABOUT_US.match(rest):
            continue
        if polarity(rest[: predicate_after(rest, 0)[1]]) >= 0:
            add(m.start(), m.end())
    for m in _ADVERB.finditer(text):
        adv, verb = m.group("adv"), m.group("v")
        if not claimed(m.start()) or (adv in ("just", "only", "really") and not verb):
            continue
        if adv == "really" and not re.search(r"don't|not|never|didn't", m.group(0)):
            continue
        pred = predicate_after(text, m.end("adv"))
        if polarity(text[pred[0] : pred[1]]) <= 0:
            add(m.start(), m.end())
    for pattern in (
        _MOTIVE,
        _COULDNT_CARE,
        _PRETENDING,
        _NOT_INTO,
        _BORED,
        _GAVE_UP,
        _ONLY_IN_IT,
        _SELF_IMAGE,
        _NO_IDEA,
        _EVEN,
    ):
        for m in pattern.finditer(text):
            if claimed(m.start()):
                add(m.start(), m.end())
    for m in _PURPOSE.finditer(text):
        head = text[: m.start()]
        you = list(YOU.finditer(head))
        if not you or is_quiet(sentence, m.start()):
            continue
        between = head[you[-1].start() :]
        if re.search(r"n't|\bnot\b|\bnever\b|\bi\b|\bi'", between):
            continue  # negated, or the speaker is the one acting ("I worry I've upset you")
        if re.match(r"\s*(?:you|u)\b", text[m.end() :]):
            continue
        add(you[-1].start(), m.end())
    for m in _TRYING.finditer(text):
        rest = text[m.end() :]
        if claimed(m.start()) and (_TRYING_BAD.match(rest) or polarity(rest) < 0):
            add(m.start(), m.end())
    for m in _THINK.finditer(text):
        if INVERTED.search(text[: m.start()]) or not claimed(m.start()):
            continue
        if polarity(text[m.end() : predicate_after(text, m.end())[1]]) <= 0:
            add(m.start(), m.end("t"))
    for m in _DEEP_DOWN.finditer(text):
        if claimed(m.start()) and polarity(text[m.end() :]) <= 0:
            add(m.start(), m.end(), worry_start=m.start("you"))
    for m in _RATHER.finditer(text):
        if claimed(m.start()) and not _QUESTION_TAIL.search(text):
            add(m.start(), m.end())
    return hits
