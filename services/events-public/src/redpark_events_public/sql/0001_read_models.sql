-- Read models of the public-events service, written only by the `events_public_catalogue`
-- projection. No personal data here: names and phones stay sealed in the event store.

CREATE TABLE IF NOT EXISTS ep_activities (
    activity_id           text PRIMARY KEY,
    kind                  text NOT NULL,
    title                 text NOT NULL,
    summary               text NOT NULL DEFAULT '',
    place                 text NOT NULL DEFAULT '',
    organizer             text NOT NULL DEFAULT '',
    carnival_id           text,
    route                 jsonb NOT NULL DEFAULT '[]',
    daily_limit_per_phone integer,
    withdrawn             boolean NOT NULL DEFAULT false,
    published_at          timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ep_sessions (
    session_id             text PRIMARY KEY,
    activity_id            text NOT NULL,
    activity_kind          text NOT NULL,
    carnival_id            text,
    starts_at              timestamptz NOT NULL,
    ends_at                timestamptz NOT NULL,
    place                  text NOT NULL,
    capacity               integer NOT NULL,
    min_age                integer,
    max_age                integer,
    registration_opens_at  timestamptz NOT NULL,
    registration_closes_at timestamptz NOT NULL,
    max_party_size         integer NOT NULL,
    confirmed_seats        integer NOT NULL DEFAULT 0,
    waitlisted_parties     integer NOT NULL DEFAULT 0,
    checked_in_seats       integer NOT NULL DEFAULT 0,
    no_show_seats          integer
);
CREATE INDEX IF NOT EXISTS ep_sessions_activity ON ep_sessions (activity_id, starts_at);

CREATE TABLE IF NOT EXISTS ep_registrations (
    registration_id text PRIMARY KEY,
    session_id      text NOT NULL,
    ticket_code     text NOT NULL,
    status          text NOT NULL,          -- confirmed / waitlisted / cancelled
    seats           integer NOT NULL,
    adults          integer NOT NULL,
    children        integer NOT NULL,
    arrival         bigint NOT NULL,        -- the event's position: waiting-list order
    registered_at   timestamptz NOT NULL,
    promoted_at     timestamptz,
    cancelled_at    timestamptz,
    checked_in_at   timestamptz,
    UNIQUE (session_id, ticket_code)
);
CREATE INDEX IF NOT EXISTS ep_registrations_waiting ON ep_registrations (session_id, arrival) WHERE status = 'waitlisted';
