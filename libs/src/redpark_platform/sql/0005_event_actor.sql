-- Who caused each event: the staff account (token subject) or the system (e.g. `system:property`)
-- that gave the command. Entity pages show it as their history ("who did what, when").
-- NULL for events stored before this column existed and for events no person caused.

ALTER TABLE events ADD COLUMN IF NOT EXISTS actor text;

DROP FUNCTION IF EXISTS redpark_append(text, bigint, uuid[], text[], int[], text[], text, timestamptz);

CREATE OR REPLACE FUNCTION redpark_append(
    p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_type_versions int[],
    p_data text[], p_traceparent text, p_recorded_at timestamptz, p_actor text
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
    INSERT INTO events (position, id, stream_id, version, type, type_version, data, traceparent, recorded_at,
                        actor)
    SELECT nextval('event_position_seq'), u.id, p_stream, v_new - n + u.ord, u.t, u.tv, u.d::jsonb,
           p_traceparent, p_recorded_at, p_actor
      FROM unnest(p_ids, p_types, p_type_versions, p_data) WITH ORDINALITY AS u(id, t, tv, d, ord)
     ORDER BY u.ord
    RETURNING position, version;
END
$$;
