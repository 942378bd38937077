"""Envelope encryption on AES-256-GCM.

Master keys come from the environment (never the database). Each client and each couple case has
a random 256-bit data key, stored only wrapped (encrypted) by a master key. Values are encrypted
with the owner's data key; the associated data binds each value to its table, row, field and
owner, so a value copied elsewhere does not decrypt. Any tampering raises DecryptionError.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VALUE_PREFIX = "v1:"
WRAP_VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


class CryptoError(Exception):
    """Base for every encryption failure."""


class DecryptionError(CryptoError):
    """The value was tampered with, belongs elsewhere, or its key is not available."""


class KeyDestroyed(DecryptionError):
    """The owner's data key was destroyed (crypto-shredded): the value is gone for good."""


class MasterKeyError(CryptoError):
    """The master key configuration is missing or malformed."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes = b""

    def __repr__(self) -> str:  # never print key material
        return f"MasterKey({self.key_id})"


def generate_key_text() -> str:
    """A new master key, as the text to put in INTERLUDE_MASTER_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_master_keys(raw: str) -> list[MasterKey]:
    """Parse a comma- or newline-separated list of base64 keys; the FIRST is the newest."""
    keys = []
    for part in raw.replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            key = base64.urlsafe_b64decode(part.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
            raise MasterKeyError("A master key is not valid base64.") from exc
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"Each master key must be {KEY_BYTES} bytes of base64.")
        keys.append(MasterKey(key_id=hashlib.sha256(key).hexdigest()[:16], key=key))
    if not keys:
        raise MasterKeyError("No master key was given.")
    if len({k.key_id for k in keys}) != len(keys):
        raise MasterKeyError("The same master key is listed twice.")
    return keys


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_key(master: MasterKey, data_key: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return WRAP_VERSION + nonce + AESGCM(master.key).encrypt(nonce, data_key, aad)


def unwrap_key(master: MasterKey, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != WRAP_VERSION:
        raise DecryptionError("Wrapped key has an unknown format.")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(master.key).decrypt(nonce, sealed, aad)
    except InvalidTag as exc:
        raise DecryptionError("Wrapped key does not open with this master key.") from exc


def encrypt_text(data_key: bytes, plaintext: str, aad: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), aad)
    return VALUE_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt_text(data_key: bytes, token: str, aad: bytes) -> str:
    if not token.startswith(VALUE_PREFIX):
        raise DecryptionError("Encrypted value has an unknown version.")
    try:
        raw = base64.b64decode(token[len(VALUE_PREFIX) :].encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise DecryptionError("Encrypted value is damaged.") from exc
    # Only the canonical encoding: a changed character always fails, even in padding bits.
    if (
        len(raw) < NONCE_BYTES + 16
        or base64.b64encode(raw).decode("ascii") != token[len(VALUE_PREFIX) :]
    ):
        raise DecryptionError("Encrypted value is damaged.")
    try:
        plain = AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise DecryptionError("Encrypted value does not belong here or was changed.") from exc
    return plain.decode("utf-8")
