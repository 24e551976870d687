-- Dead letters an operator can act on: where the message sat on the stream (so a consumer re-created
-- at its checkpoint knows an unreadable message it already set aside), a reason without personal
-- data for the listing, and when and by whom it was replayed after a fix.
ALTER TABLE projection_dead_letters ADD COLUMN IF NOT EXISTS stream_sequence bigint;
ALTER TABLE projection_dead_letters ADD COLUMN IF NOT EXISTS reason text;
ALTER TABLE projection_dead_letters ADD COLUMN IF NOT EXISTS replayed_at timestamptz;
ALTER TABLE projection_dead_letters ADD COLUMN IF NOT EXISTS replayed_by text;
CREATE INDEX IF NOT EXISTS projection_dead_letters_at_stream
    ON projection_dead_letters (projection, source, stream_sequence);
