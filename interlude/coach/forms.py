"""Detectors for ways of saying things that tend to land as blame, whoever the subject is:
"why don't you…" questions, demands, judgements phrased as feelings, comparisons, sarcasm.
"""

from __future__ import annotations

import re

from interlude.coach.frame import as_worry, without_fillers
from interlude.coach.hit import Hit
from interlude.coach.lexicon import CARE, EMPATHY, LABEL_ADJECTIVES, LABEL_NOUNS
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

_LABEL_WORD = re.compile(r"\b(?:" + LABEL_ADJECTIVES + "|" + LABEL_NOUNS + r")\b")

# --- "Why don't you…"
_WHY_NOT = rx(
    r"\b(?:why|how{s}come)(?:{s}(?:on{s}earth|exactly|the{s}hell))?{s}(?P<aux>{dont}|{doesnt}|{cant}"
    r"|{wont}|{didnt}|{wouldnt}|{couldnt}|haven'?t|aren'?t|weren'?t|mustn'?t){s}(?P<subj>{you}|we)\b"
)
_WHY_DO = rx(
    r"\bwhy(?:{s}(?:on{s}earth|exactly|the{s}hell))?{s}(?P<aux>do|does|did|are|were|is|must|would"
    r"|have|should){s}{you}\b"
)
_WHY_CUE = re.compile(
    r"^\s*(?:always|never|constantly|keep|kept|insist|have\s+to|need\s+to|even|make\s+me|get\s+so"
    r"|act|behave|treat|say\s+(?:that|things|stuff)|do\s+(?:that|this|it)|bother|refuse|ignore"
    r"|hate|care\s+so|only|just|hardly|put|let|sigh|roll|push|pull|turn|walk|leave|forget|interrupt"
    r"|criticis|criticiz|complain|nag|check)"
)
_WHY_HARD = rx(
    r"\bwhy{s}(?:is|was){s}it{s}(?:always{s}|so{s}|that{s})?(?:hard|difficult|impossible|too{s}much"
    r"|a{s}problem|such{s}a{s}\w+)\b[^?.!]*?\b(?:for{s}{you}|{you})\b|\bwhy{s}(?:is|was){s}it"
    r"{s}always{s}(?:me|up{s}to{s}me)\b|\bwhy{s}(?:do|must|should){s}i{s}(?:always{s})?(?:have{s}to"
    r"|need{s}to|be{s}the{s}one|end{s}up|get{s}stuck|get{s}left)\b|\bwhy{s}am{s}i{s}always{s}the"
    r"{s}one\b"
)
_RHETORICAL = rx(
    r"\bis{s}it{s}(?:really{s})?(?:too{s}much|so{s}hard|that{s}hard|so{s}difficult|asking{s}too"
    r"{s}much){s}(?:to{s}ask|for{s}(?:you|u))\b|\bwould{s}it{s}(?:kill|hurt){s}(?:you|u){s}to\b"
    r"|(?:^|[,;:]\s*)\s*must{s}(?:you|u)\b|\bdo{s}(?:you|u){s}always{s}have{s}to\b"
    r"|\bwhat{s}is{s}(?:it|wrong){s}with{s}(?:you|u){s}and\b"
)
_HOW_COME = rx(
    r"\bhow{s}come{s}{you}{s}(?:never|always|only|just|still|keep|refuse|get{s}to|{dont}|{didnt}"
    r"|{cant}|{wont})\b"
)
_SUGGESTION = re.compile(
    r"^\s*(?:pick|choose|go\s+first|start\s+(?:us|tonight|this)|lead|take\s+(?:the\s+lead|a|the"
    r"\s+evening|it\s+slow|your\s+time)|come|join|sit|have\s+(?:a|some|the)|try\s+(?:the|this|it"
    r"|one|a|some)|grab|put\s+your\s+feet\s+up|relax|rest|lie\s+down|get\s+some|(?:tell|show)\s+me"
    r"\s+(?:what|how|when|where|if|whether|about|which)|let\s+me\s+know|invite|call|text|ask\s+(?:them|her|him)|book"
    r"|surprise\s+me|bring)"
)
# Things one cannot kindly ask for: an admission, a change of character, being like someone else.
_NOT_A_REQUEST = re.compile(
    r"^\s*(?:just\s+)?(?:admit|accept\s+that|realise|realize|see\s+that|get\s+it|grow\s+up"
    r"|be\s+(?:more\s+|a\s+bit\s+more\s+)?like|act\s+like|be\s+normal)\b|.*\blike\s+(?:my|your"
    r"|other|everyone)\b"
)
_ACCUSING = re.compile(
    r"\b(?:ever|just|even|for\s+once|at\s+least|actually|bother|anymore|any\s+more|again|once\s+in"
    r"\s+a\s+while|admit|grow\s+up|already|instead)\b"
)


def why_questions(sentence: Sentence) -> list[Hit]:
    """ "Why don't you…", "why can't you…", "why do you always…", "how come you never…"."""
    hits = []
    text = sentence.text
    for m in _WHY_NOT.finditer(text):
        if is_quiet(sentence, m.start()):
            continue
        pred = predicate_after(text, m.end())
        rest = text[pred[0] : pred[1]]
        tail = text[m.end() :]
        # "Why don't we…?" and "why don't you pick the film?" are invitations, unless "ever",
        # "just" or "for once" turn them back into complaints.
        invitation = m.group("subj") == "we" or (
            re.match(r"don'?t|do\s+not", m.group("aux")) and _SUGGESTION.match(rest)
        )
        if invitation and not _ACCUSING.search(tail):
            continue
        request = ""
        askable = not _NOT_A_REQUEST.match(rest)
        if (
            askable
            and m.group("subj") != "we"
            and not re.match(r"didn|haven|weren|aren", m.group("aux"))
        ):
            words = without_fillers(sentence.words(*pred))
            request = f"you to {words}" if words else ""
        hits.append(Hit("why_question", sentence.absolute(m.start(), m.end()), request=request))
    for m in _WHY_DO.finditer(text):
        if is_quiet(sentence, m.start()):
            continue
        pred = predicate_after(text, m.end())
        rest = text[pred[0] : pred[1]]
        aux = m.group("aux")
        if rest.lstrip().startswith("so "):
            blame = polarity(rest) < 0 or bool(_LABEL_WORD.search(rest))
        else:
            blame = aux in ("must", "would") or bool(_WHY_CUE.match(rest)) or polarity(rest) < 0
        if blame:
            words = without_fillers(sentence.words(*situation_after(text, pred[0])))
            situation = f"you {words}" if words and aux in ("do", "does") else ""
            hits.append(
                Hit("why_question", sentence.absolute(m.start(), m.end()), situation=situation)
            )
    for pattern in (_WHY_HARD, _HOW_COME, _RHETORICAL):
        for m in pattern.finditer(text):
            if not is_quiet(sentence, m.start()):
                hits.append(Hit("why_question", sentence.absolute(m.start(), m.end())))
    return hits


# --- Demands
_DEMAND = rx(
    r"(?<![\w'])(?P<t>{you}(?:{s}(?:really|just|seriously|honestly|definitely|absolutely|simply"
    r"|clearly|also|still|then|now|probably))*(?:{s}|'d{s}|d{s}|'ve{s}|ve{s})(?P<m>should(?:{s}not|n'?t)?|"
    r"need{s}to|needs{s}to|(?:had{s})?better(?:{s}not)?|have{s}to|'ve{s}got{s}to|have{s}got{s}to"
    r"|got{s}to|gotta|must(?:n'?t|{s}not)?|ought{s}(?:not{s})?to))\b"
)
_DISMISSIVE = rx(
    r"(?:^|[,.;!?:—]\s*|\bjust{s})\s*(?P<t>grow{s}up|get{s}over{s}it|get{s}over{s}yourself|calm{s}down"
    r"|get{s}a{s}grip|man{s}up|deal{s}with{s}it|chill{s}out|toughen{s}up|lighten{s}up|give{s}it{s}a"
    r"{s}rest|get{s}a{s}life)\b"
)
_INVERTED = re.compile(
    r"\b(?:do|does|did|will|would|can|could|should|must|what|whatever|anything|everything|all"
    r"|as\s+much\s+as|how\s+much|if|whether|need|needs)\s+$"
)
_CARE_AFTER_NOT = re.compile(
    r"^\s*(?:have\s+to|need\s+to|feel|worry|be\s+(?:so\s+)?(?:sorry|ashamed|embarrassed|afraid"
    r"|scared|hard\s+on\s+yourself|alone)|blame\s+yourself|apologi[sz]e|put\s+up\s+with|carry"
    r"|settle|hide|pretend|have\s+to)"
)
_EPISTEMIC = re.compile(r"^\s*(?:be|have\s+been|'ve|have\s+\w+ed|feel|think|know|get|love|hate)\b")
_RECOMMEND = re.compile(
    r"^\s*(?:see|try|hear|taste|watch|read|come|join|check\s+out|meet|visit|listen\s+to|have\s+seen"
    r"|have\s+tried)\s+(?:this|that|these|those|the|it|my|our|a|an|how|what|some)\b"
)
_PAST_MODAL = re.compile(r"^\s*(?:have|'ve)\s+\w+")


def demands(sentence: Sentence) -> list[Hit]:
    """ "You should…", "you need to…", "you'd better…", "you have to…"."""
    hits = []
    text = sentence.text
    for m in _DEMAND.finditer(text):
        start = m.start()
        if is_quiet(sentence, start) or is_subordinate(sentence, start):
            continue
        if _INVERTED.search(text[:start]):
            continue
        modal = m.group("m")
        rest = text[m.end() :]
        negative = bool(re.search(r"n't|\bnot\b", modal))
        if negative and _CARE_AFTER_NOT.match(rest):
            continue
        if modal.startswith("must") and not negative and _EPISTEMIC.match(rest):
            continue
        if _RECOMMEND.match(rest) or CARE.match(rest.lstrip()):
            continue
        known = re.match(r"\s*know\s+(?:that\s+)?", rest)
        if known and polarity(rest[known.end() :]) > 0:
            continue  # "you should know how much I love you" is reassurance
        pred = predicate_after(text, m.end())
        request = ""
        if not negative and not _PAST_MODAL.match(rest) and not _NOT_A_REQUEST.match(rest):
            words = without_fillers(sentence.words(*pred))
            request = f"you to {words}" if words else ""
        hits.append(Hit("demand", sentence.absolute(start, m.end()), request=request))
    for m in _DISMISSIVE.finditer(text):
        before = text[: m.start("t")]
        if not is_quiet(sentence, m.start("t")) and not re.search(
            r"\b(?:i|we|let'?s)\s+\w*\s*$", before
        ):
            hits.append(Hit("demand", sentence.absolute(m.start("t"), m.end("t"))))
    return hits


# --- A judgement dressed as a feeling
_FEEL_YOU = rx(
    r"(?<![\w'])(?P<t>(?:i(?:{s}(?:really|just|sometimes|often|honestly|kind{s}of|sort{s}of|still"
    r"|always|now|actually|do|also|definitely|totally|can't{s}help{s}but|keep))*{s}(?:feel|felt"
    r"|am{s}feeling|'m{s}feeling|get{s}the{s}(?:feeling|sense)|have{s}the{s}feeling|had{s}the"
    r"{s}feeling|have{s}a{s}feeling)|it{s}(?:feels|felt|seems|seemed)|feels|feel)"
    r"(?P<conn>{s}(?:like|that|as{s}if|as{s}though))?){s}"
    r"(?P<subj>{youre}|{youve}|{youd}|{youll}|{you}|your)(?![\w'])"
)
_YOUR_CLAUSE = re.compile(
    r"^\s+[a-z'-]+(?:\s+[a-z'-]+)?(?:'s|\s+(?:is|are|was|were|matters?|mattered|comes?|came"
    r"|means?|meant|gets?|got|has|have|had|always|never|will|would))\b"
)
_VERBISH = re.compile(
    r"^(?:'re|'ve|'d|'ll|\s+(?:are|were|have|had|do|don't|did|didn't|never|always|only|just|can't"
    r"|won't|would|wouldn't|could|couldn't|care|want|need|think|prefer|ignore|hate|love|aren't"
    r"|weren't|keep|take|make|put|treat|no\s+longer|obviously|clearly|really|don't|doesn't|stopped"
    r"|avoid|push|pull|expect|resent|blame|judge)\b)"
)


def feeling_judgements(sentence: Sentence) -> list[Hit]:
    """ "I feel that you…", "I feel like you…", "I feel you are…", "it feels like you…"."""
    hits = []
    text = sentence.text
    for m in _FEEL_YOU.finditer(text):
        lead = m.group("t")
        if m.group("subj") == "your" and not _YOUR_CLAUSE.match(text[m.end("subj") :]):
            continue  # "feel like your housemate" names a role, not a judgement of the partner
        contracted = m.group("subj") not in ("you", "u", "your")
        verbish = contracted or _VERBISH.match(text[m.end("subj") :])
        if not m.group("conn") and (lead.startswith("it") or not verbish):
            continue  # "I feel you." is sympathy; "it feels you" is not English
        if is_quiet(sentence, m.start()):
            continue
        rest = text[m.start("subj") :]
        rest = rest[: predicate_after(rest, 0)[1]] if rest.startswith("your") else rest
        if re.match(r"you\s+and\s+(?:i|me)\b", rest):
            continue  # "I feel like you and I have drifted" is shared, not a verdict
        clause = rest[: _clause_end(rest)]
        sign = polarity(clause)
        empathic = EMPATHY.search(clause) and not re.search(
            r"\b(?:of|with|at|by)\s+(?:me|us)\b", clause
        )
        if sign > 0 or (empathic and sign <= 0 and not _hurtful(clause)):
            continue
        worry_end = m.start("subj") + _clause_end(rest)
        worry = as_worry(sentence.words(m.start("subj"), worry_end))
        hits.append(Hit("feeling_judgement", sentence.absolute(m.start(), m.end()), worry=worry))
    return hits


def _clause_end(text: str) -> int:
    match = re.search(r"[,;.!?—]|\b(?:but|because|so|and\s+i)\b", text)
    return match.start() if match else len(text)


def _hurtful(clause: str) -> bool:
    """An empathy word alongside something aimed at the speaker ("too tired for me")."""
    return bool(re.search(r"\b(?:for|to|from|of|with)\s+(?:me|us)\b|\btoo\b|\bnever\b", clause))


# --- Comparisons
_PARTNER_NOUN = (
    r"(?:partner|husband|wife|boyfriend|girlfriend|spouse|fianc[eé]e?|other{s}half|lover)s?"
)
_OTHER_STRONG = rx(
    r"\b(?:everyone|everybody|anyone|anybody){s}else(?:'s{s}" + _PARTNER_NOUN + r")?"
    r"|\b(?:other|normal|real|most{s}other){s}(?:couples|"
    + _PARTNER_NOUN
    + r"|men|women|guys|girls)"
    r"|\b(?:any|a){s}(?:normal|decent|good|real|other|reasonable|caring|loving|sane|grown){s}"
    r"(?:person|" + _PARTNER_NOUN + r"|man|woman|adult|human)"
    r"|\b(?:other|most){s}people'?s(?:{s}" + _PARTNER_NOUN + r")?|\bnormal{s}people\b"
)
_OTHER_WEAK = rx(
    r"\bmy{s}ex\b(?:-?[a-z]+)?|\bmy{s}(?:former|last|previous|old|first){s}"
    + _PARTNER_NOUN
    + r"|\b(?:my|our)(?:{s}(?:best|old|close))?{s}(?:friend|friends|sister|brother|cousin|colleague"
    r"|boss|neighbou?r|mate|flatmate|housemate|roommate|co-?worker|mum|mom|dad|parents?)'s?"
    r"(?:{s}new)?{s}" + _PARTNER_NOUN + r"|\b(?!(?:it|that|what|there|he|she|who|one)'s)[a-z]+'s"
    r"(?:{s}new)?{s}" + _PARTNER_NOUN + r"\b|\bmost{s}(?:couples|people)\b"
    r"|\b[a-z]+s'{s}(?:new{s})?" + _PARTNER_NOUN + r"\b"
)
_THAN_YOU = rx(
    r"\b(?:more|less|better|worse|[a-z]+er)\b[^,.;!?]{0,30}?\bthan{s}{you}"
    r"(?:{s}(?:do|did|does|ever|are|were|have|'ve))?(?![a-z'])(?!{s}(?:know|think|realise|realize"
    r"|imagine|expect|believe))"
)
_SPEAKER_OR_PARTNER = re.compile(r"\b(?:i|i'm|i've|i'd|we|we're|you|you're|u)\b")
_CONTRAST = rx(
    r"\bthan{s}{you}\b|\bunlike{s}{you}\b|\bcompared{s}(?:to|with){s}{you}\b|\b(?:but|and|while"
    r"|whereas|yet){s}{you}{s}(?:{dont}|{doesnt}|{cant}|{wont}|{didnt}|never|just|only|still)\b"
    r"|{you}{s}(?:{cant}|{dont}|{wont}|never){s}even\b|\blike{s}{you}{s}(?:do|did|never|always)\b"
    r"|\b(?:why|how{s}come){s}(?:{cant}|{dont}|{wont}|{didnt}|{couldnt}){s}{you}\b"
)
_BE_LIKE = rx(
    r"(?<![\w']){you}(?:'re|{s}are|{s}were)?\b[^,.;!?]{0,30}?\b(?:more|less|just|exactly|a{s}bit"
    r"|at{s}all|be|act|sound|look|behave)(?:s|ed)?{s}like{s}(?:my|your|our|other|everyone|her|his"
    r"|their|[a-z]+'s)\b"
)
_NORMALISING = rx(
    r"\b(?:too|also|as{s}well|lots{s}of|many|plenty{s}of|common|normal{s}(?:for|to)|it'?s{s}normal"
    r"|struggle\w*|go{s}through|went{s}through|find{s}(?:this|it){s}hard|same{s}(?:thing|boat)"
    r"|like{s}us|not{s}alone|less{s}alone|helps{s}me|reassur\w*|recommend\w*)\b"
)
_OPINION = re.compile(
    r"^\s*(?:think|thinks|say|says|said|believe|told|tell|recommend\w*|suggest\w*)\b"
)
_PREP_BEFORE = re.compile(r"\b(?:what|than|like|with|to|about|for|from|as|and|me|i|at)\s+$")
_CO_SUBJECT = re.compile(r"^\s*(?:and|&)\s+(?:i|me|we)\b")
_HABIT = re.compile(
    r"\b(?:always|never|would|all|used\s+to|knew\s+how|know\s+how|all\s+the|every|actually|even|still"
    r"|more|better|much|way\s+more|properly|at\s+least)\b"
)


def comparisons(sentence: Sentence) -> list[Hit]:
    """Comparing the partner with an ex, friends' partners or "other couples"."""
    text = sentence.text
    contrast = _CONTRAST.search(text)
    for m in _BE_LIKE.finditer(text):
        if not is_quiet(sentence, m.start()):
            return [Hit("comparison", sentence.absolute(m.start(), m.end()))]
    for m in _OTHER_STRONG.finditer(text):
        if is_quiet(sentence, m.start()) or _PREP_BEFORE.search(text[: m.start()]):
            continue
        if _NORMALISING.search(text) or _OPINION.match(text[m.end() :]):
            continue
        return [Hit("comparison", sentence.absolute(m.start(), m.end()))]
    for m in _THAN_YOU.finditer(text):
        clause_start = max(text.rfind(c, 0, m.start()) for c in ",;:—") + 1
        if not _SPEAKER_OR_PARTNER.search(text[clause_start : m.start()]) and not is_quiet(
            sentence, m.start()
        ):
            return [Hit("comparison", sentence.absolute(m.start(), m.end()))]
    for m in _OTHER_WEAK.finditer(text):
        if is_quiet(sentence, m.start()) or _CO_SUBJECT.match(text[m.end() :]):
            continue
        before = text[: m.start()]
        if contrast or re.search(r"\bat\s+least\s+$", before):
            return [Hit("comparison", sentence.absolute(m.start(), m.end()))]
        if (
            _PREP_BEFORE.search(before)
            or _NORMALISING.search(text)
            or _OPINION.match(text[m.end() :])
        ):
            continue
        pred = predicate_after(text, m.end())
        words = text[pred[0] : pred[1]]
        if _favourable(words):
            return [Hit("comparison", sentence.absolute(m.start(), m.end()))]
    return []


def _favourable(predicate: str) -> bool:
    """Whether what the other person did reads as praise that the partner is set against."""
    predicate = predicate.strip()
    if re.match(r"(?:would|'d)\s+(?:never|not)\b", predicate):
        return True
    if re.match(r"(?:would|'d)\s+(?:have|'ve)\b|would'?ve\b", predicate):
        return polarity(predicate) >= 0  # "my ex would have called": praise by contrast
    if not _HABIT.search(predicate):
        return False
    habitual_never = re.match(r"(?:has\s+|had\s+)?never\b(.*)", predicate)
    if habitual_never:
        return polarity(habitual_never.group(1)) < 0
    sign = polarity(predicate)
    if re.match(r"used\s+to\b", predicate):
        return sign > 0
    return sign > 0 or (
        sign == 0 and bool(re.search(r"\b(?:all\s+the|every|actually|more|better)\b", predicate))
    )


# --- Sarcasm
_OH_GREAT = rx(
    r"\b(?:oh|ah|well),?{s}(?:great|perfect|wonderful|brilliant|fantastic|lovely|marvell?ous|super"
    r"|fabulous|terrific|excellent|good)\b"
)
_GENUINE = re.compile(
    r"\b(?:idea|news|to\s+hear|thank|thanks|see\s+you|you'?re\s+(?:home|here|back|safe|ok|okay)"
    r"|let'?s|we\s+can|that\s+works|i'?d\s+love|you\s+made\s+it|congrat\w*)\b"
)
_JUST_GREAT = rx(
    r"\b(?:great|perfect|wonderful|brilliant|fantastic|lovely|marvell?ous),?{s}just{s}(?:great"
    r"|perfect|wonderful|brilliant|fantastic|lovely|marvell?ous)\b|\bjust{s}(?:great|perfect"
    r"|wonderful|brilliant|fantastic|lovely|marvell?ous)[.!]*\s*$"
)
_THANKS = rx(
    r"\bthanks{s}for{s}nothing\b|\b(?P<big>thanks{s}a{s}(?:lot|bunch|million)|thank{s}you{s}so"
    r"{s}much)\b|\b(?:thanks|thank{s}you){s}for\b"
)
_THANKS_SOUR = re.compile(
    r"\b(?:leav\w+|forget\w*|forgot|telling\s+everyone|told\s+everyone|reminding\s+me|nothing"
    r"|ignor\w+|late|again|ruin\w*|embarrass\w*|nothing)\b"
)
_LATE_THANKS = re.compile(r"\b(?:finally|at\s+last|for\s+once|eventually)\b")
_LATE_AFTER = re.compile(
    r",\s*(?:only|just|a\s+mere)\b|\b(?:days?|hours?|weeks?|months?)\s+late\b|\bat\s+last\b"
)
_NICE_OF_YOU = rx(
    r"\b(?P<lead>wow|gee|gosh|oh|well|how)\b,?(?:{s}(?:how|that'?s|that{s}was|so|very|really|real))?"
    r"{s}(?:nice|kind|thoughtful|generous|sweet|considerate|good|helpful|big|decent|lovely"
    r"|gracious){s}of{s}you\b"
)
_GRUDGING = re.compile(
    r"\b(?:finally|for\s+once|once|at\s+last|one\s+\w+|late|actually|bother\w*|decide\w*|deign\w*"
    r"|manage\w*|grace\w*|remember\w*)\b"
)
_AS_IF = rx(
    r"(?<![\w'])as{s}if{s}(?:{you}|{youd}|{youll}|{youve}|{youre}|that|i'?d|anyone)(?![\w])"
)
_AS_IF_LEGIT = re.compile(
    r"\b(?:feel|feels|felt|feeling|look|looks|looked|seem|seems|seemed|act|acts|acted|acting|sound"
    r"|sounds|sounded|behave|behaves|behaved|behaving|treat|treats|treated|it'?s|is|was|just"
    r"|almost|talk|talks|talked|as)\s*,?\s*$"
)
_SURE = rx(
    r"^\s*(?:(?:oh|yeah|yes|right),?{s})?sure,?{s}(?P<you>{you}|{youre}|{youd}|you'?ve)"
    r"(?:{s}(?:did|were|was|are|will|do|have|had|would|didn'?t|weren'?t|wouldn'?t|don'?t|tried"
    r"|meant|forgot|care|cared|love|loved|want|wanted)\b|(?<=re|ve|'d)\b)"
)
_PLAIN_CUES = rx(
    r"\byeah,?{s}right\b|\bright,{s}because\b|\bri{2,}ght\b|\boh{s}sure\b|\byeah{s}yeah\b"
    r"|\bthanks{s}for{s}nothing\b|\bmust{s}be{s}(?:nice|lovely){s}to\b|\bnice{s}for{s}some\b"
    r"|\bit'?s{s}alright{s}for{s}some\b|\bbig{s}surprise\b|\bsurprise,?{s}surprise\b"
    r"|\b(?:colou?r|call){s}me{s}(?:shocked|surprised)\b|\bno{s}surprise{s}there\b"
    r"|\bwho{s}(?:would'?ve|would{s}have){s}(?:thought|guessed)\b|\bfancy{s}that\b"
    r"|(?:^|[,.;!?]\s*)(?:real|really|very|how){s}mature\b|\bdon'?t{s}(?:strain|hurt|trouble"
    r"|exert){s}yourself\b|\bdon'?t{s}go{s}out{s}of{s}your{s}way\b|\bso{s}glad{s}you{s}could"
    r"{s}(?:finally{s})?(?:join|make{s}it)\b|\blook{s}who(?:'?s|{s}is|{s}decided)\b"
    r"|\b(?:finally|at{s}last){s}decided{s}to{s}(?:join|show|turn{s}up|grace)\b"
    r"|\b(?:nice|good){s}going\b|\bsmooth{s}move\b|\btypical{s}of{s}you\b"
    r"|\b(?:sure|right),{s}because{s}{you}|\bso{s}now{s}{you}{s}(?:want|care|decide|feel|notice)"
    r"|\bhow{s}nice{s}for{s}you\b"
    r"|(?:^|[.!?]\s*)\s*(?:how{s}|so{s}|just{s})?typical\s*(?:[.!]|$)"
)
_WHAT_A_SURPRISE = rx(r"\bwhat{s}a{s}(?:surprise|shock|shocker)\b")
_WELL_DONE = rx(
    r"\b(?:well{s}done|good{s}job|congratulations|congrats|bravo|way{s}to{s}go|gold{s}star"
    r"|give{s}(?:you|yourself){s}a{s}medal|slow{s}clap|nice{s}one)\b"
)
_FAINT_PRAISE = re.compile(
    r"\b(?:managed\s+to|once|finally|for\s+once|at\s+last|only\s+took|took\s+you|a\s+whole|one\s+"
    r"\w+|again|remembered\s+to)\b"
)
_OF_COURSE = rx(r"\bof{s}course{s}(?:{youre}|{youd}|{youll}|you'?ve|{you})(?P<rest>[^.;!?]*)")
_OF_COURSE_KIND = re.compile(
    r"^(?:'re|'d|'ll|'ve)?\s*(?:can|could|may|might|are\s+welcome|matter|mean|deserve|do\s+not\s+have"
    r"|don'?t\s+have|have\s+a\s+choice|are\s+allowed|'re\s+allowed|allowed)\b"
)


def sarcasm(sentence: Sentence) -> list[Hit]:
    """ "Oh great", "thanks a lot", "wow, nice of you", "as if you'd…", "sure you did"."""
    hits = []
    text = sentence.text

    def add(start: int, end: int) -> None:
        if not is_quiet(sentence, start):
            hits.append(Hit("sarcasm", sentence.absolute(start, end)))

    for m in _OH_GREAT.finditer(text):
        rest = text[m.end() :]
        if not re.match(r"\s*[,.!…—-]", rest) and rest.strip():
            continue  # "oh good idea" is a compliment with no pause for the irony
        if polarity(rest) > 0 or _GENUINE.search(rest) or re.match(r"\s*!\s*$", rest):
            continue
        add(m.start(), m.end())
    for m in _JUST_GREAT.finditer(text):
        add(m.start(), m.end())
    for m in _THANKS.finditer(text):
        rest = text[m.end() :]
        if m.group(0).endswith("nothing"):
            add(m.start(), m.end())
            continue
        if re.match(r"\s*for\b", rest) or m.group(0).endswith("for"):
            what = re.sub(r"^\s*for\b", "", rest)
            what = what[: predicate_after(what, 0)[1]]
            late = _LATE_THANKS.search(what) or _LATE_AFTER.search(rest)
            if polarity(what) < 0 or _THANKS_SOUR.search(what) or late:
                add(m.start(), m.end())
        elif m.group("big") and re.search(r"\b(?:oh|gee|well|great)\b,?\s*$", text[: m.start()]):
            add(m.start(), m.end())
    for m in _NICE_OF_YOU.finditer(text):
        if _GRUDGING.search(text) or (
            m.group("lead") in ("wow", "gee") and polarity(text[m.end() :]) < 0
        ):
            add(m.start(), m.end())
    for m in _AS_IF.finditer(text):
        if not _AS_IF_LEGIT.search(text[: m.start()]):
            add(m.start(), m.end())
    sure = _SURE.match(text)
    if sure:
        add(text.index("sure"), sure.end())
    for m in _PLAIN_CUES.finditer(text):
        add(m.start(), m.end())
    for m in _WHAT_A_SURPRISE.finditer(text):
        if polarity(text) <= 0 and not is_praise_frame(sentence, m.start()):
            add(m.start(), m.end())
    for m in _WELL_DONE.finditer(text):
        if _FAINT_PRAISE.search(text[m.end() :]):
            add(m.start(), m.end())
    for m in _OF_COURSE.finditer(text):
        rest = m.group("rest")
        if _OF_COURSE_KIND.match(rest) or EMPATHY.search(rest) or polarity(rest) > 0:
            continue
        add(m.start(), m.start("rest"))
    return hits
