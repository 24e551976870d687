-- Where to reach a member by SMS (projection org_notify_contacts): the phone as it travels, sealed with
-- the member's key, so erasing the member makes it unreadable here too.
CREATE TABLE IF NOT EXISTS org_notify_contacts (
    member_id text PRIMARY KEY,
    phone     text NOT NULL
);
