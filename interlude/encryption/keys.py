"""Data keys: created on first use, cached briefly in memory, re-wrapped on rotation, destroyed
on deletion."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.encryption.models import DataKey
from interlude.lib.crypto import (
    DecryptionError,
    KeyDestroyed,
    MasterKey,
    new_data_key,
    parse_master_keys,
    unwrap_key,
    wrap_key,
)

CACHE_SECONDS = 60
_cache: dict[tuple[str, int], tuple[float, bytes]] = {}
_lock = threading.Lock()


@cache
def _master_keys(raw: str) -> tuple[MasterKey, ...]:
    return tuple(parse_master_keys(raw))


def master_keys() -> tuple[MasterKey, ...]:
    """The configured master keys, newest first."""
    return _master_keys(settings.INTERLUDE_MASTER_KEYS)


def _aad(owner_kind: str, owner_id: int) -> bytes:
    return f"interlude-data-key|{owner_kind}|{owner_id}".encode()


def _unwrap(row: DataKey) -> bytes:
    if row.destroyed_at is not None or not row.wrapped:
        raise KeyDestroyed(f"The data key of {row.owner_kind} {row.owner_id} was destroyed.")
    for master in master_keys():
        if master.key_id == row.master_key_id:
            return unwrap_key(master, bytes(row.wrapped), _aad(row.owner_kind, row.owner_id))
    raise DecryptionError(
        f"Master key {row.master_key_id} is not configured; add it to INTERLUDE_MASTER_KEYS."
    )


def data_key_for(owner_kind: str, owner_id: int, *, create: bool = True) -> bytes:
    """The plaintext data key of one owner, creating it on first use."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get((owner_kind, owner_id))
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    row = DataKey.objects.filter(owner_kind=owner_kind, owner_id=owner_id).first()
    if row is None:
        if not create:
            raise KeyDestroyed(f"No data key exists for {owner_kind} {owner_id}.")
        master = master_keys()[0]
        key = new_data_key()
        try:
            with transaction.atomic():
                row = DataKey.objects.create(
                    owner_kind=owner_kind,
                    owner_id=owner_id,
                    wrapped=wrap_key(master, key, _aad(owner_kind, owner_id)),
                    master_key_id=master.key_id,
                )
        except IntegrityError:  # another request created it first
            row = DataKey.objects.get(owner_kind=owner_kind, owner_id=owner_id)
    key = _unwrap(row)
    with _lock:
        _cache[(owner_kind, owner_id)] = (now, key)
    return key


def forget_cached_keys() -> None:
    with _lock:
        _cache.clear()


def reset_key_caches() -> None:
    """Forget cached data keys and parsed master keys: after INTERLUDE_MASTER_KEYS changes."""
    forget_cached_keys()
    _master_keys.cache_clear()


def destroy_data_key(owner_kind: str, owner_id: int) -> bool:
    """Crypto-shred: the key is overwritten and can never be recovered."""
    with _lock:
        _cache.pop((owner_kind, owner_id), None)
    updated = DataKey.objects.filter(
        owner_kind=owner_kind, owner_id=owner_id, destroyed_at__isnull=True
    ).update(wrapped=b"", master_key_id="", destroyed_at=timezone.now())
    if not updated:
        DataKey.objects.get_or_create(
            owner_kind=owner_kind,
            owner_id=owner_id,
            defaults={"destroyed_at": timezone.now()},
        )
    return bool(updated)


# Between two batches the rotation sleeps for longer than a waiting SQLite writer sleeps between
# two tries for the write lock: SQLite keeps no queue of writers, each one polls (every 100 ms at
# most, in SQLite's default busy handler), so without this pause a web request would almost never
# catch the moment between two batches, and would fail once its busy timeout ran out.
# (PostgreSQL queues writers on row locks; there the pause only makes the rotation longer.)
ROTATION_PAUSE_SECONDS = 0.15
ROTATION_BATCH_SIZE = 100


def rewrap_all(
    batch_size: int = ROTATION_BATCH_SIZE,
    *,
    pause: float = ROTATION_PAUSE_SECONDS,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Re-wrap every live data key under the newest master key.

    Each batch is its own short transaction, and the rotation pauses PAUSE seconds after each one
    so web requests waiting to write go first. Resumable: each batch commits, and keys already
    under the newest master key are skipped. Calls on_batch(re-wrapped so far) after each batch
    commits. Returns (re-wrapped, remaining)."""
    newest = master_keys()[0]
    done = 0
    after = 0
    while True:
        batch = list(
            DataKey.objects.filter(destroyed_at__isnull=True, pk__gt=after)
            .exclude(master_key_id=newest.key_id)
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        # Each key is looked at once per run; one changed meanwhile is counted as remaining.
        after = batch[-1].pk
        # Opened and wrapped again before the write lock is taken: the lock covers the updates only.
        rewrapped = []
        for row in batch:
            try:
                key = _unwrap(row)
            except DecryptionError as exc:
                raise DecryptionError(
                    f"The data key of {row.owner_kind} {row.owner_id} does not open: {exc}"
                ) from exc
            rewrapped.append((row, wrap_key(newest, key, _aad(row.owner_kind, row.owner_id))))
        with transaction.atomic():
            for row, wrapped in rewrapped:
                # Conditional on the row being as read: a key destroyed meanwhile stays destroyed
                # (writing it back would undo the crypto-shredding).
                done += DataKey.objects.filter(
                    pk=row.pk,
                    destroyed_at__isnull=True,
                    master_key_id=row.master_key_id,
                    wrapped=bytes(row.wrapped),
                ).update(wrapped=wrapped, master_key_id=newest.key_id)
        if on_batch is not None:
            on_batch(done)
        if len(batch) < batch_size:
            break
        time.sleep(pause)
    return done, remaining_to_rewrap()


def remaining_to_rewrap() -> int:
    """How many live data keys are still wrapped by an older master key."""
    newest = master_keys()[0]
    return (
        DataKey.objects.filter(destroyed_at__isnull=True).exclude(master_key_id=newest.key_id)
    ).count()
