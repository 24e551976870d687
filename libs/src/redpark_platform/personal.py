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
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import asyncpg
import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .events import Event
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
        """The keys to seal with, made on first use; none for an erased person."""
        wanted = sorted(set(subjects))
        if not wanted:
            return {}
        # Serialized with `forget` per person, so a key cannot be re-created after an erasure.
        for subject in wanted:
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('redpark.person:' || $1))", subject)
        # An erased person gets no key again: the caller stores their fields as ERASED (a waiting
        # registration promoted after its registrant was erased still happens, naming no one).
        erased = {r["subject_id"] for r in await conn.fetch(
            "SELECT subject_id FROM personal_erasures WHERE subject_id = ANY($1::text[])", wanted)}
        wanted = [s for s in wanted if s not in erased]
        if not wanted:
            return {}
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


Ev = TypeVar("Ev", bound=Event)


async def open_personal(conn: Any, events: Sequence[Ev], *, only: Iterable[str] | None = None,
                        vault: Vault | None = None) -> list[Ev]:
    """The events with their sealed personal fields opened (all of them, or those in `only`) with the
    keys in `conn`'s database: `已删除` for an erased person."""
    wanted = None if only is None else frozenset(only)
    subjects = [getattr(e, e.personal_subject) for e in events if e.personal_fields]
    if not subjects:
        return list(events)
    keys = await (vault or Vault()).keys_for_opening(conn, subjects)
    opened: list[Ev] = []
    for e in events:
        if e.personal_fields:
            subject = getattr(e, e.personal_subject)
            key = keys.get(subject)
            e = msgspec.structs.replace(e, **{
                f: open_with(key, subject, v) if is_sealed(v) else v
                for f in e.personal_fields
                if (wanted is None or f in wanted) and isinstance(v := getattr(e, f), str)
            })
        opened.append(e)
    return opened
