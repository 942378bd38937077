from __future__ import annotations

from interlude.guides.actions import guides_erase_for
from interlude.guides.models import GuideDefault, GuideUse
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        GuideUse,
        "Guides you used",
        rows=lambda u: GuideUse.objects.filter(client=u),
        fields={
            "created_at": "When",
            "kind": "Guide",
            "minutes": "Length chosen (minutes)",
            "pattern": "Breathing rhythm",
            "seconds": "How long it ran (seconds)",
            "outcome": "Finished or stopped",
        },
        erase=lambda u: guides_erase_for(user=u),
    ),
    Record(
        GuideDefault,
        "What your therapist chose for your guides to offer first",
        rows=lambda u: GuideDefault.objects.filter(assignment__client=u).select_related(
            "assignment__version"
        ),
        fields={
            "assignment__version__title": "Exercise",
            "scan_minutes": "Body scan length",
            "pattern": "Breathing rhythm",
            "breathing_minutes": "Breathing minutes",
        },
        # Goes with your own exercises; a couple exercise's choice stays with your partner's.
        erase=lambda u: guides_erase_for(user=u),
    ),
]
