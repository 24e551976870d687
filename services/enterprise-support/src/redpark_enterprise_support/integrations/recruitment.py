"""The park's recruitment system (招聘系统): its webhooks in, our commands out.

This is the anti-corruption layer. The recruitment system speaks of requisitions (`req_id`),
employers (`employer_code`, usually the USCC 统一社会信用代码), candidates (`cand_id`) with a
political-status code (`pol_status`, GB/T 4762: "01" 中共党员, "02" 中共预备党员, "03" 共青团员,
"04"–"11" the democratic parties, "12" 无党派人士, "13" 群众), fairs (`fair_code`) and intern
assignments (`assignment_no`, `base_code`). We speak of hires, enterprises and internship bases.
Their codes never reach an event: our ids are derived from theirs (a name-based UUID), so the
same notice always means the same hire, and applying it twice changes nothing.

What each notice does (applied by the inbox worker, `redpark_platform.inbox`):
- `hire.onboarded`: records the hire; a candidate who declared "01" or "02" is told to the
  organization (`hire.party_member_declared`) for the transfer-in follow-up. Any other status is
  dropped here and never stored.
- `fair.attended`: records that an enterprise of the park took part in a talent fair.
- `intern.assigned`: places a student at an internship base (`base_code` is our base id).
An employer code that no staff mapping names and that is no enterprise id of ours, or an enterprise
not (yet) in the park, waits (`NotYet`): the hire may arrive before the enterprise moved in or was
mapped, and is retried with back-off, then parked for staff to replay.

Staff map codes: `PUT /integrations/recruitment/employers/{employer_code}`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Path

from redpark_platform.errors import InvalidCommand
from redpark_platform.inbox import Delivery, InboundSystem, Inbox, NotYet, Rejected
from redpark_platform.runtime import Runtime, RuntimeDep
from redpark_platform.web import Body, MsgspecResponse, require_roles, response_schema
from redpark_platform.web.bounded import Id, Instant

from .. import queries
from ..application.recruitment import Recruitment, recruitment_of
from ..domain.errors import ERRORS
from ..domain.recruitment import PoliticalStatus

SYSTEM = "recruitment"
_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=_CODE_PATTERN)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Optional = Annotated[str, msgspec.Meta(max_length=200)]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
# GB/T 4762 政治面貌代码, as the recruitment system sends it.
PolCode = Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13"]
POL_STATUS: dict[str, PoliticalStatus] = {"01": "party_member", "02": "probationary_party_member"}
UNFILLED_HOLDER = "未填写（招聘系统未提供）"


# --- their payloads (their names, as their documentation gives them) ------------------------------

class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    cand_id: Code
    full_name: Text
    mobile: Annotated[str, msgspec.Meta(max_length=32)] = ""
    pol_status: PolCode | None = None  # absent: not declared
    party_org: Optional = ""  # 组织关系所在党组织, for "01"/"02"


class HireOnboarded(msgspec.Struct, frozen=True, kw_only=True, tag="hire.onboarded", tag_field="event_type"):
    """A candidate took up the job of a requisition (入职)."""

    req_id: Code
    employer_code: Code
    job_title: Text
    candidate: Candidate
    onboard_date: date
    occurred_at: Instant


class FairAttended(msgspec.Struct, frozen=True, kw_only=True, tag="fair.attended", tag_field="event_type"):
    """An employer had a booth at a talent fair (招聘会参会)."""

    fair_code: Code
    fair_name: Text
    fair_date: date
    employer_code: Code
    jobs_posted: Count = 0
    resumes_collected: Count = 0
    occurred_at: Instant


class Student(msgspec.Struct, frozen=True, kw_only=True):
    full_name: Text
    school: Text
    major: Optional = ""


class InternAssigned(msgspec.Struct, frozen=True, kw_only=True, tag="intern.assigned", tag_field="event_type"):
    """A student was assigned to an internship base of the park (实习派遣)."""

    assignment_no: Code
    base_code: Code
    student: Student
    start_date: date
    end_date: date | None = None
    occurred_at: Instant


RecruitmentEvent = HireOnboarded | FairAttended | InternAssigned

_AT = datetime.fromisoformat("2025-07-01T09:00:00+08:00")
EXAMPLE = HireOnboarded(
    req_id="REQ-2025-0712", employer_code="91410300MA44X7Y12K", job_title="嵌入式软件工程师",
    candidate=Candidate(cand_id="C-88231", full_name="李明", mobile="13800001234", pol_status="01",
                        party_org="洛阳理工学院计算机学院学生党支部"),
    onboard_date=date(2025, 7, 1), occurred_at=_AT)
EXAMPLES = {
    "hire.onboarded (中共党员)": EXAMPLE,
    "hire.onboarded (群众)": HireOnboarded(
        req_id="REQ-2025-0713", employer_code="91410300MA44X7Y12K", job_title="测试工程师",
        candidate=Candidate(cand_id="C-88232", full_name="王芳", pol_status="13"), onboard_date=date(2025, 7, 1),
        occurred_at=_AT),
    "fair.attended": FairAttended(fair_code="JF-2025-SPRING", fair_name="2025年春季高校毕业生双选会",
                                  fair_date=date(2025, 4, 12), employer_code="91410300MA44X7Y12K", jobs_posted=6,
                                  resumes_collected=84,
                                  occurred_at=datetime.fromisoformat("2025-04-12T18:00:00+08:00")),
    "intern.assigned": InternAssigned(assignment_no="IA-2025-031", base_code="lit-software",
                                      student=Student(full_name="赵磊", school="洛阳理工学院", major="软件工程"),
                                      start_date=date(2025, 7, 7), end_date=date(2025, 8, 29),
                                      occurred_at=datetime.fromisoformat("2025-06-30T10:00:00+08:00")),
}


def derived_id(kind: str, *codes: str) -> str:
    """Our id for their codes: stable, so a repeated or re-applied notice names the same record."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:redpark:recruitment:{kind}:" + "\x1f".join(codes)).hex[:16]


# --- the translator -------------------------------------------------------------------------------

class RecruitmentTranslator:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def recruitment(self) -> Recruitment:
        return recruitment_of(self.runtime)

    async def apply(self, delivery: Delivery) -> None:
        try:
            match delivery.payload:
                case HireOnboarded() as p:
                    await self._hired(p)
                case FairAttended() as p:
                    await self._fair(p)
                case InternAssigned() as p:
                    await self._intern(p)
                case other:
                    raise Rejected(f"unsupported notice {type(other).__name__}")
        except InvalidCommand as exc:
            # The values themselves break a rule: sending it again cannot help.
            raise Rejected(f"{exc.code}: {exc.detail}") from None

    async def _enterprise(self, employer_code: str) -> str:
        enterprise_id = await self.recruitment.enterprise_for(employer_code)
        if enterprise_id is None:
            raise NotYet(f"employer {employer_code} is not mapped to an enterprise of the park")
        if await queries.in_park_since(self.recruitment.pool, enterprise_id) is None:
            raise NotYet(f"enterprise {enterprise_id} (employer {employer_code}) is not in the park yet")
        return enterprise_id

    def _not_ahead(self, day: date, what: str) -> None:
        if day > self.runtime.today():
            raise NotYet(f"{what} {day.isoformat()} is still to come")

    async def _hired(self, p: HireOnboarded) -> None:
        hire_id = derived_id("hire", p.req_id, p.candidate.cand_id)
        if await self.recruitment.hire_recorded(hire_id):
            return  # applied by an earlier try
        enterprise_id = await self._enterprise(p.employer_code)
        self._not_ahead(p.onboard_date, "onboarding on")
        status = POL_STATUS.get(p.candidate.pol_status or "", "not_party_member") if p.candidate.pol_status else None
        member = status is not None and status != "not_party_member"
        await self.recruitment.record_hire(
            hire_id=hire_id, enterprise_id=enterprise_id, position=p.job_title, hired_on=p.onboard_date,
            political_status=status,
            # Who the person is matters only for the organization's follow-up of a party member.
            person_name=p.candidate.full_name if member else "",
            relationship_held_by=(p.candidate.party_org.strip() or UNFILLED_HOLDER) if member else "",
            phone=p.candidate.mobile if member else "")

    async def _fair(self, p: FairAttended) -> None:
        participation_id = derived_id("fair", p.fair_code, p.employer_code)
        if await self.recruitment.participation_recorded(participation_id):
            return
        enterprise_id = await self._enterprise(p.employer_code)
        self._not_ahead(p.fair_date, "fair on")
        await self.recruitment.record_participation(
            participation_id=participation_id, enterprise_id=enterprise_id, fair_name=p.fair_name,
            fair_on=p.fair_date, positions_offered=p.jobs_posted, resumes_received=p.resumes_collected)

    async def _intern(self, p: InternAssigned) -> None:
        placement_id = derived_id("intern", p.assignment_no)
        if await self.recruitment.placement_recorded(placement_id):
            return
        await self.recruitment.place_intern(
            placement_id=placement_id, base_id=p.base_code, student_name=p.student.full_name,
            university=p.student.school, major=p.student.major, starts_on=p.start_date, ends_on=p.end_date)


INBOX = Inbox(
    [InboundSystem(name=SYSTEM, payload_type=RecruitmentEvent, translator=RecruitmentTranslator, example=EXAMPLE,
                   examples=EXAMPLES,
                   description="Notices of the park's recruitment system: `hire.onboarded`, `fair.attended`, "
                               "`intern.assigned` (field `event_type`), in its own vocabulary (`employer_code`, "
                               "`pol_status` GB/T 4762 codes). Signed as Standard Webhooks; answered 202 once "
                               "stored, applied in the background; an unknown employer is retried, then parked.")],
    list_roles=("park_admin", "support_officer", "auditor"), replay_roles=("park_admin", "support_officer"),
)


# --- staff: the employer codes ---------------------------------------------------------------------

class EmployerMapping(msgspec.Struct, frozen=True, kw_only=True):
    """The recruitment system's code of one of our enterprises."""

    employer_code: str
    enterprise_id: Id


class MapEmployer(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


mappings = APIRouter(tags=["webhooks"])
EmployerCode = Annotated[str, Path(min_length=1, max_length=64, pattern=_CODE_PATTERN)]


@mappings.get("/integrations/recruitment/employers", responses=response_schema(list[EmployerMapping]),
              dependencies=[require_roles("park_admin", "support_officer", "auditor")],
              summary="Recruitment system employer codes")
async def employer_codes(runtime: RuntimeDep) -> MsgspecResponse:
    rows = await recruitment_of(runtime).employers()
    return MsgspecResponse([EmployerMapping(employer_code=c, enterprise_id=e) for c, e in rows])


@mappings.put("/integrations/recruitment/employers/{employer_code}", responses=response_schema(EmployerMapping),
              dependencies=[require_roles("park_admin", "support_officer")],
              summary="Map a recruitment system employer code to an enterprise")
async def map_employer(employer_code: EmployerCode, body: Annotated[MapEmployer, Body(
        MapEmployer, example=MapEmployer(enterprise_id="e1"))], runtime: RuntimeDep) -> MsgspecResponse:
    if not await queries.enterprise_known(runtime.pool, body.enterprise_id):
        raise ERRORS.error("enterprise.unknown", field="enterprise_id", enterprise_id=body.enterprise_id)
    await recruitment_of(runtime).map_employer(employer_code, body.enterprise_id)
    return MsgspecResponse(EmployerMapping(employer_code=employer_code, enterprise_id=body.enterprise_id))
