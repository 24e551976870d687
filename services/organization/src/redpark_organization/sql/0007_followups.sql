-- Pending transfer-in follow-ups (projection org_followups). Names in clear, as in org_members; no phone.
CREATE TABLE org_transfer_followups (
    followup_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    name text NOT NULL,
    relationship_held_by text NOT NULL,
    since date NOT NULL,
    opened_on date NOT NULL,
    status text NOT NULL,  -- pending, resolved, dismissed
    member_id text,
    reason text,
    closed_on date
);
CREATE INDEX org_transfer_followups_status ON org_transfer_followups (status, since);
