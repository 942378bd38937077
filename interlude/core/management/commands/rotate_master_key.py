import time
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction

from interlude.accounts.mfa import PREFIX as MFA_PREFIX
from interlude.encryption.keys import (
    ROTATION_BATCH_SIZE,
    ROTATION_PAUSE_SECONDS,
    master_keys,
    remaining_to_rewrap,
    reset_key_caches,
    rewrap_all,
)
from interlude.lib.crypto import DecryptionError, MasterKeyError

# Two-step sign-in secrets are encrypted with the master key itself (interlude.accounts.mfa), so
# they move to the new master key too; otherwise removing the old key would lock everyone out.
MFA_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]


class Command(BaseCommand):
    help = (
        "Move everything encrypted by an older master key to the newest one (the FIRST in "
        "INTERLUDE_MASTER_KEYS): every data key is re-wrapped and two-step sign-in secrets are "
        "re-encrypted. It runs beside a live Interlude: each batch is a short transaction, and it "
        "pauses between batches so web requests can write. Safe to interrupt: each batch "
        "commits, and running it again continues where it stopped. When nothing remains, remove "
        "the older keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=ROTATION_BATCH_SIZE)
        parser.add_argument(
            "--pause",
            type=float,
            default=ROTATION_PAUSE_SECONDS,
            help="Seconds to wait between batches, letting web requests write (default "
            f"{ROTATION_PAUSE_SECONDS}; on SQLite keep it above 0.1).",
        )

    def handle(self, *args: Any, batch_size: int, pause: float, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if pause < 0:
            raise CommandError("--pause cannot be negative.")
        reset_key_caches()
        try:
            newest = master_keys()[0]
        except MasterKeyError as exc:
            raise CommandError(f"INTERLUDE_MASTER_KEYS is not usable: {exc}") from exc
        todo = remaining_to_rewrap()
        self.stdout.write(f"Newest master key: {newest.key_id}.")
        self.stdout.write(f"Data keys to re-wrap: {todo}.")
        try:
            done, remaining = rewrap_all(
                batch_size,
                pause=pause,
                on_batch=lambda n: self.stdout.write(f"  re-wrapped {n} of {todo}"),
            )
            mfa_done = self.rotate_mfa_secrets(newest.key_id, batch_size, pause)
        except DecryptionError as exc:
            raise CommandError(
                f"Stopped: {exc}\n{remaining_to_rewrap()} data keys and "
                f"{len(stale_mfa_ids(newest.key_id))} two-step sign-in records remain under "
                "older master keys. Fix the cause (is every older master key still in "
                "INTERLUDE_MASTER_KEYS, after the newest?), then run rotate_master_key again: it "
                "continues where it stopped."
            ) from exc
        except DatabaseError as exc:
            # For example the busy timeout ran out while web requests held the write lock.
            raise CommandError(
                f"Stopped: the database said {exc}. Every batch done so far is saved: run "
                "rotate_master_key again to continue where it stopped."
            ) from exc
        mfa_remaining = len(stale_mfa_ids(newest.key_id))
        self.stdout.write(f"Re-wrapped {done} data keys; {remaining} remain under older keys.")
        self.stdout.write(
            f"Re-encrypted {mfa_done} two-step sign-in records; {mfa_remaining} remain under "
            "older keys."
        )
        if remaining or mfa_remaining:
            raise CommandError("Some remain under older master keys: run rotate_master_key again.")
        self.stdout.write(
            f"Everything is under master key {newest.key_id}. You may now remove the older keys "
            "from INTERLUDE_MASTER_KEYS."
        )

    def rotate_mfa_secrets(self, newest_id: str, batch_size: int, pause: float) -> int:
        adapter = get_adapter()
        ids = stale_mfa_ids(newest_id)
        done = 0
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                # Locked while rewritten: a recovery code used meanwhile must stay used.
                rows = Authenticator.objects.select_for_update().filter(
                    pk__in=ids[start : start + batch_size]
                )
                for row in rows:
                    row.data = {
                        name: reencrypt(value, newest_id, adapter)
                        for name, value in row.data.items()
                    }
                    row.save(update_fields=["data"])
                    done += 1
            self.stdout.write(f"  re-encrypted {done} of {len(ids)} two-step sign-in records")
            if start + batch_size < len(ids):
                time.sleep(pause)  # as between data-key batches: web requests go first
        return done


def is_stale(value: Any, newest_id: str) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(MFA_PREFIX)
        and not value.startswith(f"{MFA_PREFIX}{newest_id}:")
    )


def reencrypt(value: Any, newest_id: str, adapter: Any) -> Any:
    if isinstance(value, list):
        return [reencrypt(item, newest_id, adapter) for item in value]
    if is_stale(value, newest_id):
        return adapter.encrypt(adapter.decrypt(value))
    return value


def stale_mfa_ids(newest_id: str) -> list[int]:
    ids = []
    for pk, data in Authenticator.objects.filter(type__in=MFA_TYPES).values_list("pk", "data"):
        values = [
            v for value in data.values() for v in (value if isinstance(value, list) else [value])
        ]
        if any(is_stale(v, newest_id) for v in values):
            ids.append(pk)
    return sorted(ids)
