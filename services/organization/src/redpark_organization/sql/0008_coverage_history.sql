-- Coverage history (projection org_coverage_history): the park's covered / total enterprises after
-- every event that can change coverage, for the dashboard's trend. The projection keeps its own
-- cover of each enterprise so it never depends on the order other read models are written in.
CREATE TABLE org_cov_enterprises (
    enterprise_id text PRIMARY KEY,
    in_park boolean NOT NULL,
    branch_id text,
    liaison_instructor_id text
);
CREATE TABLE org_coverage_history (
    position bigint PRIMARY KEY,  -- the event's position in the service's stream
    at timestamptz NOT NULL,      -- when the event was recorded
    event_type text NOT NULL,
    enterprise_id text NOT NULL,
    covered int NOT NULL,
    total int NOT NULL
);
CREATE INDEX org_coverage_history_at ON org_coverage_history (at);
