from __future__ import annotations

from interlude.consents.actions import consents_withdraw_all
from interlude.consents.models import Consent
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        Consent,
        "What you agreed to",
        rows=lambda u: Consent.objects.filter(user=u),
        fields={
            "kind": "Agreement",
            "version": "Version",
            "given_at": "Agreed",
            "withdrawn_at": "Withdrawn",
        },
        # Every agreement is withdrawn; the record that it was given and withdrawn stays.
        erase=lambda u: consents_withdraw_all(user=u),
    )
]
