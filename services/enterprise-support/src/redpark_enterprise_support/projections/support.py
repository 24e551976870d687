"""The service's own records as lists: contact points, visits, help plans, needs, the platforms'
catalogue, requests, applications, internship bases and activities, and the quarterlies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts import enterprise_support as sup
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "sup_support"


class SupportProjection(Projection):
    name = NAME
    sources = ("enterprise-support",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"enterprise-support": sup.registry}
    tables = ("sup_contact_points", "sup_visits", "sup_help_plans", "sup_needs", "sup_services", "sup_requests",
              "sup_applications", "sup_internship_bases", "sup_activities", "sup_quarterlies")

    def wants(self, source: str, key: str) -> bool:
        return super().wants(source, key) and not key.startswith(("policy.", "briefing."))

    opens = frozenset({"contact_name", "raised_by_name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "enterprise-support":
            return 0
        return await blank_person(conn, "sup_contact_points", ("contact_name",), "contact_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        x = conn.execute
        match event:
            case sup.ContactPointAssigned():
                await x("INSERT INTO sup_contact_points VALUES ($1, $2, $3, $4, $5)"
                        " ON CONFLICT (enterprise_id) DO UPDATE"
                        " SET contact_kind = excluded.contact_kind, contact_id = excluded.contact_id,"
                        " contact_name = excluded.contact_name, assigned_on = excluded.assigned_on",
                        event.enterprise_id, event.contact_kind, event.contact_id, event.contact_name,
                        event.assigned_on)
            case sup.ContactPointReleased():
                await x("DELETE FROM sup_contact_points WHERE enterprise_id = $1", event.enterprise_id)
            case sup.VisitMade():
                await x("INSERT INTO sup_visits VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                        event.visit_id, event.enterprise_id, event.visited_on, list(event.visitors), event.findings,
                        event.recorded_by)
            case sup.HelpPlanAdopted():
                await x("INSERT INTO sup_help_plans (enterprise_id, year, category, measures, adopted_on)"
                        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                        event.enterprise_id, event.year, event.category, list(event.measures), event.adopted_on)
            case sup.HelpPlanRevised():
                await x("UPDATE sup_help_plans SET category = $3, measures = $4, revised_on = $5"
                        " WHERE enterprise_id = $1 AND year = $2",
                        event.enterprise_id, event.year, event.category, list(event.measures), event.revised_on)
            case sup.NeedRaised():
                await x("INSERT INTO sup_needs (need_id, enterprise_id, category, urgency, description, raised_by_name,"
                        " raised_on, due_on, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'raised')"
                        " ON CONFLICT DO NOTHING", event.need_id, event.enterprise_id, event.category, event.urgency,
                        event.description, event.raised_by_name, event.raised_on, event.due_on)
            case sup.NeedAccepted():
                await x("UPDATE sup_needs SET status = 'accepted', assignee = $2, accepted_on = $3 WHERE need_id = $1",
                        event.need_id, event.assignee, event.accepted_on)
            case sup.NeedWorked():
                await x("UPDATE sup_needs SET last_note = $2, last_worked_on = $3 WHERE need_id = $1",
                        event.need_id, event.note, event.worked_on)
            case sup.NeedResolved():
                await x("UPDATE sup_needs SET status = 'resolved', resolution = $2, finished_on = $3"
                        " WHERE need_id = $1",
                        event.need_id, event.resolution, event.resolved_on)
            case sup.NeedClosed():
                await x("UPDATE sup_needs SET status = 'closed', close_reason = $2, finished_on = $3"
                        " WHERE need_id = $1",
                        event.need_id, event.reason, event.closed_on)
            case sup.PlatformServiceListed():
                await x("INSERT INTO sup_services VALUES ($1, $2, $3, $4, $5, $6, $7, true) ON CONFLICT DO NOTHING",
                        event.service_id, event.platform, event.name, event.description, event.provider_name,
                        event.provider_kind, event.listed_on)
            case sup.PlatformServiceWithdrawn():
                await x("UPDATE sup_services SET active = false WHERE service_id = $1", event.service_id)
            case sup.ServiceRequestSubmitted():
                await x("INSERT INTO sup_requests (request_id, service_id, platform, enterprise_id, description,"
                        " status,"
                        " submitted_on) VALUES ($1, $2, $3, $4, $5, 'submitted', $6) ON CONFLICT DO NOTHING",
                        event.request_id, event.service_id, event.platform, event.enterprise_id, event.description,
                        event.submitted_on)
            case sup.ServiceRequestAccepted():
                await x("UPDATE sup_requests SET status = 'accepted', accepted_on = $2 WHERE request_id = $1",
                        event.request_id, event.accepted_on)
            case sup.ServiceRequestCompleted():
                await x("UPDATE sup_requests SET status = 'completed', finished_on = $2, outcome = $3"
                        " WHERE request_id = $1", event.request_id, event.completed_on, event.outcome)
            case sup.ServiceRequestDeclined():
                await x("UPDATE sup_requests SET status = 'declined', finished_on = $2, outcome = $3"
                        " WHERE request_id = $1", event.request_id, event.declined_on, event.reason)
            case sup.ApplicationSubmitted():
                await x("INSERT INTO sup_applications (application_id, kind, enterprise_id, round,"
                        " amount_requested_fen,"
                        " purpose, status, submitted_on) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7)"
                        " ON CONFLICT DO NOTHING", event.application_id, event.kind, event.enterprise_id, event.round,
                        event.amount_requested_fen, event.purpose, event.submitted_on)
            case sup.ApplicationReviewed():
                await x("UPDATE sup_applications SET status = 'reviewed', reviewer = $2, opinion = $3, recommended = $4"
                        " WHERE application_id = $1", event.application_id, event.reviewer, event.opinion,
                        event.recommended)
            case sup.ApplicationDecided():
                await x("UPDATE sup_applications SET status = $2, amount_granted_fen = $3, decided_on = $4, reason = $5"
                        " WHERE application_id = $1", event.application_id,
                        "approved" if event.approved else "rejected", event.amount_granted_fen, event.decided_on,
                        event.reason)
            case sup.InternshipBaseEstablished():
                await x("INSERT INTO sup_internship_bases (base_id, university, host_enterprise_id, places,"
                        " established_on) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", event.base_id,
                        event.university, event.host_enterprise_id, event.places, event.established_on)
            case sup.InternshipBaseClosed():
                await x("UPDATE sup_internship_bases SET closed_on = $2 WHERE base_id = $1", event.base_id,
                        event.closed_on)
            case sup.PlatformActivityPlanned():
                await x("INSERT INTO sup_activities (activity_id, kind, title, planned_on, partners, status)"
                        " VALUES ($1, $2, $3, $4, $5, 'planned') ON CONFLICT DO NOTHING", event.activity_id,
                        event.kind, event.title, event.planned_on, list(event.partners))
            case sup.PlatformActivityHeld():
                await x("UPDATE sup_activities SET status = 'held', held_on = $2, participant_enterprise_ids = $3,"
                        " outside_participants = $4, outcomes = $5 WHERE activity_id = $1", event.activity_id,
                        event.held_on, list(event.participant_enterprise_ids), event.outside_participants,
                        event.outcomes)
            case sup.PlatformActivityCancelled():
                await x("UPDATE sup_activities SET status = 'cancelled', outcomes = $2 WHERE activity_id = $1",
                        event.activity_id, event.reason)
            case sup.QuarterlyPlanned():
                await x("INSERT INTO sup_quarterlies (kind, quarter, title, status, planned_on)"
                        " VALUES ($1, $2, $3, 'planned', $4) ON CONFLICT DO NOTHING", event.kind, event.quarter,
                        event.title, event.planned_on)
            case sup.QuarterlyHeld():
                await x("INSERT INTO sup_quarterlies (kind, quarter, title, status, held_on,"
                        " participant_enterprise_ids,"
                        " outcomes) VALUES ($1, $2, $3, 'held', $4, $5, $6) ON CONFLICT (kind, quarter) DO UPDATE SET"
                        " title = excluded.title, status = 'held', held_on = excluded.held_on,"
                        " participant_enterprise_ids = excluded.participant_enterprise_ids,"
                        " outcomes = excluded.outcomes", event.kind, event.quarter, event.title, event.held_on,
                        list(event.participant_enterprise_ids), event.outcomes)
            case _:
                pass
