-- Letters of transfer (组织关系介绍信, projection org_transfer_letters): number, other organization, validity,
-- return slip. The status (open, overdue, returned) is judged on the day asked, not stored.
CREATE TABLE org_transfer_letters (
    transfer_id text PRIMARY KEY,
    member_id text NOT NULL,
    direction text NOT NULL,          -- out | in
    letter_no text NOT NULL,
    organization text NOT NULL,
    issued_on date NOT NULL,
    valid_until date NOT NULL,
    returned_on date
);
CREATE INDEX org_transfer_letters_open ON org_transfer_letters (valid_until) WHERE returned_on IS NULL;
