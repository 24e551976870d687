-- The organization's units and members as its events tell them (never its API), so a volunteer activity
-- is organized by a real branch or the general branch, a volunteer is a member registered in the park,
-- and the yearly report lists every unit, including those that held nothing. Ids only: no name, phone or
-- ID number of a member is kept here. Also the assessment's volunteer target of each year it was set,
-- so the report and the quarterly assessment judge against one target.
CREATE TABLE ep_org_units (
    unit_id text PRIMARY KEY,
    kind text NOT NULL,            -- branch | general_branch
    name text NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE ep_org_members (
    member_id text PRIMARY KEY,
    in_park boolean NOT NULL       -- false once transferred out of the park
);
CREATE TABLE ep_volunteer_targets (
    year int PRIMARY KEY,
    per_quarter double precision NOT NULL   -- activities per organizer per quarter (assessment.rules_set)
);
