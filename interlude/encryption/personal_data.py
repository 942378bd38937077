from __future__ import annotations

from interlude.encryption.keys import destroy_data_key
from interlude.encryption.models import DataKey
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        DataKey,
        "Your data key",
        rows=lambda u: DataKey.objects.filter(owner_kind=DataKey.OwnerKind.USER, owner_id=u.pk),
        not_exported_because="key material, useless outside this installation",
        # Destroyed first of all: everything you wrote becomes unreadable, backups included.
        erase=lambda u: destroy_data_key(DataKey.OwnerKind.USER, u.pk),
    )
]
