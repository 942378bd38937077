"""Word lists the coach's rules consult.

Lists are written as comma-separated blocks so they stay readable; `words()` turns a block of
literal words and phrases into a regex alternation, `verbs()` does the same for verbs with all
their inflections ("forget/forgot/forgotten" adds irregular forms). Everything is matched on
normalised text: lower case, straight apostrophes.
"""

from __future__ import annotations

import re


def _items(block: str) -> list[str]:
    return [item.strip() for item in block.replace("\n", " ").split(",") if item.strip()]


def verb(base: str, *extra: str) -> str:
    """A regex fragment matching the usual inflections of `base`, plus any irregular forms."""
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms = [base, base + "s", base + "d", base[:-1] + "ing"]
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms = [base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms = [base, base + "es", base + "ed", base + "ing"]
    else:
        forms = [base, base + "s", base + "ed", base + "ing"]
    return "(?:" + "|".join(re.escape(f) for f in [*forms, *extra]) + ")"


def verbs(block: str) -> str:
    """One alternation of verbs; "hold/held" lists irregular forms after the base."""
    return "(?:" + "|".join(verb(*item.split("/")) for item in _items(block)) + ")"


def words(block: str) -> str:
    """One alternation of literal words and phrases (a space matches any run of whitespace)."""
    return "(?:" + "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in _items(block)) + ")"


def compile_words(*fragments: str) -> re.Pattern[str]:
    """A whole-word pattern for already-normalised text."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(fragments) + r")(?![\w'])")


# Character labels: words that describe who someone is, not what they did.
LABEL_ADJECTIVES = words("""
    selfish, self-centred, self-centered, self-absorbed, lazy, cold, cold-hearted, frigid, needy,
    clingy, controlling, immature, childish, inconsiderate, thoughtless, useless, hopeless,
    pathetic, boring, dull, demanding, insensitive, heartless, cruel, mean, nasty, rude, arrogant,
    stubborn, impossible, ridiculous, hysterical, dramatic, overdramatic, paranoid, jealous,
    possessive, petty, spoilt, spoiled, entitled, ungrateful, unreliable, irresponsible, careless,
    clueless, stupid, dumb, greedy, manipulative, passive-aggressive, passive aggressive, toxic,
    narcissistic, obsessive, uptight, prudish, perverted, creepy, disgusting, gross, sloppy, messy,
    bossy, whiny, moody, grumpy, miserable, cheap, stingy, spineless, cowardly, hypocritical, fake,
    dishonest, untrustworthy, judgemental, judgmental, unromantic, unaffectionate, unsupportive,
    unfair, egotistical, vain, shallow, worthless, terrible, awful, horrible, lousy, incompetent,
    disrespectful, insecure, oversensitive, overreacting, unbearable, exhausting, annoying,
    irritating, infuriating, difficult, pushy, closed-minded, close-minded, narrow-minded, vanilla,
    crazy, insane, neurotic, emotionally unavailable, sexless, pig-headed, unreasonable,
    unkind, uncaring, unfeeling, lame, weak, bad, laziest, meanest, rudest, coldest, dullest,
    dumbest, cruelest, cruellest, stingiest, worst
""")
LABEL_NOUNS = words("""
    nag, slob, child, baby, toddler, teenager, brat, jerk, idiot, moron, martyr, drama queen,
    control freak, bully, snob, liar, hypocrite, coward, loser, prude, pervert, narcissist, cheat,
    cheater, bore, mess, joke, disappointment, nightmare, monster, robot, doormat, pushover,
    know-it-all, workaholic, couch potato, slacker, freeloader, user, tyrant, dictator, cold fish,
    wet blanket, killjoy, spoilsport, kid, princess, diva, pain, pain in the neck,
    grump, grouch, misery, moaner, whinger, sulker, bully, show-off, flake
""")

# Polarity of a predicate: what is kind or warm, and what is critical or painful.
POSITIVE = compile_words(
    verbs("""
        love, adore, appreciate, cherish, thank, care, support, help, listen,
        understand/understood, comfort, reassure, encourage, cheer, smile, hug/hugged/hugging,
        cuddle, kiss, hold/held, remember, notice, surprise, forgive/forgave/forgiven, apologise,
        apologize, compliment, praise, celebrate, enjoy
    """),
    words("""
        thanks, thank you, grateful, kind, kindly, kindness, sweet, gentle, gently, patient,
        generous, thoughtful, caring, supportive, helpful, happy, happier, safe, safer, calm,
        relaxed, loved, wanted, desired, beautiful, gorgeous, sexy, attractive, attracted,
        interested, special, seen, heard, valued, respected, appreciated, cared for, close, closer,
        warm, good, great, best, lovely, wonderful, amazing, brilliant, fantastic, perfect, fun,
        funny, romantic, affectionate, tender, effort, thought, honest, brave, braver, proud,
        sorry, confident, beloved, cherished, royalty, queen, king, equal, wild, melt, melts, relax,
        relaxes, excited, hopeful, joy, delight, delighted, glad, pleasure, pleased, touch, touches,
        touched, touching, patience, tenderness, worth it, lucky, blessed
    """),
    r"laugh(?:s|ed|ing)?(?!\s+at)",
    r"(?:make|makes|made)\s+time",
    r"(?:find|finds|found)\s+(?:time|a\s+way)",
    r"(?:know|knows|knew|known)\s+(?:exactly\s+)?(?:how|what|when)",
    r"manage(?:s|d)?\s+to",
    r"work(?:s|ed)?\s+(?:so\s+|really\s+)?hard",
    r"look(?:s|ed)?\s+after",
    r"(?:take|takes|took)\s+care",
    r"ask\w*\s+(?:me\s+)?(?:about|how|if|whether|after|first)",
    r"check\w*\s+(?:in|on)",
    r"(?:get|gets|got)\s+me(?!\s+(?:down|wrong|angry|upset|into))",
    r"(?:how\s+much|what)\s+(?:you|it|this|that|we)\s+(?:mean|means|meant)\s+to\s+(?:me|us)",
    r"(?:on|by)\s+your\s+side",
    r"(?:here|there)\s+for\s+you",
    r"trying(?!\s+to)",
    r"(?:do|does|doing|did)\s+(?:your|my|our|their)\s+best",
    r"(?:do|does|doing)\s+(?:so\s+|really\s+|very\s+)?well",
)
NEGATIVE = compile_words(
    verbs("""
        ignore, interrupt, forget/forgot/forgotten/forgetting, criticise, criticize, complain,
        judge, blame, rush, pressure, pressurise, pressurize, push, nag/nagged/nagging, shout,
        yell, snap/snapped/snapping, sulk, sigh, mock, belittle, dismiss, fail, neglect, refuse,
        avoid, cheat, hide/hid, pretend, fight/fought, argue, moan, whine, grumble, ruin,
        spoil/spoilt, cry/cries/cried, scream, dread, hate, punish, manipulate, control, insult,
        tease, beg, mind, disappear, vanish, withdraw, ghost
    """),
    words("""
        late, lazy, selfish, rude, mean, cold, harsh, angry, mad, upset, hurt, hurts, hurting, sad,
        lonely, alone, small, stupid, silly, bad, awful, terrible, horrible, worse, worst, wrong,
        guilty, ashamed, embarrassed, embarrassing, humiliated, disgusting, disgusted, ugly,
        invisible, unwanted, unloved, unattractive, burden, crazy, ridiculous, lying, grumpy,
        moody, fault, controlling, anxious, scared, afraid, frightened, worried, nervous, tense,
        miserable, frustrated, furious, exhausted, drained, trapped, used, worthless, useless,
        pathetic, boring, bored, annoyed, annoying, irritated, unfair, mess, messy, sick, tired,
        fed up, nothing, up the wall, nuts, in front of, insane, dirt, rubbish, garbage, trash,
        pain, painful, awkward, jealous, dramatic, on purpose, deliberately, instead of me,
        instead of us, over me, before me, problem, problems, issue, issues, zone out,
        zones out, zoned out, tune out, tunes out, tuned out, switch off, switches off,
        switched off, shut down, shuts down, clam up, clams up, go silent, goes silent
    """),
    r"roll\w*\s+your\s+eyes",
    r"(?:turn|pull)\w*\s+away",
    r"push\w*\s+me\s+away",
    r"shut\w*\s+me\s+out",
    r"walk\w*\s+(?:out|off|away)",
    r"storm\w*\s+off",
    r"laugh\w*\s+at",
    r"make\w*\s+fun",
    r"brush\w*\s+(?:me\s+)?off",
    r"let\w*\s+(?:me|us)\s+down",
    r"(?:give|gave|given|giving)\s+up",
    r"lie(?:s|d)?",
    r"chang\w*\s+the\s+subject",
    r"(?:tell\w*|told)\s+everyone",
    r"pick\w*\s+(?:a\s+)?fights?",
    r"pick\w*\s+on",
    r"(?:bring\w*|brought)\s+(?:(?:it|that|this|them)\s+)?up",
    r"too(?=\s+\w)",
    r"(?:more|rather)\b[^,.;]*\bthan\s+(?:me|us|i\s+do|i\s+am|with\s+me)",
)
# Painful feelings someone may say they were "made" to feel, without the word "feel".
FELT = compile_words(
    words("""
        angry, mad, upset, hurt, sad, lonely, small, stupid, silly, guilty, ashamed, embarrassed,
        humiliated, disgusted, ugly, invisible, unwanted, unloved, unattractive, anxious, scared,
        afraid, frightened, worried, nervous, tense, miserable, frustrated, furious, exhausted,
        drained, trapped, used, worthless, sick, tired, fed up, insecure, jealous, unsafe,
        rejected, ignored, judged, pressured, rushed, crazy, paranoid, like
    """)
)
NEGATORS = compile_words(
    r"\w+n't",
    r"(?:stop|stops|stopped|stopping|quit|quits)(?!\s+to\b)",
    r"no\s+longer",
    # "Without me asking", "without being told": done unprompted, which is kind, not an
    # absence. "Without asking me" (not consulting) still negates.
    r"without(?!\s+(?:me|my|us|our|anyone|anybody|(?:me\s+|us\s+)?having\s+to|being)\s+"
    r"(?:ask|asks|asking|asked|remind|reminding|reminded|prompt|prompting|prompted|told|"
    r"tell|telling|being\s+(?:asked|told|reminded|prompted)|ask\w*\s+for\s+it)\b)",
    words("not, never, no, hardly, barely, nobody, no one, none, neither, nor, cannot"),
)

# An empathic guess about how the partner is doing is care, not a judgement.
EMPATHY = compile_words(
    words("""
        tired, stressed, exhausted, overwhelmed, anxious, nervous, worried, scared, sad, hurting,
        going through, busy, struggling, burnt out, burned out, stretched thin, unwell, poorly,
        sick, grieving, low, down, shy
    """),
    r"under\s+(?:a\s+lot\s+of\s+)?pressure",
    r"need(?:s)?\s+(?:some\s+)?(?:space|time|rest)",
)

# Things it is kind to tell someone they need: rest, care, a break.
CARE = compile_words(
    words("""
        rest, sleep, get some sleep, get some rest, take a break, take a breather, take a nap,
        take a rest, take care of yourself, take it easy on yourself, look after yourself,
        go easy on yourself, be kind to yourself, be gentle with yourself,
        be patient with yourself, eat something, see a doctor, put yourself first, treat yourself,
        be proud, hear this
    """),
)
