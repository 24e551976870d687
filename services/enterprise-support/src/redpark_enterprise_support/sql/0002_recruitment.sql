-- Recruitment (人才服务平台). No personal field: a hire's name, phone and political status are not here.

-- Kept by staff, not a read model (a rebuild leaves it): the recruitment system's employer code
-- (usually the USCC, 统一社会信用代码) of an enterprise of the park.
CREATE TABLE sup_recruitment_employers (
    employer_code text PRIMARY KEY,
    enterprise_id text NOT NULL,
    mapped_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sup_recruitment_employers_enterprise ON sup_recruitment_employers (enterprise_id);

-- projection sup_recruitment
CREATE TABLE sup_hires (
    hire_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    position text NOT NULL,
    hired_on date NOT NULL,
    -- a declared party member was told to the organization (whether, never who)
    member_followup boolean NOT NULL DEFAULT false
);
CREATE INDEX sup_hires_enterprise ON sup_hires (enterprise_id, hired_on);
CREATE TABLE sup_fair_participations (
    participation_id text PRIMARY KEY,
    enterprise_id text NOT NULL,
    fair_name text NOT NULL,
    fair_on date NOT NULL,
    positions_offered int NOT NULL,
    resumes_received int NOT NULL
);
CREATE TABLE sup_internship_placements (
    placement_id text PRIMARY KEY,
    base_id text NOT NULL,
    host_enterprise_id text,
    student_name text NOT NULL,
    university text NOT NULL,
    major text NOT NULL,
    starts_on date NOT NULL,
    ends_on date
);
CREATE INDEX sup_internship_placements_base ON sup_internship_placements (base_id);
