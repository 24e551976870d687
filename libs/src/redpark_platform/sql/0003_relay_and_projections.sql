-- Where the relay has published up to (for the backlog figure; on start the relay trusts the
-- stream's last message over this row, so a stream that lost its tail is refilled).
CREATE TABLE IF NOT EXISTS relay_position (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position    bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Per projection and source service: the highest position applied (read-your-writes waits on it).
CREATE TABLE IF NOT EXISTS projection_checkpoints (
    projection       text NOT NULL,
    source           text NOT NULL,
    position         bigint NOT NULL,
    last_event_time  timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source)
);

-- Every (source, position) a projection applied, written in the same transaction as its effects:
-- a redelivery, a re-send outside JetStream's duplicate window, or a refilled stream is skipped,
-- even when it arrives out of order.
CREATE TABLE IF NOT EXISTS projection_processed (
    projection  text NOT NULL,
    source      text NOT NULL,
    position    bigint NOT NULL,
    PRIMARY KEY (projection, source, position)
);

CREATE TABLE IF NOT EXISTS projection_dead_letters (
    id          bigserial PRIMARY KEY,
    projection  text NOT NULL,
    source      text NOT NULL,
    position    bigint,
    event_id    text,
    type        text,
    error       text NOT NULL,
    deliveries  int NOT NULL,
    body        bytea NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
