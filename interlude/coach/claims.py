"""Detectors for claims about the partner: absolutes, accusations, labels and mind-reading.

Each detector reads one sentence and returns the hits it is confident about. The questions
every rule asks are the same: is the partner the subject, is what is said about them critical
or painful (see `text.polarity`), and is it a claim the speaker is making now (not quoted,
negated, reported, or a condition)?
"""

from __future__ import annotations

import re

from interlude.coach.frame import lower_start, not_doing, without_fillers
from interlude.coach.hit import Hit
from interlude.coach.lexicon import LABEL_ADJECTIVES, LABEL_NOUNS
from interlude.coach.text import (
    Sentence,
    is_praise_frame,
    is_quiet,
    is_subordinate,
    polarity,
    predicate_after,
    rx,
    situation_after,
)

PARTNER = r"(?:my{s}(?:partner|wife|husband|boyfriend|girlfriend|spouse|fianc[eé]e?|other{s}half))"
_ABSOLUTE = rx(
    r"(?<![\w'])(?P<subj>{you}|" + PARTNER + r")(?P<aux>'re|'ve|'d|'ll|'s|re|ve)?"
    r"(?P<fill>(?:{s}(?:are|is|have|has|had|would|will|can|do|does|did|just|really|still|also"
    r"|pretty{s}much|almost|literally|basically|honestly|seriously|seem{w}{s}to|ever))*)"
    r"{s}(?P<adv>always|never|constantly|continually|continuously|perpetually|forever|not{s}once"
    r"|(?:{dont}|{didnt}|{doesnt}){s}ever)\b(?P<once>{s}(?:once|ever))?"
)
_NOT_ONCE = rx(r"\bnot{s}(?:once|one{s}time)\b[^,.;!?]*?\b(?:have|has|did|do|does|had){s}{you}\b")
_EVERY_TIME = rx(
    r"\bevery{s}(?:single{s})?(?:time|night|day|morning|evening|weekend|week)\b(?:{s}that)?"
)
_ALL_THE_TIME = rx(
    r"(?<![\w'])(?P<subj>{you})(?P<aux>'re|{s}are)?{s}(?P<pred>[^,.;!?]+?){s}all{s}the{s}time\b"
)
_INVERTED = re.compile(r"\b(?:do|does|did|are|is|were|have|has|will|would|can|could)\s+$")
_WHY = re.compile(r"\b(?:why|how\s+come)\b")
_OBJECT_BEFORE = re.compile(
    r"\b(?:to|with|for|at|about|from|of|without|than|like|near|on|around|behind|beside|by|love"
    r"|miss|want|need|see|thank|tell|told|ask|asked|kiss|hug|touch|hold|call|text|help|show"
    r"|give|trust|believe|know|understand|hear|remind)\s+$"
)
_OBJECT_AFTER = re.compile(
    r"^(?:'re|'ve|'d|'ll)?\s*(?:about|to|for|with|a|an|the|that|this|it|how|what|if|whether|and|or"
    r"|out|in|on|up|so|too|more|again|back|first|now|[,.;:!?—]|$)"
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
    if kind == "never":
        return not_doing(words)
    if aux in ("'re", "re") or sentence.text[pred[0] - 4 : pred[0]].strip() == "are":
        return f"you're {words}" if words else ""
    return f"you {words}" if words else ""


def absolutes(sentence: Sentence) -> list[Hit]:
    """ "You always…", "you never…", "every time you…", "not once have you…" about the partner."""
    hits = []
    text = sentence.text
    for m in _ABSOLUTE.finditer(text):
        start = m.start()
        if is_quiet(sentence, start) or is_praise_frame(sentence, start):
            continue
        if _INVERTED.search(text[:start]) and not _WHY.search(text[:start]):
            continue
        if m.group("subj") in ("you", "u") and _OBJECT_BEFORE.search(text[:start]):
            continue
        adv = m.group("adv")
        kind = "never" if re.search(r"\b(?:never|not|ever)\b", adv) else "always"
        pred = predicate_after(text, m.end())
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


_YOU = rx(r"(?<![\w'])(?:{you})(?![a-z])")


def _every_time(sentence: Sentence) -> list[Hit]:
    """ "Every time you…" and "every time I…, you…": blame unless warm on either side."""
    hits = []
    text = sentence.text
    for m in _EVERY_TIME.finditer(text):
        if is_quiet(sentence, m.start()) or is_praise_frame(sentence, m.start()):
            continue
        for you in _YOU.finditer(text, m.end()):
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
                words = without_fillers(sentence.words(*situation_after(text, event[0])))
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
    r"(?<![\w']){you}{s}(?:{dont}|{doesnt}|{didnt}|{wont}|{cant})(?:{s}(?:ever|even|really))*"
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
    words = re.sub(r"^(?:so|really|very|feel)\s+", "", words, flags=re.I)
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
    for pattern in (_ONLY_SELF, _RUIN, _GRANTED, _ABOUT_YOU, _BEFORE_ME, _WONT_EVEN):
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


# --- Labels
_LABEL = rx(
    r"(?<![\w'])(?P<subj>{youre}|{you}{s}(?:were|was|seem|seemed|sound|sounded|act|acted|acting"
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
        return lower_start(without_fillers(sentence.words(start, end)))

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
    for pattern in (_MOTIVE, _COULDNT_CARE, _PRETENDING, _NOT_INTO, _BORED, _GAVE_UP):
        for m in pattern.finditer(text):
            if claimed(m.start()):
                add(m.start(), m.end())
    for m in _PURPOSE.finditer(text):
        head = text[: m.start()]
        you = list(_YOU.finditer(head))
        if not you or is_quiet(sentence, m.start()):
            continue
        between = head[you[-1].start() :]
        if re.search(r"n't|\bnot\b|\bnever\b", between) or re.search(r"\bi\s+\w+\s*$", head):
            continue
        add(you[-1].start(), m.end())
    for m in _TRYING.finditer(text):
        rest = text[m.end() :]
        if claimed(m.start()) and (_TRYING_BAD.match(rest) or polarity(rest) < 0):
            add(m.start(), m.end())
    for m in _THINK.finditer(text):
        if _INVERTED.search(text[: m.start()]) or not claimed(m.start()):
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
