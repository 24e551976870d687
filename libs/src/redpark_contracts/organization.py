"""Events of the organization service: the park's party organization (组织覆盖、党员、党费、发展党员).

Subjects are `organization.<aggregate>.<event_name>`; CloudEvents types
`redpark.organization.<aggregate>.<event_name>.v<N>`. Ids are strings, calendar dates are
`datetime.date` (the park's calendar, Asia/Shanghai), instants are UTC `datetime`s.

Personal fields (phone, ID number, the political status and nationality of non-members) are
declared `personal=` and sealed per person on the way into the store, so they travel sealed on
the bus and read as "已删除" once the person is forgotten. They are plain `str` on purpose: a
sealed or erased value is a string, whatever the field holds in clear.

Names of members, applicants, contacts, follow-ups and nominees are sealed too (issue 17), and a
contact's categories (v2 of `contact.registered`/`contact.updated`): events keep ids, never a
readable name. Other services reading these events get the names sealed and show ids instead.
The legal representative of an enterprise is public business-registration data, not sealed.

Money is an integer number of fen (分) so sums are exact. A month is written `YYYY-MM`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import msgspec

from redpark_contracts.privacy import register_erasure
from redpark_platform.events import Event, EventRegistry

registry = EventRegistry("organization")
register_erasure(registry)  # person.erased: see redpark_contracts.privacy

BranchKind = Literal["enterprise", "joint"]  # 独立支部 / 联合支部
MemberStatus = Literal["probationary", "full"]  # 预备党员 / 正式党员
Relationship = Literal["in_park", "elsewhere"]  # 组织关系已转入 / 未转入
DevelopmentStage = Literal["applicant", "activist", "candidate", "probationary", "full"]
PriorityGroup = Literal["legal_representative", "tech_talent", "technical_backbone"]  # 三个重点培养
ContactCategory = Literal[
    "democratic_party_member",  # 民主党派成员
    "foreign_national",  # 外籍人士
    "non_member_legal_representative",  # 非党员企业法人
    "tech_talent",  # 非党员科技人才
]
EnterpriseLeftBranchReason = Literal["moved_out", "reorganized"]
MemberLeftBranchReason = Literal["moved", "transferred_out"]

# --- zone and building (园区分区、楼栋网格) ---------------------------------------------------


@registry.register("zone", "defined")
class ZoneDefined(Event, frozen=True, kw_only=True):
    """A zone of the park (A区 = phase 1, B区 = phase 2)."""

    zone_id: str
    name: str
    phase: int


@registry.register("building", "registered")
class BuildingRegistered(Event, frozen=True, kw_only=True):
    """A building of a zone. `sequence_in_zone` orders the buildings of a zone; buildings next
    to each other in that order are neighbours when the grid joins buildings into one branch."""

    building_id: str
    zone_id: str
    name: str
    floors: int
    sequence_in_zone: int


@registry.register("building", "assigned")
class BuildingAssigned(Event, frozen=True, kw_only=True):
    """一个支部分包一栋楼: the branch now answers for the building."""

    building_id: str
    branch_id: str
    assigned_on: date


@registry.register("building", "released")
class BuildingReleased(Event, frozen=True, kw_only=True):
    building_id: str
    branch_id: str
    released_on: date


@registry.register("building", "instructor_appointed")
class BuildingInstructorAppointed(Event, frozen=True, kw_only=True):
    """党建楼栋指导员: a member of the responsible branch sent to the building."""

    building_id: str
    branch_id: str
    member_id: str
    appointed_on: date


@registry.register("building", "instructor_withdrawn")
class BuildingInstructorWithdrawn(Event, frozen=True, kw_only=True):
    building_id: str
    member_id: str
    withdrawn_on: date


# --- enterprise (入驻企业) -------------------------------------------------------------------


@registry.register("enterprise", "moved_in")
class EnterpriseMovedIn(Event, frozen=True, kw_only=True):
    """A tenant moved in. Until it joins a branch or gets a liaison instructor it is uncovered."""

    enterprise_id: str
    name: str
    building_id: str
    floor: int
    headcount: int
    is_tech_enterprise: bool
    legal_representative: str
    moved_in_on: date


@registry.register("enterprise", "profile_updated")
class EnterpriseProfileUpdated(Event, frozen=True, kw_only=True):
    """The whole profile as it now stands (moving to another building or floor included)."""

    enterprise_id: str
    name: str
    building_id: str
    floor: int
    headcount: int
    is_tech_enterprise: bool
    legal_representative: str
    updated_on: date


@registry.register("enterprise", "moved_out")
class EnterpriseMovedOut(Event, frozen=True, kw_only=True):
    enterprise_id: str
    moved_out_on: date


@registry.register("enterprise", "joined_branch")
class EnterpriseJoinedBranch(Event, frozen=True, kw_only=True):
    """The enterprise is now organized in this branch (its own, or a joint one): covered."""

    enterprise_id: str
    branch_id: str
    joined_on: date


@registry.register("enterprise", "left_branch")
class EnterpriseLeftBranch(Event, frozen=True, kw_only=True):
    enterprise_id: str
    branch_id: str
    left_on: date
    reason: EnterpriseLeftBranchReason


@registry.register("enterprise", "liaison_instructor_assigned")
class LiaisonInstructorAssigned(Event, frozen=True, kw_only=True):
    """指导员 for an enterprise with no members, sent by a branch (`sent_by_branch_id`) or by the
    general branch (`sent_by_branch_id` None, `sent_by_general_branch_id` naming it; events stored
    before the general branch was an entity have both None)."""

    enterprise_id: str
    member_id: str
    sent_by_branch_id: str | None
    assigned_on: date
    sent_by_general_branch_id: str | None = None


@registry.register("enterprise", "liaison_instructor_withdrawn")
class LiaisonInstructorWithdrawn(Event, frozen=True, kw_only=True):
    enterprise_id: str
    member_id: str
    withdrawn_on: date


# --- branch (党支部) ---------------------------------------------------------------------------


@registry.register("branch", "established")
class BranchEstablished(Event, frozen=True, kw_only=True):
    """A branch under the general branch. `enterprise_ids` are the enterprises it was formed for
    (exactly one for kind `enterprise`); each also records joining on its own stream."""

    branch_id: str
    name: str
    kind: BranchKind
    enterprise_ids: list[str]
    full_members_at_founding: int
    established_on: date


@registry.register("branch", "committee_elected")
class BranchCommitteeElected(Event, frozen=True, kw_only=True):
    """支部委员会 (7+ full members) or, below that, a secretary and optional deputy only
    (`committee_member_ids` then empty)."""

    branch_id: str
    secretary_id: str
    deputy_secretary_id: str | None
    committee_member_ids: list[str]
    elected_on: date
    term_ends_on: date


@registry.register("branch", "dissolved")
class BranchDissolved(Event, frozen=True, kw_only=True):
    branch_id: str
    dissolved_on: date
    reason: str


# --- general branch (党总支) -------------------------------------------------------------------


@registry.register("general_branch", "established")
class GeneralBranchEstablished(Event, frozen=True, kw_only=True):
    """The park's general branch (党总支), exactly one per park; the branches sit under it."""

    general_branch_id: str
    name: str
    established_on: date


@registry.register("general_branch", "committee_elected")
class GeneralBranchCommitteeElected(Event, frozen=True, kw_only=True):
    """总支委员会 (7+ full members) or, below that, a secretary and optional deputy only, elected
    by the same rules as a branch committee; its members are the park's full members."""

    general_branch_id: str
    secretary_id: str
    deputy_secretary_id: str | None
    committee_member_ids: list[str]
    elected_on: date
    term_ends_on: date


# --- member (党员) ---------------------------------------------------------------------------


@registry.register("member", "registered", personal=("name", "phone", "id_number"), subject="member_id")
class MemberRegistered(Event, frozen=True, kw_only=True):
    """A member working in the park, recorded in the census (摸底登记). `relationship` says
    whether the organizational relationship is already held by the park (`in_park`) or still
    by `relationship_held_by` elsewhere."""

    member_id: str
    name: str
    enterprise_id: str | None
    status: MemberStatus
    joined_party_on: date
    relationship: Relationship
    relationship_held_by: str
    phone: str
    id_number: str
    registered_on: date


@registry.register("member", "contact_updated", personal=("phone",), subject="member_id")
class MemberContactUpdated(Event, frozen=True, kw_only=True):
    member_id: str
    phone: str


@registry.register("member", "enterprise_changed")
class MemberEnterpriseChanged(Event, frozen=True, kw_only=True):
    """The member now works for another enterprise of the park (None: for none of them)."""

    member_id: str
    enterprise_id: str | None
    changed_on: date


@registry.register("member", "transferred_in")
class MemberTransferredIn(Event, frozen=True, kw_only=True):
    """转入: the relationship moved from `from_organization` to the park (transfer record)."""

    member_id: str
    from_organization: str
    transferred_on: date


@registry.register("member", "transferred_out")
class MemberTransferredOut(Event, frozen=True, kw_only=True):
    """转出: the relationship left the park for `to_organization` (transfer record)."""

    member_id: str
    to_organization: str
    transferred_on: date


@registry.register("member", "joined_branch")
class MemberJoinedBranch(Event, frozen=True, kw_only=True):
    member_id: str
    branch_id: str
    joined_on: date


@registry.register("member", "left_branch")
class MemberLeftBranch(Event, frozen=True, kw_only=True):
    member_id: str
    branch_id: str
    left_on: date
    reason: MemberLeftBranchReason


@registry.register("member", "status_changed")
class MemberStatusChanged(Event, frozen=True, kw_only=True):
    """预备党员转正 (probationary → full)."""

    member_id: str
    from_status: MemberStatus
    to_status: MemberStatus
    effective_on: date


# --- transfer letters (组织关系介绍信) --------------------------------------------------------------

TransferDirection = Literal["out", "in"]


@registry.register("transfer_letter", "issued")
class TransferLetterIssued(Event, frozen=True, kw_only=True):
    """A letter of transfer (组织关系介绍信): `out` issued by the park for a member leaving, `in` received
    for a member coming; its number, the other organization, and the day it is valid until (the deadline
    by which the member reports there and the return slip comes back)."""

    transfer_id: str
    member_id: str
    direction: TransferDirection
    letter_no: str
    organization: str
    issued_on: date
    valid_until: date


@registry.register("transfer_letter", "returned")
class TransferLetterReturned(Event, frozen=True, kw_only=True):
    """The return slip (回执): the receiving organization confirmed (out), or the park sent its own (in)."""

    transfer_id: str
    returned_on: date


# --- dues (党费) -------------------------------------------------------------------------------


@registry.register("dues", "rate_set")
class DuesRateSet(Event, frozen=True, kw_only=True):
    """The member's monthly dues from `effective_from` (YYYY-MM) on, in fen."""

    member_id: str
    monthly_amount_fen: int
    effective_from: str
    set_on: date


@registry.register("dues", "assessed")
class DuesAssessed(Event, frozen=True, kw_only=True):
    """核定党费: the standard the member's dues follow from `effective_from` (YYYY-MM): the category, the
    rate in basis points of the declared monthly income (None: a flat or branch-set amount), the amount, the
    regulation's article and, for a branch-set amount, its reason. Followed by `dues.rate_set` with the
    amount. The declared income itself is not recorded."""

    member_id: str
    category: str  # salaried | retiree | student | unemployed | branch_set
    basis_points: int | None
    monthly_amount_fen: int
    effective_from: str
    rule: str
    reason: str
    assessed_on: date


@registry.register("dues", "paid")
class DuesPaid(Event, frozen=True, kw_only=True):
    member_id: str
    month: str
    amount_fen: int
    paid_on: date


# --- member development (发展党员) -------------------------------------------------------------


@registry.register("development", "application_received", personal=("name", "phone"), subject="person_id")
class DevelopmentApplicationReceived(Event, frozen=True, kw_only=True):
    """入党申请: the person enters the pipeline as an applicant. When the person is admitted as a
    probationary member, the member id is the same as `person_id`."""

    person_id: str
    name: str
    enterprise_id: str | None
    priority_groups: list[PriorityGroup]
    applied_on: date
    phone: str


@registry.register("development", "stage_advanced")
class DevelopmentStageAdvanced(Event, frozen=True, kw_only=True):
    person_id: str
    from_stage: DevelopmentStage
    to_stage: DevelopmentStage
    reached_on: date


@registry.register("development", "quota_set")
class DevelopmentQuotaSet(Event, frozen=True, kw_only=True):
    """发展指标: new members the park may admit in `year` (as granted by the higher committee)."""

    year: int
    quota: int
    set_on: date


# --- census contacts (统战对象、非党员法人和科技人才) ------------------------------------------


def categories_text(categories: list[ContactCategory]) -> str:
    """A contact's categories as the events carry them: one sealed text, comma-separated codes."""
    return ",".join(categories)


def categories_of(text: str) -> list[str]:
    """The category codes back from `categories_text`; none for an erased or unreadable value."""
    codes = [c for c in text.split(",") if c]
    return codes if all(c in CONTACT_CATEGORIES for c in codes) else []


CONTACT_CATEGORIES = frozenset(ContactCategory.__args__)  # type: ignore[attr-defined]
_CONTACT_PERSONAL = ("name", "categories", "political_status", "nationality", "phone")


# v2: `categories` sealed like the rest (a democratic party or a foreign nationality says as much about
# a person as their name), so one text instead of a list; v1 events are upcast to it (then in clear).
@registry.register("contact", "registered", version=2, personal=_CONTACT_PERSONAL, subject="person_id")
class UnitedFrontContactRegistered(Event, frozen=True, kw_only=True):
    """Census baselines (3) and (4): a non-member legal representative or tech talent, a member of
    a democratic party, or a foreign national, working in the park."""

    person_id: str
    name: str
    enterprise_id: str | None
    categories: str  # categories_text(...), sealed
    political_status: str
    nationality: str
    phone: str
    registered_on: date


@registry.register("contact", "updated", version=2, personal=_CONTACT_PERSONAL, subject="person_id")
class UnitedFrontContactUpdated(Event, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    categories: str  # categories_text(...), sealed
    political_status: str
    nationality: str
    phone: str
    updated_on: date


@registry.upcaster("contact", "registered", from_version=1)
def _contact_registered_v1(old: dict[str, Any]) -> dict[str, Any]:
    return {**old, "categories": ",".join(old.get("categories") or [])}


@registry.upcaster("contact", "updated", from_version=1)
def _contact_updated_v1(old: dict[str, Any]) -> dict[str, Any]:
    return {**old, "categories": ",".join(old.get("categories") or [])}


@registry.register("contact", "removed")
class UnitedFrontContactRemoved(Event, frozen=True, kw_only=True):
    person_id: str
    removed_on: date
    reason: str


# --- grid (网格化) -----------------------------------------------------------------------------


class PlannedBranch(msgspec.Struct, frozen=True, kw_only=True):
    """A branch to form. `ref` ("planned:<n>") stands for it elsewhere in the plan."""

    ref: str
    kind: BranchKind
    enterprise_ids: list[str]
    building_ids: list[str]
    full_members: int


class PlannedAttachment(msgspec.Struct, frozen=True, kw_only=True):
    """An enterprise to organize in a branch: an existing branch id or a planned ref."""

    enterprise_id: str
    branch: str


class PlannedAssignment(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    branch: str


class PlannedLiaison(msgspec.Struct, frozen=True, kw_only=True):
    """An enterprise with no members that needs a liaison instructor; `sent_by` a branch id, a
    planned ref, or None for the general branch."""

    enterprise_id: str
    sent_by: str | None


class GridPlan(msgspec.Struct, frozen=True, kw_only=True):
    branches_to_form: list[PlannedBranch] = []
    enterprise_attachments: list[PlannedAttachment] = []
    building_assignments: list[PlannedAssignment] = []
    liaisons: list[PlannedLiaison] = []


@registry.register("grid", "plan_adopted")
class GridPlanAdopted(Event, frozen=True, kw_only=True):
    """Staff adopted a grid plan, as proposed from the census or amended (`amended`)."""

    plan_id: str
    plan: GridPlan
    amended: bool
    adopted_by: str
    adopted_at: datetime



# The rest of the organization's events, by area; imported here so that loading this module
# registers every organization event type (consumers and the store need the full registry).
from redpark_contracts import (  # noqa: E402,F401
    organization_assessment,
    organization_facilities,
    organization_followups,
    organization_governance,
    organization_recognition,
    organization_tenancy,
)
