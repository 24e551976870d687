"""Reads of the four service platforms: services and requests, funding applications,
internship bases, activities."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from .paging import paged


async def open_request_exists(pool: asyncpg.Pool, enterprise_id: str, service_id: str) -> bool:
    return bool(await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM sup_requests WHERE enterprise_id = $1 AND service_id = $2"
        " AND status IN ('submitted', 'accepted'))", enterprise_id, service_id))


class ServiceRow(msgspec.Struct, frozen=True, kw_only=True):
    service_id: str
    platform: str
    name: str
    description: str
    provider_name: str
    provider_kind: str
    listed_on: date
    active: bool


async def services(pool: asyncpg.Pool, platform: str | None = None, *,
                   paging: PageRequest | None = None) -> Page[ServiceRow]:
    return await paged(pool, "SELECT * FROM sup_services WHERE ($1::text IS NULL OR platform = $1)"
                        " ORDER BY platform, service_id", (platform,), paging, lambda r: ServiceRow(**dict(r)))


class RequestRow(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    service_id: str
    platform: str
    enterprise_id: str
    description: str
    status: str
    submitted_on: date
    accepted_on: date | None
    finished_on: date | None
    outcome: str | None


async def requests(pool: asyncpg.Pool, status: str | None = None, *,
                   paging: PageRequest | None = None) -> Page[RequestRow]:
    return await paged(pool, "SELECT * FROM sup_requests WHERE ($1::text IS NULL OR status = $1)"
                        " ORDER BY submitted_on, request_id", (status,), paging, lambda r: RequestRow(**dict(r)))


class ApplicationRow(msgspec.Struct, frozen=True, kw_only=True):
    application_id: str
    kind: str
    enterprise_id: str
    round: str
    amount_requested_fen: int
    purpose: str
    status: str
    submitted_on: date
    reviewer: str | None
    opinion: str | None
    recommended: bool | None
    amount_granted_fen: int | None
    decided_on: date | None
    reason: str | None


async def applications(pool: asyncpg.Pool, kind: str | None = None, *,
                       paging: PageRequest | None = None) -> Page[ApplicationRow]:
    return await paged(pool, "SELECT * FROM sup_applications WHERE ($1::text IS NULL OR kind = $1)"
                        " ORDER BY submitted_on, application_id", (kind,), paging,
                        lambda r: ApplicationRow(**dict(r)))


class InternshipBaseRow(msgspec.Struct, frozen=True, kw_only=True):
    base_id: str
    university: str
    host_enterprise_id: str | None
    places: int
    established_on: date
    closed_on: date | None


async def internship_bases(pool: asyncpg.Pool, *, paging: PageRequest | None = None) -> Page[InternshipBaseRow]:
    return await paged(pool, "SELECT * FROM sup_internship_bases ORDER BY base_id", (), paging,
                        lambda r: InternshipBaseRow(**dict(r)))


class ActivityRow(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: str
    title: str
    planned_on: date
    partners: list[str]
    status: str
    held_on: date | None
    participant_enterprise_ids: list[str]
    outside_participants: int
    outcomes: str


async def activities(pool: asyncpg.Pool, kind: str | None = None, *,
                     paging: PageRequest | None = None) -> Page[ActivityRow]:
    return await paged(pool, "SELECT * FROM sup_activities WHERE ($1::text IS NULL OR kind = $1)"
                        " ORDER BY planned_on, activity_id", (kind,), paging,
                        lambda r: ActivityRow(**{**dict(r), "partners": list(r["partners"]),
                                                 "participant_enterprise_ids": list(r["participant_enterprise_ids"])}))
