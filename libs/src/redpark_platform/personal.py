"""Crypto-shredding of personal data in events.

Events are immutable, yet PIPL requires that a person's data can be erased. Personal fields are
therefore sealed (AES-GCM) with a key per person, kept in the owning service's database.
Erasing the person deletes the key; their sealed fields then open as ERASED forever, in every
read and every replay. The bus only ever carries sealed values.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .masking import ERASED

SEALED_PREFIX = "sealed:v1:"


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def seal_with(key: bytes, subject_id: str, plaintext: str) -> str:
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, plaintext.encode(), subject_id.encode())
    return SEALED_PREFIX + base64.b64encode(nonce + ct).decode()


def open_with(key: bytes | None, subject_id: str, sealed: str) -> str:
    if key is None:
        return ERASED
    raw = base64.b64decode(sealed[len(SEALED_PREFIX):])
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.encode()).decode()
    except InvalidTag:
        return ERASED  # sealed under a key that no longer exists: the person was erased


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
