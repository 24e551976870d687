-- Recognition (projection org_recognition): the three-way review (三评议), warning talks, pioneer and
-- model posts, yearly awards. Ratings are sensitive: the API shows them to park_admin and the
-- member's branch secretary only, auditors get counts.
CREATE TABLE org_rec_ratings (
    member_id text NOT NULL,
    year int NOT NULL,
    rater text NOT NULL,               -- leadership | employees | branch
    rating text NOT NULL,              -- excellent | good | fair | poor
    rated_on date NOT NULL,
    PRIMARY KEY (member_id, year, rater)
);
CREATE TABLE org_rec_reviews (
    member_id text NOT NULL,
    year int NOT NULL,
    overall text NOT NULL,
    branch_id text,                    -- the member's branch when the review concluded
    concluded_on date NOT NULL,
    PRIMARY KEY (member_id, year)
);
CREATE TABLE org_rec_talks (
    member_id text NOT NULL,
    year int NOT NULL,
    talked_on date NOT NULL,
    talked_by text NOT NULL,
    notes text NOT NULL,
    PRIMARY KEY (member_id, year)
);
CREATE TABLE org_rec_posts (
    post_id text PRIMARY KEY,
    kind text NOT NULL,                -- pioneer | model
    member_id text NOT NULL,
    enterprise_id text NOT NULL,
    title text NOT NULL,
    assigned_on date NOT NULL,
    withdrawn_on date,                 -- null: held
    withdrawal_reason text
);
CREATE TABLE org_rec_nominations (
    nomination_id text PRIMARY KEY,
    year int NOT NULL,
    category text NOT NULL,
    nominee_id text NOT NULL,
    nominee_name text NOT NULL,
    reason text NOT NULL,
    nominated_on date NOT NULL,
    approved boolean,                  -- null: awaiting a decision
    decision_reason text,
    decided_on date
);
CREATE INDEX org_rec_nominations_year ON org_rec_nominations (year, category);
CREATE TABLE org_rec_award_years (
    year int PRIMARY KEY,
    published_on date NOT NULL
);
-- Facilities (projection org_facilities): venues (阵地), their bookings, and funds (经费).
CREATE TABLE org_fac_venues (
    venue_id text PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    venue_group text NOT NULL,         -- institute | platforms | corridors | rooms | other
    location text NOT NULL,
    bookable boolean NOT NULL
);
CREATE TABLE org_fac_bookings (
    booking_id text PRIMARY KEY,
    venue_id text NOT NULL,
    venue_name text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    purpose text NOT NULL,
    booked_by text NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    cancel_reason text
);
CREATE INDEX org_fac_bookings_venue ON org_fac_bookings (venue_id, starts_at);
CREATE INDEX org_fac_bookings_start ON org_fac_bookings (starts_at);
CREATE TABLE org_fac_budgets (
    scope text NOT NULL,               -- 'park' (党建专项资金) or a branch id
    year int NOT NULL,
    amount_fen bigint NOT NULL,
    set_on date NOT NULL,
    PRIMARY KEY (scope, year)
);
CREATE TABLE org_fac_spending (
    spending_id text NOT NULL,
    scope text NOT NULL,
    year int NOT NULL,
    amount_fen bigint NOT NULL,
    spent_on date NOT NULL,
    spent_for text NOT NULL,           -- venue | activity | branch
    target_id text NOT NULL,
    note text NOT NULL,
    PRIMARY KEY (scope, spending_id)
);
CREATE INDEX org_fac_spending_year ON org_fac_spending (scope, year, spent_on);
