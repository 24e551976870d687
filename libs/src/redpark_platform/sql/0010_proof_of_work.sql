-- Challenges of the proof of work (web/proof_of_work.py) already redeemed: one solution buys one
-- request. Kept until the challenge expires (it is refused as expired after that); the runtime's
-- housekeeping deletes them then.

CREATE TABLE IF NOT EXISTS proof_of_work_spent (
    challenge   text PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS proof_of_work_spent_expires_at ON proof_of_work_spent (expires_at);
