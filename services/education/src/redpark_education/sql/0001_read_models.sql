-- Read models of the education service, written only by its projections.
-- No personal field is kept here: a self-study reflection is read from the store, sealed per member.

-- roster: a projection of the ORGANIZATION service's events (projection edu_roster)
CREATE TABLE edu_roster_branches (
    branch_id text PRIMARY KEY,
    name text NOT NULL,
    established_on date NOT NULL,
    dissolved_on date
);
CREATE TABLE edu_roster_members (
    member_id text PRIMARY KEY,
    name text NOT NULL,
    status text NOT NULL
);
-- one row per stay of a member in a branch: who was expected on which day
CREATE TABLE edu_roster_memberships (
    member_id text NOT NULL,
    branch_id text NOT NULL,
    joined_on date NOT NULL,
    left_on date,
    PRIMARY KEY (member_id, branch_id, joined_on)
);
CREATE INDEX edu_roster_memberships_open ON edu_roster_memberships (member_id) WHERE left_on IS NULL;

-- the education records (projection edu_records)
CREATE TABLE edu_plans (
    year int PRIMARY KEY,
    lecturer_corps_minimum int NOT NULL,
    park_lessons_minimum int NOT NULL,
    weekly_study_minutes int NOT NULL
);
CREATE TABLE edu_lecturers (
    lecturer_id text PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    affiliation text NOT NULL,
    topics text[] NOT NULL,
    appointed_on date NOT NULL,
    retired_on date
);
CREATE TABLE edu_lessons (
    lesson_id text PRIMARY KEY,
    title text NOT NULL,
    topic text NOT NULL,
    lecturer_id text NOT NULL,
    venue text NOT NULL,
    scheduled_on date NOT NULL,
    quarter text NOT NULL,
    held_on date,
    expected_members int,
    cancelled boolean NOT NULL DEFAULT false
);
CREATE TABLE edu_attendance (
    lesson_id text NOT NULL,
    member_id text NOT NULL,
    makeup_on date,
    PRIMARY KEY (lesson_id, member_id)
);
CREATE TABLE edu_topics (
    month text PRIMARY KEY,
    title text NOT NULL,
    material text NOT NULL,
    published_on date NOT NULL
);
CREATE TABLE edu_self_study (
    member_id text NOT NULL,
    month text NOT NULL,
    branch_id text NOT NULL,
    studied_on date NOT NULL,
    filed_on date NOT NULL,
    late boolean NOT NULL,
    PRIMARY KEY (member_id, month)
);
CREATE TABLE edu_weekly_study (
    branch_id text NOT NULL,
    week text NOT NULL,
    held_on date NOT NULL,
    minutes int NOT NULL,
    topic text NOT NULL,
    attendees int NOT NULL,
    meets_minimum boolean NOT NULL,
    PRIMARY KEY (branch_id, week)
);
CREATE TABLE edu_themes (
    year int NOT NULL,
    theme_id text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    PRIMARY KEY (year, theme_id)
);
CREATE TABLE edu_theme_links (
    year int NOT NULL,
    theme_id text NOT NULL,
    kind text NOT NULL,
    ref text NOT NULL,
    PRIMARY KEY (year, theme_id, kind, ref)
);
CREATE TABLE edu_forum_sessions (
    session_id text PRIMARY KEY,
    forum text NOT NULL,
    title text NOT NULL,
    held_on date NOT NULL,
    participants text[] NOT NULL,
    outcomes text[] NOT NULL
);
CREATE TABLE edu_quarters_closed (
    quarter text NOT NULL,
    branch_id text NOT NULL,
    members_expected int NOT NULL,
    members_fully_compliant int NOT NULL,
    closed_on date NOT NULL,
    PRIMARY KEY (quarter, branch_id)
);
CREATE TABLE edu_reminders (
    position bigint PRIMARY KEY,
    guarantee text NOT NULL,
    period text NOT NULL,
    branch_id text NOT NULL,
    member_id text,
    issued_on date NOT NULL
);
