"""The property-management system (物业管理系统): its webhooks in, our commands out.

This is the anti-corruption layer. The property system speaks of tenants (`tenant_code`),
buildings (`bldg_code`), floors (`floor_no`), rooms (`unit`) and park phases; we speak of
enterprises, buildings and zones with our own ids. Their codes are mapped to our ids in
`property_tenants` and `property_buildings` (sql/0006_tenancy.sql) and never reach an event.

What each notice does (applied by the inbox worker, `redpark_platform.inbox`):
- `building.added`: registers the building in the zone of that park phase (waits until the zone exists);
- `tenant.checked_in`: the tenant moves in as a new enterprise (uncovered until a branch or instructor);
  waits while its building is unknown;
- `tenant.checked_out`: it moves out (its cover ends with it); waits if its check-in has not arrived yet;
- `tenant.unit_changed`: it relocates (`enterprise.relocated`); a notice older than the newest one
  applied for the tenant changes nothing, so a late "changed floor" never overwrites a newer one.
Every step is idempotent (the worker may apply a delivery again after a crash).

Staff map buildings the park had before the integration: `PUT /integrations/property/buildings/{bldg_code}`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path

from redpark_platform.decider import DomainError, NotFound
from redpark_platform.inbox import Delivery, InboundSystem, Inbox, NotYet, Rejected
from redpark_platform.runtime import Runtime
from redpark_platform.web import Body, MsgspecResponse, require_roles, response_schema
from redpark_platform.web.bounded import Id, Instant
from redpark_platform.web.edge import layer_of

from ..application.organization import Organization
from ..domain import building, enterprise
from ..queries import property as queries

SYSTEM = "property"

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Floor = Annotated[int, msgspec.Meta(ge=1, le=200)]


# --- their payloads (their names, as their documentation gives them) ------------------------------

class BuildingAdded(msgspec.Struct, frozen=True, kw_only=True, tag="building.added", tag_field="event_type"):
    """A building handed over to property management (楼宇接管)."""

    bldg_code: Code
    bldg_name: Text
    park_phase: Annotated[int, msgspec.Meta(ge=1, le=20)]  # 一期 = 1, 二期 = 2
    floors_above_ground: Floor
    occurred_at: Instant


class TenantCheckedIn(msgspec.Struct, frozen=True, kw_only=True, tag="tenant.checked_in", tag_field="event_type"):
    """A tenant took over its unit (入驻交房)."""

    tenant_code: Code
    tenant_name: Text
    bldg_code: Code
    floor_no: Floor
    unit: Annotated[str, msgspec.Meta(max_length=32)] = ""
    staff_count: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    hi_tech_certified: bool = False  # 高新技术企业认定
    legal_rep: Annotated[str, msgspec.Meta(max_length=100)] = ""
    occurred_at: Instant


class TenantCheckedOut(msgspec.Struct, frozen=True, kw_only=True, tag="tenant.checked_out", tag_field="event_type"):
    """A tenant handed its unit back (退租)."""

    tenant_code: Code
    bldg_code: Code
    occurred_at: Instant


class TenantUnitChanged(msgspec.Struct, frozen=True, kw_only=True, tag="tenant.unit_changed",
                        tag_field="event_type"):
    """A tenant moved to another unit: another floor, or another building (换房)."""

    tenant_code: Code
    bldg_code: Code
    floor_no: Floor
    unit: Annotated[str, msgspec.Meta(max_length=32)] = ""
    occurred_at: Instant


PropertyEvent = BuildingAdded | TenantCheckedIn | TenantCheckedOut | TenantUnitChanged

_AT = datetime.fromisoformat("2025-06-01T09:30:00+08:00")
EXAMPLE = TenantCheckedIn(tenant_code="T2025-0318", tenant_name="洛阳智造科技有限公司", bldg_code="HX-A03",
                          floor_no=5, unit="0502", staff_count=36, hi_tech_certified=True, legal_rep="王立新",
                          occurred_at=_AT)
EXAMPLES = {
    "tenant.checked_in": EXAMPLE,
    "tenant.unit_changed": TenantUnitChanged(tenant_code="T2025-0318", bldg_code="HX-A05", floor_no=9, unit="0908",
                                             occurred_at=datetime.fromisoformat("2025-09-12T14:00:00+08:00")),
    "tenant.checked_out": TenantCheckedOut(tenant_code="T2025-0318", bldg_code="HX-A05",
                                           occurred_at=datetime.fromisoformat("2026-03-31T18:00:00+08:00")),
    "building.added": BuildingAdded(bldg_code="HX-A05", bldg_name="5号研发楼", park_phase=1, floors_above_ground=18,
                                    occurred_at=datetime.fromisoformat("2025-05-20T10:00:00+08:00")),
}


# --- the translator -------------------------------------------------------------------------------

class PropertyTranslator:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.db = runtime.pool

    @property
    def org(self) -> Organization:
        return self.runtime.layer(Organization)

    def _day(self, occurred_at: datetime) -> date:
        """The park's date of their instant (never after today: their clock may run a little ahead)."""
        now = self.org.now()
        if occurred_at.tzinfo is None:
            raise Rejected("occurred_at has no time zone")
        return min(occurred_at.astimezone(now.tzinfo).date(), now.date())

    async def apply(self, delivery: Delivery) -> None:
        match delivery.payload:
            case BuildingAdded() as p:
                await self._building_added(p)
            case TenantCheckedIn() as p:
                await self._checked_in(p)
            case TenantCheckedOut() as p:
                await self._checked_out(p)
            case TenantUnitChanged() as p:
                await self._unit_changed(p)
            case other:
                raise Rejected(f"unsupported notice {type(other).__name__}")

    async def _building_added(self, p: BuildingAdded) -> None:
        zone_id = await queries.zone_of_phase(self.db, p.park_phase)
        if zone_id is None:
            raise NotYet(f"no zone of park phase {p.park_phase} is defined yet")
        building_id = await queries.mapped(self.db, "building", p.bldg_code)
        state = await self.org._state(building.stream_id(building_id), building.decider)
        if isinstance(state, building.Building):
            return  # registered by an earlier try
        sequence = await queries.next_sequence_in_zone(self.db, zone_id)
        await self.org.register_building(building_id, zone_id, p.bldg_name, p.floors_above_ground, sequence)

    async def _checked_in(self, p: TenantCheckedIn) -> None:
        building_id = await queries.building_for(self.db, p.bldg_code)
        if building_id is None:
            raise NotYet(f"building {p.bldg_code} is not known yet")
        enterprise_id = await queries.mapped(self.db, "tenant", p.tenant_code)
        known = await queries.tenant(self.db, p.tenant_code)
        last = known[1] if known else None
        state = await self.org._enterprise(enterprise_id)
        if isinstance(state, enterprise.InPark) or (last is not None and p.occurred_at <= last):
            return  # already moved in, or an older check-in than what we applied
        await self.org.move_in(
            enterprise_id=enterprise_id, name=p.tenant_name, building_id=building_id, floor=p.floor_no,
            headcount=p.staff_count, is_tech_enterprise=p.hi_tech_certified, legal_representative=p.legal_rep,
            on=self._day(p.occurred_at))
        await queries.applied(self.db, p.tenant_code, p.occurred_at)

    async def _moved_in(self, tenant_code: str) -> tuple[str, datetime | None, enterprise.EnterpriseState]:
        known = await queries.tenant(self.db, tenant_code)
        if known is None:
            raise NotYet(f"tenant {tenant_code} has not checked in yet")
        state = await self.org._enterprise(known[0])
        if isinstance(state, enterprise.NoEnterprise):
            raise NotYet(f"tenant {tenant_code} has not checked in yet")
        return known[0], known[1], state

    async def _checked_out(self, p: TenantCheckedOut) -> None:
        enterprise_id, _, state = await self._moved_in(p.tenant_code)
        if isinstance(state, enterprise.MovedOut):
            return
        await self.org.move_out(enterprise_id, self._day(p.occurred_at))
        await queries.applied(self.db, p.tenant_code, p.occurred_at)

    async def _unit_changed(self, p: TenantUnitChanged) -> None:
        enterprise_id, last, state = await self._moved_in(p.tenant_code)
        if last is not None and p.occurred_at <= last:
            return  # a newer notice for this tenant is already applied
        if isinstance(state, enterprise.MovedOut):
            raise Rejected(f"tenant {p.tenant_code} has checked out")
        building_id = await queries.building_for(self.db, p.bldg_code)
        if building_id is None:
            raise NotYet(f"building {p.bldg_code} is not known yet")
        try:
            await self.org.runtime.execute(enterprise.stream_id(enterprise_id), enterprise.decider, enterprise.Relocate(
                enterprise_id=enterprise_id, building_id=building_id, floor=p.floor_no,
                building_floors=await self.org._building_floors(building_id), now=self.org.now(),
                effective_on=self._day(p.occurred_at)))
        except DomainError as exc:
            if exc.code != "enterprise.relocation_unchanged":  # unchanged: applied by an earlier try
                raise
        await queries.applied(self.db, p.tenant_code, p.occurred_at)


INBOX = Inbox(
    [InboundSystem(name=SYSTEM, payload_type=PropertyEvent, translator=PropertyTranslator, example=EXAMPLE,
                   examples=EXAMPLES,
                   description="Notices of the property-management system: `building.added`, `tenant.checked_in`, "
                               "`tenant.checked_out`, `tenant.unit_changed` (field `event_type`). Signed as "
                               "Standard Webhooks; answered 202 once stored, applied in the background.")],
    list_roles=("park_admin", "auditor"), replay_roles=("park_admin",),
)


# --- staff: the building codes ---------------------------------------------------------------------

class BuildingMapping(msgspec.Struct, frozen=True, kw_only=True):
    """The property system's code of one of our buildings."""

    bldg_code: str
    building_id: Id


class MapBuilding(msgspec.Struct, frozen=True, kw_only=True):
    building_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


Org = layer_of(Organization)
mappings = APIRouter(tags=["webhooks"])
BldgCode = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


@mappings.get("/integrations/property/buildings", responses=response_schema(list[BuildingMapping]),
              dependencies=[require_roles("park_admin", "auditor")], summary="Property system building codes")
async def building_codes(org: Org) -> MsgspecResponse:
    rows = await queries.building_codes(org.pool)
    return MsgspecResponse([BuildingMapping(bldg_code=code, building_id=building_id) for code, building_id in rows])


@mappings.put("/integrations/property/buildings/{bldg_code}", responses=response_schema(BuildingMapping),
              dependencies=[require_roles("park_admin")], summary="Map a property system building code to a building")
async def map_building(bldg_code: BldgCode, body: Annotated[MapBuilding, Body(
        MapBuilding, example=MapBuilding(building_id="a1"))], org: Org) -> MsgspecResponse:
    if await org._building_floors(body.building_id) is None:
        raise NotFound("building.unknown", f"building {body.building_id} is not registered", detail_zh="楼栋不存在",
                       field="building_id")
    taken = await queries.map_building(org.pool, bldg_code, body.building_id)
    if taken is not None:
        raise DomainError("property.building_already_mapped",
                          f"building {body.building_id} already has property code {taken}",
                          detail_zh="该楼栋已对应其他物业编码", field="building_id", status=409)
    return MsgspecResponse(BuildingMapping(bldg_code=bldg_code, building_id=body.building_id))
