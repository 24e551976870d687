-- Where on the JetStream stream the checkpoint's event sits, so that a runner re-creates its
-- consumer right after it: a restarted runner must not wait for messages its predecessor had
-- fetched but not acknowledged (they would come back after ack_wait, behind newer ones).
ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS stream_sequence bigint;
