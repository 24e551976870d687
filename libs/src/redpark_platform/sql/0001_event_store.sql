-- The event store of one service: its source of truth and the relay's outbox.

CREATE SEQUENCE IF NOT EXISTS event_position_seq;

CREATE TABLE IF NOT EXISTS streams (
    stream_id  text PRIMARY KEY,
    version    bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    position      bigint PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    stream_id     text NOT NULL,
    version       bigint NOT NULL,
    type          text NOT NULL,
    type_version  int NOT NULL,
    data          jsonb NOT NULL,
    traceparent   text,
    recorded_at   timestamptz NOT NULL,
    UNIQUE (stream_id, version)
);
ALTER SEQUENCE event_position_seq OWNED BY events.position;

-- One key per person whose data appears in events; deleting the key erases the person
-- (crypto-shredding): their sealed fields then read as erased everywhere, replays included.
CREATE TABLE IF NOT EXISTS personal_keys (
    subject_id  text PRIMARY KEY,
    key         bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS personal_erasures (
    subject_id  text PRIMARY KEY,
    erased_at   timestamptz NOT NULL DEFAULT now()
);

-- Append with optimistic concurrency, in one round trip.
-- p_expected: -1 = any version, 0 = the stream must not exist yet, n = the stream must be at n.
CREATE OR REPLACE FUNCTION redpark_append(
    p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_type_versions int[],
    p_data text[], p_traceparent text, p_recorded_at timestamptz
) RETURNS TABLE (out_position bigint, out_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    n      int := cardinality(p_ids);
    v_new  bigint;
BEGIN
    -- Take the transaction id BEFORE drawing any position. Readers treat positions up to the
    -- sequence's value as final once every transaction older than their fence has ended
    -- that only holds if a transaction owning a position already had its id when it drew it.
    PERFORM pg_current_xact_id();

    IF p_expected = 0 THEN
        INSERT INTO streams (stream_id, version) VALUES (p_stream, n) ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % already exists', p_stream USING ERRCODE = 'R0409';
        END IF;
        v_new := n;
    ELSIF p_expected < 0 THEN
        INSERT INTO streams AS s (stream_id, version) VALUES (p_stream, n)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + n
        RETURNING s.version INTO v_new;
    ELSE
        UPDATE streams SET version = version + n
         WHERE stream_id = p_stream AND version = p_expected
        RETURNING version INTO v_new;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % is not at version %', p_stream, p_expected USING ERRCODE = 'R0409';
        END IF;
    END IF;

    RETURN QUERY
    INSERT INTO events (position, id, stream_id, version, type, type_version, data, traceparent, recorded_at)
    SELECT nextval('event_position_seq'), u.id, p_stream, v_new - n + u.ord, u.t, u.tv, u.d::jsonb,
           p_traceparent, p_recorded_at
      FROM unnest(p_ids, p_types, p_type_versions, p_data) WITH ORDINALITY AS u(id, t, tv, d, ord)
     ORDER BY u.ord
    RETURNING position, version;
END
$$;
