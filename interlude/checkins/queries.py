"""Reads for the check-in pages, with a constant number of queries however many weeks there
have been."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from interlude.checkins.access import (
    Place,
    agreed_versions,
    current_checkin,
    earlier_checkins,
    own_preparation,
    shared_by_partner,
    together,
)
from interlude.checkins.forms import Choices
from interlude.checkins.models import (
    AgreedVersion,
    Answer,
    CheckIn,
    CheckinAgenda,
    CheckinQuestion,
    Preparation,
)
from interlude.checkins.questions import Question, agenda, questions_for, week_of, week_words
from interlude.sharing.person import Person
from interlude.sharing.rules import allowed_visibilities
from interlude.sharing.visibility import Visibility

# A held check-in is announced on the check-in page for this long.
ANNOUNCED_FOR = dt.timedelta(days=7)


def tailoring_of(place: Place) -> tuple[CheckinAgenda | None, list[CheckinQuestion]]:
    """The therapist's tailoring of PLACE's agenda and the questions they added."""
    tailoring = CheckinAgenda.objects.filter(assignment_id=place.assignment_id).first()
    added = list(tailoring.questions.all()) if tailoring is not None else []
    return tailoring, added


def choices_for(person: Person, place: Place) -> Choices:
    """Who PERSON may give their answers to now, by name."""
    therapist = person.therapist.display_name if person.therapist else "Your therapist"
    partner = person.partner
    may_share = (
        together(person, place)
        and partner is not None
        and str(Visibility.PARTNER) in allowed_visibilities(person)
    )
    name = partner.display_name if may_share and partner is not None else ""
    return Choices(therapist=therapist, partner=name)


def who_sees(answer: Answer, *, therapist: str, partner: str, held: bool) -> str:
    """Who can read one of the person's own answers, in a sentence (no partner wording when
    PARTNER is "": a client on their own)."""
    visibility = answer.effective_visibility
    name = partner or "your partner"  # only ever needed where an answer was shared
    if visibility == Visibility.BOTH:
        return f"Shared with {name} and with {therapist}, your therapist."
    if visibility == Visibility.PARTNER:
        if held:
            return f"Shared with {name}."
        return f"Shared with {name} once the check-in is ready to read together."
    kept = "Kept for our session. " if partner else ""
    if visibility == Visibility.THERAPIST:
        return f"{kept}You and {therapist}, your therapist, can read it."
    return f"{kept}Only you can read it."


@dataclass
class Pair:
    """One question of a held check-in: what the person wrote and what their partner shared."""

    key: str
    title: str
    question: str
    mine: Answer | None
    theirs: Answer | None
    mine_who: str = ""


@dataclass
class CheckinPage:
    """Everything the check-in page shows around its form."""

    place: Place
    person: Person
    together: bool
    choices: Choices
    checkin: CheckIn | None
    preparation: Preparation | None
    questions: list[Question]
    earlier: list[CheckIn]
    announce: CheckIn | None = None  # a check-in held lately, ready to read
    answers: list[Answer] = field(default_factory=list)

    @property
    def solo(self) -> bool:
        return not self.together

    @property
    def intro(self) -> str:
        return agenda().intro(solo=self.solo)

    @property
    def ready(self) -> bool:
        return self.preparation is not None and self.preparation.ready_at is not None

    @property
    def held(self) -> bool:
        return self.checkin is not None and self.checkin.held_at is not None

    @property
    def week(self) -> str:
        week = self.checkin.week if self.checkin else week_of(self.person.user)
        return week_words(week)

    @property
    def lines(self) -> list[tuple[Answer, str]]:
        """The person's own answers, each with who can read it."""
        partner = self.person.partner.display_name if self.together and self.person.partner else ""
        return [
            (a, who_sees(a, therapist=self.choices.therapist, partner=partner, held=self.held))
            for a in self.answers
        ]


def checkin_page(place: Place, person: Person) -> CheckinPage:
    """The check-in page's context for PERSON: this week's preparation (or what is waiting),
    and their earlier check-ins."""
    with_partner = together(person, place)
    checkin = current_checkin(place, person)
    preparation = own_preparation(checkin, person)
    answers = list(preparation.answers.all()) if preparation is not None else []
    tailoring, added = tailoring_of(place)
    solo = not with_partner if checkin is None else checkin.solo or not with_partner
    questions = questions_for(tailoring, added, solo=solo)
    # An answer to a question the therapist has since left out is still the person's: it stays.
    asked = {q.key for q in questions}
    questions += [
        Question(key=a.key, title="An earlier question", text=a.question)
        for a in answers
        if a.key not in asked
    ]
    earlier = earlier_checkins(place, person, checkin)
    announce = None
    since = timezone.now() - ANNOUNCED_FOR
    for candidate in [checkin, *earlier]:
        if candidate is not None and candidate.held_at and candidate.held_at >= since:
            announce = candidate if not candidate.solo else None
            break
    return CheckinPage(
        place=place,
        person=person,
        together=not solo,
        choices=choices_for(person, place),
        checkin=checkin,
        preparation=preparation,
        questions=questions,
        earlier=earlier,
        announce=announce,
        answers=answers,
    )


@dataclass
class WeekPage:
    """One check-in read back: each question with both answers (once held), and the note."""

    place: Place
    checkin: CheckIn
    together: bool
    pairs: list[Pair]
    partner_name: str
    versions: list[AgreedVersion] | None
    agreed_draft: str
    preparation: Preparation | None

    @property
    def week(self) -> str:
        return week_words(self.checkin.week)

    @property
    def note(self) -> AgreedVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def after(self) -> tuple[str, ...]:
        return agenda().after(solo=not self.together)

    @property
    def shared_any(self) -> bool:
        return any(pair.theirs for pair in self.pairs)


def week_page(place: Place, person: Person, checkin: CheckIn) -> WeekPage:
    """CHECKIN as PERSON may read it: their own answers always; their partner's shared
    answers and the agreed note only once it is held and only under their current link."""
    preparation = own_preparation(checkin, person)
    mine = list(preparation.answers.all()) if preparation is not None else []
    theirs = shared_by_partner(checkin, person)
    versions = agreed_versions(checkin, person)
    with_partner = versions is not None
    titles = {s.slug: s.title for s in agenda().sections}
    therapist = person.therapist.display_name if person.therapist else "your therapist"
    pairs: dict[str, Pair] = {}
    for answer in sorted([*mine, *theirs], key=lambda a: a.position):
        pair = pairs.get(answer.key)
        if pair is None:
            pair = pairs[answer.key] = Pair(
                key=answer.key,
                title=titles.get(answer.key, f"A question from {therapist}"),
                question=answer.question,
                mine=None,
                theirs=None,
            )
        if answer.author_id == person.user.pk:
            pair.mine = answer
        else:
            pair.theirs = answer
    partner = person.partner
    partner_name = partner.display_name if partner is not None and with_partner else ""
    couple_work = not checkin.solo and partner is not None and checkin.couple_id == person.couple_id
    for pair in pairs.values():
        if pair.mine is not None:
            pair.mine_who = who_sees(
                pair.mine,
                therapist=therapist,
                partner=partner.display_name if couple_work and partner else "",
                held=checkin.held_at is not None,
            )
    return WeekPage(
        place=place,
        checkin=checkin,
        together=with_partner,
        pairs=list(pairs.values()),
        partner_name=partner_name,
        versions=versions,
        agreed_draft=preparation.agreed_draft if preparation is not None else "",
        preparation=preparation,
    )
