"""Crypto-shredding of personal data in events.

Events are immutable, yet PIPL requires that a person's data can be erased. Personal fields are
therefore sealed (AES-GCM) with a key per person, kept in the owning service's database.
Erasing the person deletes the key; their sealed fields then open as ERASED forever, in every
read and every replay. The bus only ever carries sealed values.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .masking import ERASED, UNREADABLE

SEALED_PREFIX = "sealed:v1:"
_NONCE = 12
_TAG = 16


def is_sealed(value: object) -> bool:
    """Whether a stored value is in the sealed form. Only for reading: the store seals every
    personal value it is given, whatever it looks like, since a person may type this prefix."""
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def seal_with(key: bytes, subject_id: str, plaintext: str) -> str:
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, plaintext.encode(), subject_id.encode())
    return SEALED_PREFIX + base64.b64encode(nonce + ct).decode()


def open_with(key: bytes | None, subject_id: str, sealed: str) -> str:
    """The clear value, ERASED once the person's key is gone, or UNREADABLE for anything that
    is not a ciphertext of ours. Never raises: one stored value must not make its whole stream
    unreadable (every later command on the stream reads it)."""
    if key is None:
        return ERASED
    try:
        raw = base64.b64decode(sealed[len(SEALED_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        return UNREADABLE
    if len(raw) < _NONCE + _TAG:
        return UNREADABLE
    try:
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], subject_id.encode()).decode()
    except InvalidTag:
        # Sealed under another key (a re-created one after an erasure, or a foreign value).
        return UNREADABLE
    except UnicodeDecodeError:
        return UNREADABLE


class Vault:
    """Per-person keys in the service's database."""

    async def keys_for_sealing(self, conn: asyncpg.Connection, subjects: Iterable[str]) -> dict[str, bytes]:
        wanted = sorted(set(subjects))
        if not wanted:
            return {}
        # Serialized with `forget` per person, so a key cannot be re-created after an erasure.
        for subject in wanted:
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('redpark.person:' || $1))", subject)
        erased = await conn.fetch(
            "SELECT subject_id FROM personal_erasures WHERE subject_id = ANY($1::text[])", wanted)
        if erased:
            raise PermissionError("personal data of an erased person cannot be stored again")
        fresh = [(s, os.urandom(32)) for s in wanted]
        await conn.executemany(
            "INSERT INTO personal_keys (subject_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING", fresh)
        rows = await conn.fetch(
            "SELECT subject_id, key FROM personal_keys WHERE subject_id = ANY($1::text[])", wanted)
        return {r["subject_id"]: bytes(r["key"]) for r in rows}

    async def keys_for_opening(self, conn: asyncpg.Connection | asyncpg.Pool, subjects: Iterable[str]) -> dict[str, bytes]:
        wanted = sorted(set(subjects))
        if not wanted:
            return {}
        rows = await conn.fetch(
            "SELECT subject_id, key FROM personal_keys WHERE subject_id = ANY($1::text[])", wanted)
        return {r["subject_id"]: bytes(r["key"]) for r in rows}

    async def forget(self, pool: asyncpg.Pool, subject_id: str) -> None:
        # One transaction, under the person's lock, erasure recorded before the key goes: an append
        # sealing for this person either finished before (its data is erased with the key) or
        # sees the erasure and is refused.
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('redpark.person:' || $1))", subject_id)
            await conn.execute(
                "INSERT INTO personal_erasures (subject_id) VALUES ($1) ON CONFLICT DO NOTHING", subject_id)
            await conn.execute("DELETE FROM personal_keys WHERE subject_id = $1", subject_id)
