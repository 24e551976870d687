-- A fence for tailing readers: a fresh transaction id, newer than every id assigned before the
-- call. (A snapshot's xmax is only "latest completed id + 1": a transaction that took its id
-- earlier but is still running can sit above it, unlisted — readers must not rely on it.)
-- The commit need not wait for a disk flush: nothing is written.
CREATE OR REPLACE FUNCTION redpark_fence_xid() RETURNS xid8
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN pg_current_xact_id();
END
$$;
