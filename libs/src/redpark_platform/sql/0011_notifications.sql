-- Notifications (redpark_platform.notifications): the outbox a reaction writes in the transaction of
-- its checkpoint, every attempt to send, and each recipient's choices.
-- One row per (event, recipient, template): a redelivered or replayed event never queues twice.
CREATE TABLE IF NOT EXISTS notifications (
    notification_id  text PRIMARY KEY,
    event_id         text NOT NULL,
    template         text NOT NULL,
    recipient_key    text NOT NULL,  -- HMAC of channel + address: who, without saying who
    channel          text NOT NULL CHECK (channel IN ('sms', 'email', 'wecom')),
    subject_id       text,           -- the person whose key seals address and params (none for staff groups)
    address          text NOT NULL,  -- sealed with the subject's key when there is a subject
    recipient_masked text NOT NULL,  -- what staff see: 138****8000, z***@example.cn, a group's name
    params           text NOT NULL,  -- JSON object; personal values sealed one by one
    lang             text NOT NULL DEFAULT 'zh',
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts         int NOT NULL DEFAULT 0,
    attempt_limit    int NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    last_error       text,
    provider_id      text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    UNIQUE (event_id, recipient_key, template)
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS notifications_leased ON notifications (lease_until) WHERE status = 'sending';
CREATE INDEX IF NOT EXISTS notifications_recipient_sent ON notifications (recipient_key, sent_at)
    WHERE status = 'sent';
CREATE INDEX IF NOT EXISTS notifications_created ON notifications (created_at DESC, notification_id);

CREATE TABLE IF NOT EXISTS notification_attempts (
    notification_id  text NOT NULL REFERENCES notifications (notification_id),
    attempt          int NOT NULL,
    at               timestamptz NOT NULL,
    outcome          text NOT NULL,  -- sending (outcome not known yet) | sent | retry | rejected | recovered
    error            text,
    provider_id      text,
    duration_ms      int,
    PRIMARY KEY (notification_id, attempt)
);

CREATE TABLE IF NOT EXISTS notification_preferences (
    recipient_key  text PRIMARY KEY,
    opted_out      boolean NOT NULL DEFAULT false,  -- of everything that is not a service message
    lang           text NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    updated_at     timestamptz NOT NULL
);

-- The key of recipient_key's HMAC, made once per database.
CREATE TABLE IF NOT EXISTS notification_pepper (
    id      int PRIMARY KEY CHECK (id = 1),
    pepper  bytea NOT NULL
);

-- Reminders that come from the calendar, not from an event: each scheduled check runs once a park day.
CREATE TABLE IF NOT EXISTS notification_schedule_runs (
    name    text NOT NULL,
    day     date NOT NULL,
    ran_at  timestamptz NOT NULL,
    queued  int NOT NULL,
    PRIMARY KEY (name, day)
);

-- One-time codes proving a phone (redpark_platform.notifications.verification). The code is kept only
-- as an HMAC; the phone only as its recipient_key; the SMS itself goes through the outbox, sealed.
CREATE TABLE IF NOT EXISTS verification_challenges (
    challenge_id  text PRIMARY KEY,
    recipient_key text NOT NULL,
    purpose       text NOT NULL,
    code_hash     text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    tries         int NOT NULL DEFAULT 0,
    verified_at   timestamptz,
    consumed_at   timestamptz
);
CREATE INDEX IF NOT EXISTS verification_challenges_phone ON verification_challenges (recipient_key, created_at);
