-- The assessment's rosters and coverage as they were on each day (event time), so a quarter is scored on
-- who belonged where during it and not on today's rosters (a late close used to score with today's
-- membership). Dated spans, kept by org_assessment from the organization's own events; a span with a null
-- end is still open. A span [from, until) holds on the days from `from` up to the day before `until`, so a
-- member who moves on a day is counted in the branch joined that day. Rebuild org_assessment after this
-- migration so the spans cover the events stored before it.
CREATE TABLE org_assess_member_spans (
    member_id text NOT NULL,
    branch_id text NOT NULL,
    joined_on date NOT NULL,
    left_on date,
    PRIMARY KEY (member_id, branch_id, joined_on)
);
CREATE TABLE org_assess_building_spans (
    building_id text NOT NULL,
    branch_id text NOT NULL,
    assigned_on date NOT NULL,
    released_on date,
    PRIMARY KEY (building_id, assigned_on)
);
CREATE TABLE org_assess_enterprise_spans (   -- in the park, in this building
    enterprise_id text NOT NULL,
    building_id text NOT NULL,
    from_on date NOT NULL,
    until_on date,
    PRIMARY KEY (enterprise_id, from_on)
);
CREATE TABLE org_assess_cover_spans (        -- organized in a branch, or served by a liaison instructor
    enterprise_id text NOT NULL,
    kind text NOT NULL,                      -- branch | liaison
    unit_id text,                            -- the branch, or the unit that sent the liaison (may be unknown)
    from_on date NOT NULL,
    until_on date,
    PRIMARY KEY (enterprise_id, kind, from_on)
);
