"""Zones, buildings and enterprises (园区、楼栋、入驻企业)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter

from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Floor, Floors, Headcount, Id, Ordinal, Phase
from redpark_platform.web.edge import Accepted, Dated, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page

from ..projections.park import NAME as PARK
from ..queries import park as park_reads
from .deps import Admin, Org, Reader

router = APIRouter(tags=["park"])


class NewZone(msgspec.Struct, frozen=True, kw_only=True):
    zone_id: Id
    name: str
    phase: Phase


class NewBuilding(msgspec.Struct, frozen=True, kw_only=True):
    building_id: Id
    zone_id: Id
    name: str
    floors: Floors
    sequence_in_zone: Ordinal


class BuildingAssignment(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: Id
    effective_on: date | None = None


class InstructorAppointment(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    effective_on: date | None = None


class EnterpriseProfile(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    building_id: Id
    floor: Floor
    headcount: Headcount
    is_tech_enterprise: bool
    legal_representative: str
    effective_on: date | None = None


class NewEnterprise(EnterpriseProfile, frozen=True, kw_only=True):
    enterprise_id: Id


class LiaisonAssignment(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    sent_by_branch_id: Id | None = None
    effective_on: date | None = None


ACCEPTED = response_schema(Accepted)
CREATED = response_schema(Accepted, status=201)


@router.post("/zones", status_code=201, responses=CREATED, dependencies=[Idempotent], summary="Define a zone")
async def define_zone(body: Annotated[NewZone, Body(NewZone, example=NewZone(zone_id="A", name="A区", phase=1))],
                      org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.define_zone(body.zone_id, body.name, body.phase), body.zone_id, 201)


@router.post("/buildings", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Register a building")
async def register_building(body: Annotated[NewBuilding, Body(NewBuilding, example=NewBuilding(
        building_id="a1", zone_id="A", name="1号楼", floors=12, sequence_in_zone=1))],
        org: Org, who: Admin) -> MsgspecResponse:
    result = await org.register_building(body.building_id, body.zone_id, body.name, body.floors,
                                         body.sequence_in_zone)
    return accepted(result, body.building_id, 201)


@router.put("/buildings/{building_id}/branch", responses=ACCEPTED,
            summary="Give the building to its responsible branch (one branch per building)")
async def assign_building(building_id: Id, body: Annotated[BuildingAssignment, Body(BuildingAssignment)],
                          org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.assign_building(building_id, body.branch_id, body.effective_on), building_id)


@router.delete("/buildings/{building_id}/branch", responses=ACCEPTED, summary="Release the building")
async def release_building(building_id: Id, org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.release_building(building_id, None), building_id)


@router.put("/buildings/{building_id}/instructor", responses=ACCEPTED, summary="Appoint the building instructor")
async def appoint_instructor(building_id: Id, body: Annotated[InstructorAppointment, Body(InstructorAppointment)],
                             org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.appoint_building_instructor(building_id, body.member_id, body.effective_on),
                    building_id)


@router.post("/enterprises", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="An enterprise moves in")
async def move_in(body: Annotated[NewEnterprise, Body(NewEnterprise, example=NewEnterprise(
        enterprise_id="e1", name="爱科技", building_id="a1", floor=3, headcount=40, is_tech_enterprise=True,
        legal_representative="张三"))], org: Org, who: Admin) -> MsgspecResponse:
    result = await org.move_in(enterprise_id=body.enterprise_id, name=body.name, building_id=body.building_id,
                               floor=body.floor, headcount=body.headcount, is_tech_enterprise=body.is_tech_enterprise,
                               legal_representative=body.legal_representative, on=body.effective_on)
    return accepted(result, body.enterprise_id, 201)


@router.put("/enterprises/{enterprise_id}", responses=ACCEPTED, summary="Update an enterprise's profile")
async def update_enterprise(enterprise_id: Id, body: Annotated[EnterpriseProfile, Body(EnterpriseProfile)],
                            org: Org, who: Admin) -> MsgspecResponse:
    result = await org.update_enterprise(
        enterprise_id=enterprise_id, name=body.name, building_id=body.building_id, floor=body.floor,
        headcount=body.headcount, is_tech_enterprise=body.is_tech_enterprise,
        legal_representative=body.legal_representative, on=body.effective_on)
    return accepted(result, enterprise_id)


@router.post("/enterprises/{enterprise_id}/move-out", responses=ACCEPTED, summary="The enterprise moves out")
async def move_out(enterprise_id: Id, body: Annotated[Dated, Body(Dated)], org: Org, who: Admin) -> MsgspecResponse:
    return accepted(await org.move_out(enterprise_id, body.effective_on), enterprise_id)


@router.put("/enterprises/{enterprise_id}/liaison-instructor", responses=ACCEPTED,
            summary="Send a liaison instructor to an enterprise with no members")
async def assign_liaison(enterprise_id: Id, body: Annotated[LiaisonAssignment, Body(LiaisonAssignment)],
                         org: Org, who: Admin) -> MsgspecResponse:
    result = await org.assign_liaison(enterprise_id, body.member_id, body.sent_by_branch_id, body.effective_on)
    return accepted(result, enterprise_id)


@router.get("/enterprises", responses=response_schema(Page[park_reads.EnterpriseRow]),
            summary="Enterprises and their cover, by id, paged", dependencies=[ReadYourWrites(PARK)])
async def list_enterprises(org: Org, who: Reader, paging: Paging,
                           include_moved_out: bool = False) -> MsgspecResponse:
    pool, in_park_only = org.runtime.pool, not include_moved_out
    rows = await park_reads.enterprises(pool, in_park_only=in_park_only, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, await park_reads.count_enterprises(pool, in_park_only=in_park_only), paging))
