"""Published events of the enterprise-support service (`services/enterprise-support`):
党建+科技 / 党建+服务 — contact points, visits and help plans, needs, the four service platforms,
policy briefings (老任说) and the four quarterlies (四个一). Plan: section 三(五).

Service name `enterprise-support`: subjects are `enterprise-support.<aggregate>.<event_name>`.
Aggregates and their streams:

- `contact_point` (`contact-point-<enterprise_id>`): the committee member or branch assigned.
- `visit` (`visit-<visit_id>`): one visit to one enterprise and what was found.
- `help_plan` (`help-plan-<enterprise_id>-<year>`): the year's help plan of an enterprise.
- `need` (`need-<need_id>`): a problem raised by an enterprise, to resolution or closure.
- `platform_service` (`platform-service-<service_id>`): a catalogue entry of one of the four
  platforms with its provider; `service_request` (`service-request-<request_id>`): an
  enterprise's request for it.
- `application` (`application-<kind>-<enterprise_id>-<round>`): a seed-fund application, or
  help with a government-funding or guaranteed-loan application; one per enterprise, kind and
  round, so a duplicate is refused on its own stream.
- `internship_base` (`internship-base-<base_id>`): a university internship base.
- `platform_activity` (`platform-activity-<activity_id>`): talent fairs and the resource-sharing
  meetings (matchmaking, summits, roadshows, founder salons, angel meetings), with participants.
- `policy` (`policy-<policy_id>`): a policy to brief enterprises on, with the categories of
  enterprise it applies to; `briefing` (`briefing-<policy_id>-<enterprise_id>`): its delivery.
- `quarterly` (`quarterly-<kind>-<YYYY>Q<n>`): one of the four quarterlies of one quarter.

Events others read (the organization's assessment): `visit.made`, `need.resolved`,
`quarterly.held`, `application.decided`.

Personal data: the name and phone of whoever raised a need are sealed under `raised_by_id` (minted
per need, so one person is erased without touching anyone else); a contact point's name under
`contact_id`, an intern's name under `placement_id`. Names of staff and mentors travel in clear. Money is in fen (分); dates are the
park's calendar (Asia/Shanghai); a quarter is written `YYYYQn`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from redpark_contracts.privacy import register_erasure
from redpark_platform.events import Event, EventRegistry

registry = EventRegistry("enterprise-support")
register_erasure(registry)  # person.erased: see redpark_contracts.privacy

# Categories of enterprise, derived from the organization's profile: 科技型 or not, 小微 by headcount.
EnterpriseCategory = Literal["any_enterprise", "tech_enterprise", "non_tech_enterprise", "small_enterprise"]
ContactKind = Literal["committee_member", "branch"]  # 党总支成员 / 党支部
HelpCategory = Literal["leading", "growing", "startup"]  # 龙头企业 / 成长型 / 初创期 (分门别类)
NeedCategory = Literal[
    "funding", "talent", "technology", "premises", "policy", "market", "other",
    # feedback on the park itself, which the property-management system subscribes to (outbound webhooks)
    "environment",  # 园区环境 (greening, cleanliness, canteen)
    "property",  # 物业服务 (repairs, security, parking)
]
Urgency = Literal["urgent", "high", "normal"]
Platform = Literal["technical", "talent", "finance", "resource_sharing"]  # 技术 / 人才 / 金融 / 资源共享
ProviderKind = Literal["partner_company", "university", "research_institute", "mentor", "advisor", "government",
                       "park"]
ApplicationKind = Literal["seed_fund", "government_fund", "guaranteed_loan"]
ActivityKind = Literal["talent_fair", "matchmaking", "summit", "roadshow", "founder_salon", "angel_meeting"]
QuarterlyKind = Literal["enterprise_symposium", "project_negotiation", "team_building", "tech_exchange_forum"]
BriefingChannel = Literal["visit", "meeting", "wechat", "document"]


# --- contact point (联系点) -------------------------------------------------------------------


@registry.register("contact_point", "assigned", personal=("contact_name",), subject="contact_id")
class ContactPointAssigned(Event, frozen=True, kw_only=True):
    """A committee member of the general branch, or a branch, now answers for the enterprise.
    `replaced_contact_id` is the one it takes over from, if any."""

    enterprise_id: str
    contact_kind: ContactKind
    contact_id: str
    contact_name: str
    replaced_contact_id: str | None
    assigned_on: date


@registry.register("contact_point", "released")
class ContactPointReleased(Event, frozen=True, kw_only=True):
    enterprise_id: str
    contact_id: str
    released_on: date
    reason: str


# --- visits and help plans (走访帮扶) ------------------------------------------------------


@registry.register("visit", "made")
class VisitMade(Event, frozen=True, kw_only=True):
    visit_id: str
    enterprise_id: str
    visited_on: date
    visitors: list[str]  # names of the committee members / branch staff who went
    findings: str
    recorded_by: str


@registry.register("help_plan", "adopted")
class HelpPlanAdopted(Event, frozen=True, kw_only=True):
    """分门别类地制订帮扶计划: the year's plan, by the enterprise's category."""

    enterprise_id: str
    year: int
    category: HelpCategory
    measures: list[str]
    adopted_on: date


@registry.register("help_plan", "revised")
class HelpPlanRevised(Event, frozen=True, kw_only=True):
    enterprise_id: str
    year: int
    category: HelpCategory
    measures: list[str]
    revised_on: date


# --- needs (困难问题) ---------------------------------------------------------------------------


@registry.register("need", "raised", personal=("raised_by_name", "raised_by_phone"), subject="raised_by_id")
class NeedRaised(Event, frozen=True, kw_only=True):
    need_id: str
    enterprise_id: str
    category: NeedCategory
    urgency: Urgency
    description: str
    raised_by_id: str
    raised_by_name: str
    raised_by_phone: str
    raised_on: date
    due_on: date  # from the urgency: past it, an open need is overdue


@registry.register("need", "accepted")
class NeedAccepted(Event, frozen=True, kw_only=True):
    need_id: str
    assignee: str
    accepted_on: date


@registry.register("need", "worked")
class NeedWorked(Event, frozen=True, kw_only=True):
    need_id: str
    note: str
    worked_on: date


@registry.register("need", "resolved")
class NeedResolved(Event, frozen=True, kw_only=True):
    need_id: str
    enterprise_id: str
    resolution: str
    resolved_on: date
    days_open: int


@registry.register("need", "closed")
class NeedClosed(Event, frozen=True, kw_only=True):
    """Closed without a resolution (withdrawn, out of the park's reach, a duplicate)."""

    need_id: str
    reason: str
    closed_on: date


# --- the four platforms (四个平台) ---------------------------------------------------------


@registry.register("platform_service", "listed")
class PlatformServiceListed(Event, frozen=True, kw_only=True):
    service_id: str
    platform: Platform
    name: str
    description: str
    provider_name: str
    provider_kind: ProviderKind
    listed_on: date


@registry.register("platform_service", "withdrawn")
class PlatformServiceWithdrawn(Event, frozen=True, kw_only=True):
    service_id: str
    withdrawn_on: date


@registry.register("service_request", "submitted")
class ServiceRequestSubmitted(Event, frozen=True, kw_only=True):
    request_id: str
    service_id: str
    platform: Platform
    enterprise_id: str
    description: str
    submitted_on: date


@registry.register("service_request", "accepted")
class ServiceRequestAccepted(Event, frozen=True, kw_only=True):
    request_id: str
    accepted_on: date


@registry.register("service_request", "completed")
class ServiceRequestCompleted(Event, frozen=True, kw_only=True):
    request_id: str
    outcome: str
    completed_on: date


@registry.register("service_request", "declined")
class ServiceRequestDeclined(Event, frozen=True, kw_only=True):
    request_id: str
    reason: str
    declined_on: date


@registry.register("application", "submitted")
class ApplicationSubmitted(Event, frozen=True, kw_only=True):
    """科技创业种子资金 (seed_fund), or the park's help with 政府扶持资金 / 小额担保贷款."""

    application_id: str
    kind: ApplicationKind
    enterprise_id: str
    round: str
    amount_requested_fen: int
    purpose: str
    submitted_on: date


@registry.register("application", "reviewed")
class ApplicationReviewed(Event, frozen=True, kw_only=True):
    application_id: str
    reviewer: str
    opinion: str
    recommended: bool
    reviewed_on: date


@registry.register("application", "decided")
class ApplicationDecided(Event, frozen=True, kw_only=True):
    application_id: str
    kind: ApplicationKind
    enterprise_id: str
    approved: bool
    amount_requested_fen: int
    amount_granted_fen: int
    reason: str
    decided_on: date


@registry.register("internship_base", "established")
class InternshipBaseEstablished(Event, frozen=True, kw_only=True):
    """大学生实训基地: a university's internship base hosted by an enterprise (or the park)."""

    base_id: str
    university: str
    host_enterprise_id: str | None
    places: int
    established_on: date


@registry.register("internship_base", "closed")
class InternshipBaseClosed(Event, frozen=True, kw_only=True):
    base_id: str
    closed_on: date
    reason: str


@registry.register("platform_activity", "planned")
class PlatformActivityPlanned(Event, frozen=True, kw_only=True):
    activity_id: str
    kind: ActivityKind
    title: str
    planned_on: date
    partners: list[str]


@registry.register("platform_activity", "held")
class PlatformActivityHeld(Event, frozen=True, kw_only=True):
    activity_id: str
    kind: ActivityKind
    held_on: date
    participant_enterprise_ids: list[str]
    outside_participants: int
    outcomes: str


@registry.register("platform_activity", "cancelled")
class PlatformActivityCancelled(Event, frozen=True, kw_only=True):
    activity_id: str
    reason: str
    cancelled_on: date


# --- policy briefings (老任说) -----------------------------------------------------------------


@registry.register("policy", "published")
class PolicyPublished(Event, frozen=True, kw_only=True):
    """A policy (惠企政策, support measure) to brief every enterprise of the given categories on."""

    policy_id: str
    title: str
    summary: str
    issuer: str
    applies_to: list[EnterpriseCategory]
    published_on: date


@registry.register("policy", "retired")
class PolicyRetired(Event, frozen=True, kw_only=True):
    policy_id: str
    retired_on: date


@registry.register("briefing", "delivered")
class BriefingDelivered(Event, frozen=True, kw_only=True):
    policy_id: str
    enterprise_id: str
    channel: BriefingChannel
    delivered_by: str
    delivered_on: date


# --- the four quarterlies (四个一) -----------------------------------------------------------


@registry.register("quarterly", "planned")
class QuarterlyPlanned(Event, frozen=True, kw_only=True):
    kind: QuarterlyKind
    quarter: str
    title: str
    planned_on: date


@registry.register("quarterly", "held")
class QuarterlyHeld(Event, frozen=True, kw_only=True):
    kind: QuarterlyKind
    quarter: str
    title: str
    held_on: date
    participant_enterprise_ids: list[str]
    outcomes: str


# --- recruitment (人才服务平台: the recruitment system's hires, talent fairs, internships) ------------
# Streams: `hire-<hire_id>`, `talent-fair-participation-<participation_id>`,
# `internship-placement-<placement_id>`. They arrive mostly from the park's recruitment system
# (webhooks, `integrations/recruitment.py`); its own codes never reach an event.


@registry.register("hire", "recorded")
class HireRecorded(Event, frozen=True, kw_only=True):
    """An enterprise of the park hired someone for `position`. Nothing about the person: a hire
    that declared party membership is told separately (`hire.party_member_declared`)."""

    hire_id: str
    enterprise_id: str
    position: str
    hired_on: date


@registry.register("hire", "party_member_declared", personal=("phone",), subject="hire_id")
class PartyMemberHireDeclared(Event, frozen=True, kw_only=True):
    """The person hired declared they are a party member (full or probationary) whose
    organizational relationship is held by `relationship_held_by` (free text, as declared): the
    organization follows up their transfer-in. Only such hires are told; the political status of
    anyone else never leaves the recruitment system. The name still travels in clear: the
    organization's follow-up needs it and no key is shared between services (issue 17 leaves this
    open); the phone is sealed under `hire_id` (one person per hire)."""

    hire_id: str
    enterprise_id: str
    name: str
    relationship_held_by: str
    hired_on: date
    phone: str = ""


@registry.register("talent_fair", "participated")
class TalentFairParticipated(Event, frozen=True, kw_only=True):
    """An enterprise of the park took part in a talent fair (人才博览会/招聘会), with the positions it
    offered there and the résumés it received."""

    participation_id: str
    enterprise_id: str
    fair_name: str
    fair_on: date
    positions_offered: int
    resumes_received: int


@registry.register("internship", "placed", personal=("student_name",), subject="placement_id")
class InternshipPlaced(Event, frozen=True, kw_only=True):
    """A university student placed at an internship base of the park (大学生实训基地). The student's
    name is sealed under `placement_id`; no contact data is carried."""

    placement_id: str
    base_id: str
    host_enterprise_id: str | None
    student_name: str
    university: str
    major: str
    starts_on: date
    ends_on: date | None
