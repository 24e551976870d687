-- Volunteer activities and open-base visits (projections `events_public_volunteer` and
-- `events_public_open_base`). Contacts' names and phones are not copied here.

CREATE TABLE IF NOT EXISTS ep_volunteer_activities (
    activity_id         text PRIMARY KEY,
    kind                text NOT NULL,
    title               text NOT NULL,
    organizer_branch_id text NOT NULL,
    place               text NOT NULL,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    volunteer_slots     integer,
    scheduled_at        timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ep_volunteers (
    activity_id  text NOT NULL,
    member_id    text NOT NULL,
    signed_up_at timestamptz NOT NULL,
    withdrawn    boolean NOT NULL DEFAULT false,
    hours        double precision,
    recorded_by  text,
    recorded_at  timestamptz,
    PRIMARY KEY (activity_id, member_id)
);

CREATE TABLE IF NOT EXISTS ep_open_base_visits (
    booking_id   text PRIMARY KEY,
    day          date NOT NULL,
    organization text NOT NULL,
    group_size   integer NOT NULL,
    status       text NOT NULL,          -- requested / confirmed / declined
    requested_at timestamptz NOT NULL,
    decided_at   timestamptz,
    decided_by   text,
    reason       text
);
CREATE INDEX IF NOT EXISTS ep_open_base_visits_day ON ep_open_base_visits (day);
