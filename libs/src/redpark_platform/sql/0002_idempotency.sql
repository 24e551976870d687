-- Idempotency keys of creating POSTs: the first response to a key is kept and replayed to retries.
-- A row with a NULL status is a request still in flight; a crashed one is taken over after its lease.

CREATE TABLE IF NOT EXISTS idempotency_keys (
    key           text NOT NULL,
    scope         text NOT NULL,          -- the principal's subject, or the client for public routes
    endpoint      text NOT NULL,          -- method and path, e.g. "POST /branches/b1/members"
    fingerprint   bytea NOT NULL,         -- sha256 of the request body
    status        int,
    headers       jsonb,
    body          bytea,
    claimed_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    PRIMARY KEY (key, scope, endpoint)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
