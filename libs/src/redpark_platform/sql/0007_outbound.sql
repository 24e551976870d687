-- Outbound webhooks: who subscribed to which topic, every delivery, and every attempt of it.

CREATE TABLE IF NOT EXISTS outbound_subscriptions (
    subscription_id  text PRIMARY KEY,
    system           text NOT NULL,
    url              text NOT NULL,
    secret           text NOT NULL,  -- signs the deliveries; shown once, at creation
    topics           text[] NOT NULL,
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS outbound_deliveries (
    delivery_id      text PRIMARY KEY,  -- also the `webhook-id` the receiver de-duplicates on
    subscription_id  text NOT NULL REFERENCES outbound_subscriptions (subscription_id),
    event_id         text NOT NULL,
    topic            text NOT NULL,
    event_type       text NOT NULL,
    body             text NOT NULL,  -- the CloudEvents JSON document, as on the bus
    status           text NOT NULL DEFAULT 'pending',  -- pending | delivered | failed
    attempts         int NOT NULL DEFAULT 0,
    attempt_limit    int NOT NULL,  -- failed after this many; an operator's re-send raises it
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status      int,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX IF NOT EXISTS outbound_deliveries_due ON outbound_deliveries (next_attempt_at)
    WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS outbound_attempts (
    delivery_id  text NOT NULL REFERENCES outbound_deliveries (delivery_id),
    attempt      int NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    status_code  int,
    error        text,
    duration_ms  int NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
