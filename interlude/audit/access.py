from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from interlude.audit.models import AuditEvent

if TYPE_CHECKING:  # audit sits below accounts
    from interlude.accounts.models import User

LABELS = {
    "read.journal.therapist": "opened the journal entries you shared with them",
    "read.journal.partner": "opened the journal entries you shared with them",
    "read.fantasy.therapist": "opened the fantasies and sensations you shared with them",
    "read.fantasy.partner": "opened the fantasies and sensations you shared with them",
    "read.ladder.therapist": "opened your exposure ladder",
    "read.desire.therapist": "opened the desire-map items you chose to share with them",
    "read.checkin.partner": "read the check-in answers you shared with them",
    "read.client.therapist": "opened your record",
    "read.export.transfer": "exported your record for a transfer of care",
}


@dataclass
class AccessRow:
    """Someone's reads of the record on one day, told once: "opened your record 13 times"."""

    who: str
    what: str
    day: date
    last: datetime
    times: int

    @property
    def sentence(self) -> str:
        return self.what if self.times == 1 else f"{self.what} ({self.times} times)"


def access_history_for(user: User, limit: int = 1000) -> list[AccessRow]:
    """Who other than the client opened the client's record, newest first: repeated reads of
    the same kind by the same person on the same (local) day are one row with a count.

    A partner reading what was shared with them is left out: the page would otherwise tell
    each partner when the other reads, a way to keep watch on someone. Those reads stay in the
    audit log (and in the export's list of what happened)."""
    events = (
        AuditEvent.objects.filter(subject=user, action__startswith="read.")
        .exclude(actor=user)
        .exclude(action__endswith=".partner")
        .select_related("actor")[:limit]
    )
    rows: dict[tuple[int | None, str, date], AccessRow] = {}
    for event in events:
        day = timezone.localtime(event.at).date()
        key = (event.actor_id, event.action, day)
        row = rows.get(key)
        if row is None:
            who = event.actor.display_name if event.actor else "Someone no longer at the practice"
            what = LABELS.get(event.action, "opened your record")
            rows[key] = AccessRow(who, what, day, event.at, 1)
        else:
            row.times += 1
    return list(rows.values())


# What each recorded action means, in words for the person whose record it is.
ACTION_WORDS = {
    "account.delete": "deleted the account",
    "account.time_zone_set": "chose a time zone",
    "assignment.create": "gave an exercise",
    "assignment.change": "changed an exercise",
    "assignment.paused": "paused an exercise",
    "assignment.resumed": "resumed an exercise",
    "assignment.discarded": "set an exercise aside",
    "assignment.stage_ready": "said they felt ready for the next stage",
    "assignment.stage_open": "a new stage opened",
    "client.join": "joined as a client",
    "consent.give": "agreed",
    "couple.create": "started couple work",
    "couple.consent": "agreed to link",
    "couple.join": "linked",
    "couple.leave": "ended the link",
    "couple.partner_not_taking_part": "noted that a partner is not taking part",
    "export.self": "downloaded their data",
    "journal.create": "wrote a journal entry",
    "journal.update": "changed a journal entry",
    "journal.delete": "deleted a journal entry",
    "practice.record": "noted a practice",
    "practice.afterwards": "added to a practice note",
    "practice.undo_stop": "took back a stop",
    "practice.create": "set up the practice",
    "practice.join": "joined the practice",
    "account.remove_unconfirmed": "removed an account that was never confirmed",
    "assignment.stage_back": "went back a stage",
    "assignment.stage_unready": "said they were not ready after all",
    "exercise.copy": "made their own copy of an exercise",
    "exercise.library_add": "added an exercise to the library",
    "exercise.library_update": "updated the library",
    "exercise.update": "changed an exercise",
    "desire.send": "sent their desire-map answers",
    "desire.take_back": "took their desire-map answers back to change them",
    "desire.reopen": "reopened their desire-map answers",
    "desire.go_ahead": "chose to go ahead with a desire-map comparison",
    "desire.reveal": "a desire-map round was compared",
    "desire.finish": "finished a desire-map round",
    "desire.round_ask": "asked for a new desire-map round",
    "desire.round_agree": "agreed to a new desire-map round",
    "desire.round_not_now": "said not now to a new desire-map round",
    "desire.round_open": "a new desire-map round opened",
    "desire.item_add": "added an item to a desire map",
    "desire.item_remove": "left an item out of a desire map",
    "desire.settings": "changed what a desire map offers",
    "desire.share_on": "shared desire-map items with their therapist",
    "desire.share_off": "stopped sharing desire-map items with their therapist",
    "fantasy.create": "wrote in their fantasy journal",
    "fantasy.update": "changed a fantasy journal entry",
    "fantasy.delete": "deleted a fantasy journal entry",
    "sensation.create": "noted a new sensation",
    "sensation.update": "changed a sensation note",
    "sensation.delete": "deleted a sensation note",
    "guide.use": "used a guide",
    "guide.default": "chose what a guide offers first",
    "ladder.create": "started an exposure ladder",
    "checkin.ready": "said they were ready for the check-in",
    "checkin.not_ready": "took back being ready for the check-in",
    "checkin.held": "a check-in was read together",
    "checkin.agreed": "changed the note of what was agreed",
    "checkin.agenda": "chose the check-in's questions",
    "reminders.settings": "changed their reminders",
    "reminders.calendar_on": "made a private calendar link",
    "reminders.calendar_off": "turned off the calendar link",
    "reminders.notice": "was told of something new",
    "session.record": "noted a session",
    "session.plan": "planned a session",
    "session.cancel": "cancelled a planned session",
    "clinical_note.save": "wrote in the clinical record",
    "record.erase": "erased a clinical record after its retention period",
    "practice.crisis_details": "changed the practice's urgent-help details",
    "practice.record_retention": "changed how long the practice keeps clinical records",
    "measure.assign": "offered a questionnaire",
    "measure.end": "stopped offering a questionnaire",
    "measure.respond": "answered a questionnaire",
    "safety_alert.raise": "an answer was passed to the therapist to follow up",
    "safety_alert.acknowledge": "followed up an answer",
}


def action_words(action: str) -> str:
    """An audit action in plain words (reads and withdrawals by their kind)."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    if action.startswith("read."):
        return LABELS.get(action, "opened the record")
    if action.startswith("consent.withdraw"):
        return "withdrew an agreement"
    if action.startswith("invitation."):
        return "an invitation was " + action.split(".")[1].replace("create", "sent").replace(
            "accept", "accepted"
        ).replace("revoke", "withdrawn")
    return action.replace(".", " ").replace("_", " ")
