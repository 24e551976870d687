-- The quarterly assessment (考核): the park's rules, closed quarters (snapshots), departments, and the
-- facts per branch gathered from organization (governance), education, enterprise-support and
-- events-public events. Who belongs to which branch is read from org_members / org_enterprises at
-- scoring time, so the facts are kept per member, enterprise or branch as their events name them.
-- No personal data here (no phone, ID number, political status, no self-study reflection).

CREATE TABLE org_assess_rules (
    year int PRIMARY KEY,
    rules jsonb NOT NULL,              -- the AssessmentRulesSet event as set
    set_on date NOT NULL
);
CREATE TABLE org_assess_closed (
    quarter text PRIMARY KEY,          -- YYYY-Qn
    award_threshold double precision NOT NULL,
    closed_by text NOT NULL,
    closed_on date NOT NULL,
    scorecards jsonb NOT NULL          -- the snapshot, as closed
);
CREATE TABLE org_assess_closed_cards (
    quarter text NOT NULL,
    unit_kind text NOT NULL,           -- branch | general_branch | department
    unit_id text NOT NULL,
    name text NOT NULL,
    score double precision NOT NULL,
    possible double precision NOT NULL,
    vetoed boolean NOT NULL,
    PRIMARY KEY (unit_kind, unit_id, quarter)
);
CREATE TABLE org_departments (
    department_id text PRIMARY KEY,
    name text NOT NULL,
    head text NOT NULL,
    registered_on date NOT NULL
);
CREATE TABLE org_department_scores (
    department_id text NOT NULL,
    quarter text NOT NULL,
    items jsonb NOT NULL,              -- [{key, points}]
    vetoed boolean NOT NULL,
    veto_reason text NOT NULL,
    scored_by text NOT NULL,
    scored_on date NOT NULL,
    PRIMARY KEY (department_id, quarter)
);

-- governance (organization's own events)
CREATE TABLE org_assess_rules_posted (
    holder_id text NOT NULL,
    rule_key text NOT NULL,
    posted_on date NOT NULL,
    PRIMARY KEY (holder_id, rule_key)
);
CREATE TABLE org_assess_inspections (
    inspection_id text PRIMARY KEY,
    branch_id text NOT NULL,
    inspected_on date NOT NULL,
    passed boolean NOT NULL
);
CREATE TABLE org_assess_flags (
    position bigint NOT NULL,          -- the event's position: each flag or rectification once
    kind text NOT NULL,                -- rectification | handling
    branch_id text NOT NULL,
    on_day date NOT NULL,
    PRIMARY KEY (kind, position)
);
CREATE TABLE org_assess_meetings (
    meeting_id text PRIMARY KEY,
    branch_id text NOT NULL,
    kind text NOT NULL,
    held_on date NOT NULL
);
CREATE INDEX org_assess_meetings_day ON org_assess_meetings (held_on);

-- education
CREATE TABLE org_assess_lessons (
    lesson_id text PRIMARY KEY,
    quarter text NOT NULL,
    held_on date NOT NULL,
    cancelled boolean NOT NULL DEFAULT false
);
CREATE TABLE org_assess_lesson_attendance (
    lesson_id text NOT NULL,
    member_id text NOT NULL,
    quarter text NOT NULL,
    PRIMARY KEY (lesson_id, member_id)
);
CREATE TABLE org_assess_self_study (
    member_id text NOT NULL,
    month text NOT NULL,
    branch_id text NOT NULL,
    PRIMARY KEY (member_id, month)
);
CREATE TABLE org_assess_weekly_study (
    branch_id text NOT NULL,
    week text NOT NULL,
    held_on date NOT NULL,
    meets_minimum boolean NOT NULL,
    PRIMARY KEY (branch_id, week)
);
CREATE TABLE org_assess_edu_closed (
    branch_id text NOT NULL,
    quarter text NOT NULL,
    members_expected int NOT NULL,
    members_attended_lesson int NOT NULL,
    members_filed_every_month int NOT NULL,
    weeks_in_quarter int NOT NULL,
    weeks_with_study int NOT NULL,
    PRIMARY KEY (branch_id, quarter)
);

-- enterprise-support
CREATE TABLE org_assess_visits (
    visit_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    visited_on date NOT NULL
);
CREATE TABLE org_assess_quarterlies (
    kind text NOT NULL,
    quarter text NOT NULL,
    held_on date NOT NULL,
    participant_enterprise_ids text[] NOT NULL,
    PRIMARY KEY (kind, quarter)
);

-- events-public
CREATE TABLE org_assess_volunteer_activities (
    activity_id text PRIMARY KEY,
    organizer_branch_id text NOT NULL,
    starts_at timestamptz NOT NULL
);
CREATE TABLE org_assess_volunteer_hours (
    activity_id text NOT NULL,
    member_id text NOT NULL,
    hours double precision NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (activity_id, member_id)
);
