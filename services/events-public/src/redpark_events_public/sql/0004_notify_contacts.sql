-- Registrants' phones and names for the day-before reminder, sealed as the events carry them (the
-- catalogue's ep_registrations holds no phone): read model `ep_notify_contacts`.

CREATE TABLE IF NOT EXISTS ep_notify_contacts (
    registration_id text PRIMARY KEY,
    registrant_id   text NOT NULL,
    name            text NOT NULL,  -- sealed
    phone           text NOT NULL   -- sealed
);
