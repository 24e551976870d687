-- Read models of the enterprise-support service, written only by its projections.
-- No personal field (the phone of whoever raised a need) is kept here: lists never show it.

-- the park as the organization's events tell it (projection sup_park)
CREATE TABLE sup_enterprises (
    enterprise_id text PRIMARY KEY,
    name text NOT NULL,
    building_id text NOT NULL,
    headcount int NOT NULL,
    is_tech_enterprise boolean NOT NULL,
    moved_in_on date NOT NULL,
    moved_out_on date,
    in_park boolean NOT NULL DEFAULT true
);
CREATE TABLE sup_branches (
    branch_id text PRIMARY KEY,
    name text NOT NULL,
    active boolean NOT NULL DEFAULT true
);

-- the service's own records (projection sup_support)
CREATE TABLE sup_contact_points (
    enterprise_id text PRIMARY KEY,
    contact_kind text NOT NULL,
    contact_id text NOT NULL,
    contact_name text NOT NULL,
    assigned_on date NOT NULL
);
CREATE TABLE sup_visits (
    visit_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    visited_on date NOT NULL,
    visitors text[] NOT NULL,
    findings text NOT NULL,
    recorded_by text NOT NULL
);
CREATE INDEX sup_visits_enterprise ON sup_visits (enterprise_id, visited_on);
CREATE TABLE sup_help_plans (
    enterprise_id text NOT NULL,
    year int NOT NULL,
    category text NOT NULL,
    measures text[] NOT NULL,
    adopted_on date NOT NULL,
    revised_on date,
    PRIMARY KEY (enterprise_id, year)
);
CREATE TABLE sup_needs (
    need_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    category text NOT NULL,
    urgency text NOT NULL,
    description text NOT NULL,
    raised_by_name text NOT NULL,
    raised_on date NOT NULL,
    due_on date NOT NULL,
    status text NOT NULL,  -- raised, accepted, resolved, closed
    assignee text,
    accepted_on date,
    last_note text,
    last_worked_on date,
    finished_on date,
    resolution text,
    close_reason text
);
CREATE TABLE sup_services (
    service_id text PRIMARY KEY,
    platform text NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    provider_name text NOT NULL,
    provider_kind text NOT NULL,
    listed_on date NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE sup_requests (
    request_id text PRIMARY KEY,
    service_id text NOT NULL,
    platform text NOT NULL,
    enterprise_id text NOT NULL,
    description text NOT NULL,
    status text NOT NULL,  -- submitted, accepted, completed, declined
    submitted_on date NOT NULL,
    accepted_on date,
    finished_on date,
    outcome text
);
CREATE INDEX sup_requests_open ON sup_requests (enterprise_id, service_id) WHERE status IN ('submitted', 'accepted');
CREATE TABLE sup_applications (
    application_id text PRIMARY KEY,
    kind text NOT NULL,
    enterprise_id text NOT NULL,
    round text NOT NULL,
    amount_requested_fen bigint NOT NULL,
    purpose text NOT NULL,
    status text NOT NULL,  -- submitted, reviewed, approved, rejected
    submitted_on date NOT NULL,
    reviewer text,
    opinion text,
    recommended boolean,
    amount_granted_fen bigint,
    decided_on date,
    reason text
);
CREATE TABLE sup_internship_bases (
    base_id text PRIMARY KEY,
    university text NOT NULL,
    host_enterprise_id text,
    places int NOT NULL,
    established_on date NOT NULL,
    closed_on date
);
CREATE TABLE sup_activities (
    activity_id text PRIMARY KEY,
    kind text NOT NULL,
    title text NOT NULL,
    planned_on date NOT NULL,
    partners text[] NOT NULL,
    status text NOT NULL,  -- planned, held, cancelled
    held_on date,
    participant_enterprise_ids text[] NOT NULL DEFAULT '{}',
    outside_participants int NOT NULL DEFAULT 0,
    outcomes text NOT NULL DEFAULT ''
);
CREATE TABLE sup_quarterlies (
    kind text NOT NULL,
    quarter text NOT NULL,
    title text NOT NULL,
    status text NOT NULL,  -- planned, held
    planned_on date,
    held_on date,
    participant_enterprise_ids text[] NOT NULL DEFAULT '{}',
    outcomes text NOT NULL DEFAULT '',
    PRIMARY KEY (kind, quarter)
);

-- policy briefings (projection sup_briefings): fed by both the organization's enterprise events
-- and the service's own policies, so it keeps its own view of both.
CREATE TABLE sup_briefing_enterprises (
    enterprise_id text PRIMARY KEY,
    name text NOT NULL,
    categories text[] NOT NULL,
    in_park boolean NOT NULL
);
CREATE TABLE sup_policies (
    policy_id text PRIMARY KEY,
    title text NOT NULL,
    summary text NOT NULL,
    issuer text NOT NULL,
    applies_to text[] NOT NULL,
    published_on date NOT NULL,
    in_force boolean NOT NULL DEFAULT true
);
CREATE TABLE sup_briefings (
    policy_id text NOT NULL,
    enterprise_id text NOT NULL,
    delivered_on date,
    channel text,
    delivered_by text,
    PRIMARY KEY (policy_id, enterprise_id)
);
CREATE INDEX sup_briefings_enterprise ON sup_briefings (enterprise_id);
