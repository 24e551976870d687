-- Governance (projection org_governance): the rulebook (制度、上墙), inspections, rectifications and
-- organizational handling, the branches' meetings (三会一课、主题党日), and the transfer book kept per
-- branch. No personal field here: attendees are member ids, names come from org_members.
CREATE TABLE org_gov_rules (
    holder_id text NOT NULL,           -- 'general' or a branch id
    rule_key text NOT NULL,
    title text NOT NULL,
    text text NOT NULL,
    defined_on date,
    posted_on date,                    -- null: not on the wall
    PRIMARY KEY (holder_id, rule_key)
);
CREATE TABLE org_gov_inspections (
    inspection_id text PRIMARY KEY,
    branch_id text NOT NULL,
    inspected_on date NOT NULL,
    passed boolean NOT NULL,
    findings text NOT NULL,
    outcome text NOT NULL DEFAULT 'passed',  -- passed | failed | rectification | handling
    recorded_by text NOT NULL DEFAULT ''
);
CREATE INDEX org_gov_inspections_branch ON org_gov_inspections (branch_id, inspected_on);
CREATE TABLE org_gov_rectifications (
    rectification_id text PRIMARY KEY,
    branch_id text NOT NULL,
    inspection_id text NOT NULL,
    opened_on date,
    deadline date NOT NULL,
    completed_on date
);
CREATE TABLE org_gov_handlings (
    inspection_id text PRIMARY KEY,
    branch_id text NOT NULL,
    flagged_on date NOT NULL
);
CREATE TABLE org_gov_meetings (
    meeting_id text PRIMARY KEY,
    branch_id text NOT NULL,
    kind text NOT NULL,
    held_on date NOT NULL,
    topic text NOT NULL,
    attendee_ids text[] NOT NULL,
    minutes text NOT NULL,
    recorded_by text NOT NULL DEFAULT ''
);
CREATE INDEX org_gov_meetings_branch ON org_gov_meetings (branch_id, held_on);
-- The branch a member was last in, so a transfer lands in that branch's transfer book.
CREATE TABLE org_gov_member_branch (
    member_id text PRIMARY KEY,
    branch_id text,
    in_branch boolean NOT NULL         -- false: branch_id is the branch the member left last
);
CREATE TABLE org_gov_transfers (
    sequence bigint PRIMARY KEY,       -- the event's position: one line per transfer
    member_id text NOT NULL,
    branch_id text,                    -- out: the branch left; in: the first branch joined after it
    direction text NOT NULL,           -- in | out
    organization text NOT NULL,
    transferred_on date NOT NULL
);
