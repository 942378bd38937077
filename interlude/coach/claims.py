"""Detectors for claims about what the partner does: absolutes and accusations.

Each detector reads one sentence and returns the hits it is confident about. The questions
every rule asks are the same: is the partner the subject, is what is said about them critical
or painful (see `text.polarity`), and is it a claim the speaker is making now (not quoted,
negated, reported, or a condition)?
"""

from __future__ import annotations

import re

from interlude.coach.frame import not_doing, without_fillers
from interlude.coach.hit import Hit
from interlude.coach.lexicon import FELT, NEGATIVE
from interlude.coach.text import (
    INVERTED,
    PARTNER,
    YOU,
    Sentence,
    is_praise_frame,
    is_quiet,
    is_subordinate,
    polarity,
    predicate_after,
    rx,
    situation_after,
)

_ABSOLUTE = rx(
    r"(?<![\w'])(?P<subj>{you}|" + PARTNER + r")(?P<aux>'re|'ve|'d|'ll|'s|re|ve)?"
    r"(?P<fill>(?:{s}(?:are|is|have|has|had|would|will|can|do|does|did|just|really|still|also"
    r"|pretty{s}much|almost|literally|basically|honestly|seriously|seem{w}{s}to|ever))*)"
    r"{s}(?P<adv>always|never|constantly|continually|continuously|perpetually|forever|not{s}once"
    r"|only{s}ever"
    r"|(?:{dont}|{didnt}|{doesnt}){s}ever)\b(?P<once>(?:,?{s}(?:once|ever|never|always))*)"
)
_NOT_ONCE = rx(
    r"\bnot{s}(?:once|even{s}once|(?:one|a){s}(?:single{s})?time)\b[^,.;!?]*?\b(?:have|has|did|do|does|had){s}{you}\b"
)
_EVERY_TIME = rx(
    r"\bevery{s}(?:single{s})?(?:time|night|day|morning|evening|weekend|week)\b(?:{s}that)?"
)
_ALL_THE_TIME = rx(
    r"(?<![\w'])(?P<subj>{you})(?P<aux>'re|{s}are)?{s}(?P<pred>[^,.;!?]+?){s}all{s}the{s}time\b"
)
_ALWAYS_ME = rx(
    r"\b(?:it'?s{s}always{s}me{s}(?:who|that)|i'?m{s}always{s}the{s}one{s}(?:who|that){s}(?:has"
    r"|have|ends{s}up|gets{s}stuck)|i{s}(?:always|constantly){s}have{s}to{s}(?:be{s}the{s}one|remind"
    r"{s}you|ask{s}you|tell{s}you|beg|do{s}everything|do{s}it{s}all|chase{s}you))\b"
)
_EVERYTHING = rx(
    r"(?<![\w'])(?P<subj>{you})(?:{s}(?:always|just|literally))?{s}(?P<pred>[a-z']+{s}(?:everything"
    r"|every{s}single{s}thing|anything{s}i{s}(?:say|do|suggest))\b[^,.;!?]*)"
)
_AGAIN = rx(
    r"(?<![\w'])(?P<subj>{you})(?:'re|'ve|{s}are|{s}have)?{s}(?P<pred>[^,.;!?]{1,40}?){s}"
    r"(?:again|yet{s}again|as{s}usual)\b"
)
_WHY = re.compile(r"\b(?:why|how\s+come)\b")
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|with|for|at|about|from|of|without|than|like|near|on|around|behind|beside|by|love"
    r"|miss|want|need|see|thank|tell|told|ask|asked|kiss|hug|touch|hold|call|text|help|show"
    r"|give|trust|believe|know|understand|hear|remind)\s+$"
)
_OBJECT_AFTER = re.compile(
    r"^(?:'re|'ve|'d|'ll)?\s*(?:(?:about|to|for|with|a|an|the|that|this|it|how|what|if|whether|and"
    r"|or|out|in|on|up|so|too|more|again|back|first|now)\b|[,.;:!?—]|$)"
)
_NEVER_INVERTS = re.compile(
    r"^(?:fail|forget|neglect|stop|cease)(?:s|ed|ped|ping|ting)?\b\s*(?:to\s+)?"
)
_NEVER_IDIOM = re.compile(
    r"^(?:have|has|need|needs|had|needed)\s+to\b|^know\s*$|^know\s+(?:what|when|who|how)\s+\S+\s+"
    r"(?:might|could|will|may|is\s+going)\b|^(?:can|could)\s+(?:tell|be\s+too)\b"
)
_LEADING = re.compile(r"^(?:once|ever|really|even|just|seem\w*\s+to)\s+")


def _is_subject(sentence: Sentence, start: int, end: int) -> bool:
    """Whether the "you" at start..end is doing something rather than having it done to them."""
    return not _OBJECT_BEFORE.search(sentence.text[:start]) and not _OBJECT_AFTER.match(
        sentence.text[end:].lstrip()
    )


def _absolute_blames(kind: str, predicate: str) -> bool:
    """Whether "always/never + predicate" criticises: never-good and always-bad do."""
    predicate = _LEADING.sub("", predicate.strip())
    emphatic = False
    while True:
        inverted = _NEVER_INVERTS.match(predicate)
        if not inverted or not predicate[inverted.end() :].strip():
            break
        # "never fail to make me smile" is "always make me smile".
        kind = "always" if kind == "never" else "never"
        emphatic = kind == "always"
        predicate = predicate[inverted.end() :]
    if not predicate.strip():
        return False
    sign = polarity(predicate)
    if kind == "never":
        return sign >= 0 and not _NEVER_IDIOM.match(predicate)
    # "You never forget to…" is how people praise; only something painful after it is blame.
    return sign < 0 if emphatic else sign <= 0


def _absolute_situation(
    sentence: Sentence, kind: str, subj: str, aux: str, pred: tuple[int, int]
) -> str:
    if subj not in ("you", "u"):
        return ""
    words = without_fillers(sentence.words(*situation_after(sentence.text, pred[0])))
    being = aux in ("'re", "re") or sentence.text[pred[0] - 4 : pred[0]].strip() == "are"
    if not words:
        return ""
    if being:
        return f"you're not {words}" if kind == "never" else f"you're {words}"
    if kind == "never":
        return not_doing(words)
    return f"you {words}" if words else ""


def absolutes(sentence: Sentence) -> list[Hit]:
    """ "You always…", "you never…", "every time you…", "not once have you…" about the partner."""
    hits = []
    text = sentence.text
    for m in _ABSOLUTE.finditer(text):
        start = m.start()
        if is_quiet(sentence, start) or is_praise_frame(sentence, start):
            continue
        if INVERTED.search(text[:start]) and not _WHY.search(text[:start]):
            continue
        if m.group("subj") in ("you", "u") and _OBJECT_BEFORE.search(text[:start]):
            continue
        adv = m.group("adv")
        kind = "never" if re.search(r"\b(?:never|not|ever)\b", adv) else "always"
        pred = predicate_after(text, m.end())
        promise = kind == "always" and re.search(r"can|could|will|would|'ll|'d", m.group(0))
        if promise and not NEGATIVE.search(text[pred[0] : pred[1]]):
            continue  # "you can always tell me no" is a reassurance
        if _absolute_blames(kind, text[pred[0] : pred[1]]):
            situation = _absolute_situation(
                sentence, kind, m.group("subj"), m.group("aux") or "", pred
            )
            hits.append(Hit("absolute", sentence.absolute(start, m.end()), situation=situation))
    for m in _NOT_ONCE.finditer(text):
        if is_quiet(sentence, m.start()):
            continue
        pred = predicate_after(text, m.end())
        if _absolute_blames("never", text[pred[0] : pred[1]]):
            situation = not_doing(sentence.words(*pred))
            hits.append(Hit("absolute", sentence.absolute(m.start(), m.end()), situation=situation))
    hits.extend(_every_time(sentence))
    for m in _ALWAYS_ME.finditer(text):
        if not is_quiet(sentence, m.start()):
            hits.append(Hit("absolute", sentence.absolute(m.start(), m.end())))
    for m in _EVERYTHING.finditer(text):
        if is_quiet(sentence, m.start()) or is_subordinate(sentence, m.start()):
            continue
        if _is_subject(sentence, m.start(), m.end("subj")) and polarity(m.group("pred")) < 0:
            hits.append(Hit("absolute", sentence.absolute(m.start(), m.end("pred"))))
    for m in _AGAIN.finditer(text):
        if is_quiet(sentence, m.start()) or INVERTED.search(text[: m.start()]):
            continue
        if not _is_subject(sentence, m.start(), m.end("subj")) or is_subordinate(
            sentence, m.start()
        ):
            continue
        if polarity(m.group("pred")) < 0:
            hits.append(Hit("absolute", sentence.absolute(m.start(), m.end())))
    for m in _ALL_THE_TIME.finditer(text):
        if is_quiet(sentence, m.start()) or is_praise_frame(sentence, m.start()):
            continue
        if not _is_subject(sentence, m.start(), m.end("subj")) or is_subordinate(
            sentence, m.start()
        ):
            continue
        if polarity(m.group("pred")) <= 0:
            hits.append(Hit("absolute", sentence.absolute(m.start(), m.end())))
    return hits


def _every_time(sentence: Sentence) -> list[Hit]:
    """ "Every time you…" and "every time I…, you…": blame unless warm on either side."""
    hits = []
    text = sentence.text
    for m in _EVERY_TIME.finditer(text):
        if is_quiet(sentence, m.start()) or is_praise_frame(sentence, m.start()):
            continue
        for you in YOU.finditer(text, m.end()):
            if not _is_subject(sentence, you.start(), you.end()):
                continue
            event = predicate_after(text, you.end())
            event_text = text[event[0] : event[1]]
            rest = text[event[1] :]
            direct = not text[m.end() : you.start()].strip()
            if direct:
                # "Every time you hold my hand, I relax": warmth in either half means no blame.
                blame = polarity(event_text) <= 0 and polarity(rest) <= 0
                blame = blame and (polarity(event_text) < 0 or polarity(rest) < 0 or "you" in rest)
            else:
                blame = polarity(event_text) <= 0
            if blame:
                span = situation_after(text, event[0])
                second_you = re.search(r"\s(?:you|u)\s", text[span[0] + 1 : span[1]])
                if direct and second_you:
                    span = (span[0], span[0] + 1 + second_you.start())
                words = without_fillers(sentence.words(*span))
                situation = f"you {words}" if words else ""
                hits.append(
                    Hit("absolute", sentence.absolute(m.start(), you.end()), situation=situation)
                )
            break
    return hits


# --- Accusations
_MAKE_ME = rx(
    r"(?<![\w'])(?P<t>{you}(?:'re|{s}are)?(?:{s}(?:really|always|just|keep|constantly|totally))*"
    r"{s}(?:make|makes|made|making){s}me)\b(?:{s}feel\b)?"
)
_MADE_IT = rx(
    r"(?<![\w'])(?P<t>{you}(?:'ve|{s}have)?(?:{s}(?:really|always|just|totally))*{s}(?:make|makes"
    r"|made|making))(?!{s}me\b){s}(?=this|that|it|everything|things|our|my|the|every|each|these|us)"
)
_DRIVE_ME = rx(
    r"(?<![\w']){you}(?:{s}(?:really|just|always))?{s}(?:drive|drives|drove|driving){s}me{s}"
    r"(?:crazy|mad|nuts|insane|up{s}the{s}wall|round{s}the{s}bend|around{s}the{s}bend|bananas|away"
    r"|to{s}(?:despair|tears|distraction|drink))\b"
)
_FAULT = rx(
    r"\byour{s}(?:own{s})?fault\b|\bblame{s}(?:it{s}on{s})?you\b(?!{s}for{s}(?:being|feeling))"
)
_NOT_FAULT = re.compile(r"(?:\bnot\b|n't|\bno\b|nobody's|no\s+one's|neither)[^,.;]{0,20}$")
_ALL_YOU = rx(
    r"\ball{s}{you}{s}(?:ever{s})?(?:care|cares|think|thinks|worry|worries|talk|talks){s}about\b"
    r"|\ball{s}{you}{s}(?:ever{s})?(?:want|do|did){s}is\b"
)
_ALL_ABOUT_YOU = rx(
    r"\b(?:it'?s|it{s}is|everything'?s|everything{s}is)(?:{s}always)?{s}all{s}about{s}(?:you|yourself)\b"
)
_THE_PROBLEM = rx(
    r"(?<![\w']){youre}{s}the{s}(?:real{s}|whole{s})?problem\b|\bthe{s}problem{s}is{s}you\b"
)
_ACT_LIKE = rx(
    r"(?<![\w']){you}(?:{s}(?:always|just))?{s}(?:act|acts|acted|acting|behave|behaves|behaved|treat"
    r"|treats|treated){s}(?:me{s})?(?:like|as{s}if|as{s}though){s}(?=i'?m\b|i{s}|i'?d\b|i'?ve\b)"
)
_MORE_THAN_ME = rx(
    r"(?<![\w']){you}(?:{s}(?:always|just|clearly|obviously))?{s}(?:[a-z'-]+{s}){1,6}?"
    r"(?:more|better|rather)\b[^,.;!?]*?\bthan{s}(?:me|us|i{s}do|you{s}do{s}me|with{s}me)\b"
)
_NOT_EVEN = rx(r"(?<![\w']){youre}{s}not{s}even{s}(?:trying|listening|looking|here|interested)\b")
_ONLY_SELF = rx(
    r"(?<![\w']){you}{s}(?:only|just){s}(?:ever{s})?(?:think|thinks|care|cares|worry|worries)"
    r"{s}(?:about|of){s}(?:yourself|your{s}own|you\b|what{s}you|number{s}one|your\b)"
)
_REASON = rx(r"(?<![\w']){youre}{s}(?:the{s})?(?:whole{s}|only{s}|main{s})?reason\b")
_BECAUSE_OF_YOU = rx(r"\b(?:because{s}of|thanks{s}to){s}{you}\b")
_RUIN = rx(
    r"(?<![\w']){you}(?:'ve|{s}have)?(?:{s}(?:always|just|completely|totally|basically))*{s}"
    r"(?:ruin|ruins|ruined|ruining|spoil|spoils|spoilt|spoiled|wreck|wrecks|wrecked|destroy"
    r"|destroyed|destroys)\b(?!{s}(?:me|us)\b)"
)
_GRANTED = rx(
    r"(?<![\w']){you}(?:'re|{s}are)?(?:{s}(?:always|just|really))?{s}(?:take|takes|took|taking){s}(?:me|us){s}for{s}granted"
)
_TREAT = rx(
    r"(?<![\w']){you}(?:'re|{s}are)?(?:{s}(?:always|just|really))?{s}(?:treat|treats|treated|treating){s}me{s}(?:like|as)\b"
)
_ABOUT_YOU = rx(
    r"(?<![\w']){you}(?:{s}(?:always|just|really|constantly))?{s}(?:make|makes|made|turn|turns"
    r"|turned|twist|twists|twisted){s}(?:everything|every{s}\w+|each{s}\w+|it{s}all|my{s}words"
    r"|things)\b(?:[^,.;!?]*?\b(?:about{s}(?:you|yourself)|into)\b)?"
)
_BEFORE_ME = rx(
    r"(?<![\w']){you}(?:{s}(?:always|just|really|constantly))?{s}(?:put|puts|putting|choose|chose"
    r"|choosing|pick|picks|picked|prioriti[sz]e\w*){s}[^,.;!?]{1,40}?{s}(?:before|ahead{s}of|above"
    r"|over|first{s}before){s}(?:me|us|our|my)\b"
)
_WONT_EVEN = rx(
    r"(?<![\w']){you}(?:{s}(?:just|simply|still|really))?{s}(?:{dont}|{doesnt}|{didnt}|{wont}|{cant})"
    r"(?:{s}(?:ever|even|really))*"
    r"{s}(?:even{s}\w+|try|bother|help|listen|pay{s}attention|notice|make{s}(?:an{s}|any{s})?effort"
    r"|lift{s}a{s}finger|hear{s}me|appreciate|support|do{s}your{s}(?:share|part|bit)"
    r"|pull{s}your{s}weight|show{s}(?:any{s})?(?:interest|affection|appreciation))\b"
)
_HURT_ME = rx(
    r"^(?:{s}|.*(?:[,;:—]|\b(?:and|but|so|honestly|yesterday|today|tonight|again))\s+)?"
    r"(?P<t>{you}(?:{s}(?:really|totally|completely|just|always|constantly))?{s}(?:hurt|upset"
    r"|embarrass\w*|humiliat\w*|ignor\w*|reject\w*|belittl\w*|insult\w*|betray\w*|abandon\w*"
    r"|neglect\w*|disrespect\w*|let{s}(?:me|us){s}down|shut{s}me{s}out|push\w*{s}me{s}away)"
    r"{s}(?:me|us|my\b)?)"
)
_LIKE_A = re.compile(r"\s*like\s+(?:a|an|some|your)\b(?!.*\b(?:again|new|million)\b)")
_WHEN_TAIL = rx(r"\b(?:when|whenever|every{s}time){s}(?P<s>[^.;!?]+)")


_PLACE = re.compile(r"\s+(?:at|in|around|on|during|with|about|by|for|after|before)\s+", re.I)


def _feeling_from(sentence: Sentence, start: int, end: int) -> tuple[str, str]:
    """The feeling in "you make me feel invisible at parties", and where: ("invisible", "…")."""
    words = without_fillers(sentence.words(start, end))
    felt = re.match(r"(?:so\s+|really\s+|very\s+)*feel\s+", words, flags=re.I)
    words = re.sub(r"^(?:(?:so|really|very|feel)\s+)+", "", words, flags=re.I)
    if not felt and not FELT.match(words.lower()):
        return "", ""  # "you made me cry": an action, not a feeling to name
    place = _PLACE.search(words)
    if not place or words.lower().startswith("like "):
        return words, ""
    where = words[place.start() :].strip()
    situation = f"we're {where}" if re.match(r"(?:at|in|around|on)\b", where, re.I) else ""
    return words[: place.start()], situation


def accusations(sentence: Sentence) -> list[Hit]:
    """ "You make me feel…", "it's your fault", "you only think about yourself" and the like."""
    hits = []
    text = sentence.text

    def add(start: int, end: int, feeling: str = "", situation: str = "") -> None:
        hits.append(
            Hit("accusation", sentence.absolute(start, end), feeling=feeling, situation=situation)
        )

    def claimed(pos: int) -> bool:
        return not (is_quiet(sentence, pos) or is_subordinate(sentence, pos))

    for m in _MAKE_ME.finditer(text):
        what = predicate_after(text, m.end())
        made_to_feel = text[what[0] : what[1]]
        # "You make me feel like a nuisance": being made to feel like a thing is rarely kind,
        # unless it is warmth ("like a queen") or renewal ("like a teenager again").
        like_a_thing = _LIKE_A.match(made_to_feel) and polarity(made_to_feel) <= 0
        if claimed(m.start()) and (polarity(made_to_feel) < 0 or like_a_thing):
            feeling, situation = _feeling_from(sentence, *what)
            when = _WHEN_TAIL.search(text, what[1])
            if when:
                situation = sentence.words(when.start("s"), when.end("s"))
            add(m.start(), m.end("t"), feeling, situation)
    for m in _MADE_IT.finditer(text):
        what = predicate_after(text, m.end())
        if claimed(m.start()) and polarity(text[what[0] : what[1]]) < 0:
            add(m.start(), m.end("t"))
    for m in _DRIVE_ME.finditer(text):
        tail = text[m.end() : m.end() + 40]
        if claimed(m.start()) and not re.search(r"\b(?:wild|good|best|love)\b", tail):
            add(m.start(), m.end())
    for m in _FAULT.finditer(text):
        if not is_quiet(sentence, m.start()) and not _NOT_FAULT.search(text[: m.start()]):
            add(m.start(), m.end())
    for m in _ALL_ABOUT_YOU.finditer(text):
        if claimed(m.start()) and re.search(r"\b(?:always|again|usual|every|everything)\b", text):
            add(m.start(), m.end())
    for m in _ACT_LIKE.finditer(text):
        if claimed(m.start()) and polarity(text[m.end() :]) <= 0:
            add(m.start(), m.end())
    for pattern in (
        _THE_PROBLEM,
        _MORE_THAN_ME,
        _NOT_EVEN,
        _ALL_YOU,
        _ONLY_SELF,
        _RUIN,
        _GRANTED,
        _ABOUT_YOU,
        _BEFORE_ME,
        _WONT_EVEN,
    ):
        for m in pattern.finditer(text):
            if pattern is _ABOUT_YOU and not re.search(r"about|into|twist|my\s+words", m.group(0)):
                continue
            if claimed(m.start()):
                add(m.start(), m.end())
    for pattern in (_REASON, _BECAUSE_OF_YOU, _TREAT):
        for m in pattern.finditer(text):
            rest = text[m.end() :]
            sign = polarity(rest)
            if claimed(m.start()) and (sign < 0 or (pattern is _TREAT and sign == 0)):
                add(m.start(), m.end())
    opening = _HURT_ME.match(text)
    if opening and claimed(opening.start("t")):
        add(opening.start("t"), opening.end("t"))
    return hits
