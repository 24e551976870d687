-- Inbound webhooks (redpark_platform.inbox): every verified delivery, kept until applied or parked.
-- The unique (system, webhook_id) makes a repeated delivery a no-op answered like the first.
CREATE TABLE IF NOT EXISTS webhook_inbox (
    delivery_id     bigserial PRIMARY KEY,
    system          text        NOT NULL,
    webhook_id      text        NOT NULL,
    kind            text        NOT NULL,
    payload         bytea       NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'applied', 'parked', 'rejected')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    applied_at      timestamptz,
    UNIQUE (system, webhook_id)
);

CREATE INDEX IF NOT EXISTS webhook_inbox_due ON webhook_inbox (next_attempt_at, delivery_id)
    WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_inbox_status ON webhook_inbox (status, delivery_id);
