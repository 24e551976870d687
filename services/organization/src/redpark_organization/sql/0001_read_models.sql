-- Read models of the organization service, written only by its projections.
-- No personal field (phone, ID number, political status) is kept here: lists never show them.

-- park: zones, buildings, enterprises (projection org_park)
CREATE TABLE org_zones (
    zone_id text PRIMARY KEY,
    name text NOT NULL,
    phase int NOT NULL
);
CREATE TABLE org_buildings (
    building_id text PRIMARY KEY,
    zone_id text NOT NULL,
    name text NOT NULL,
    floors int NOT NULL,
    sequence_in_zone int NOT NULL,
    branch_id text,
    instructor_id text
);
CREATE TABLE org_enterprises (
    enterprise_id text PRIMARY KEY,
    name text NOT NULL,
    building_id text NOT NULL,
    floor int NOT NULL,
    headcount int NOT NULL,
    is_tech_enterprise boolean NOT NULL,
    legal_representative text NOT NULL,
    moved_in_on date NOT NULL,
    moved_out_on date,
    in_park boolean NOT NULL DEFAULT true,
    branch_id text,
    liaison_instructor_id text,
    liaison_sent_by text
);
CREATE INDEX org_enterprises_building ON org_enterprises (building_id) WHERE in_park;

-- rosters: branches, members, transfer records (projection org_rosters)
CREATE TABLE org_branches (
    branch_id text PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    founding_enterprise_ids text[] NOT NULL,
    established_on date NOT NULL,
    active boolean NOT NULL DEFAULT true,
    dissolved_on date,
    secretary_id text,
    deputy_secretary_id text,
    committee_member_ids text[] NOT NULL DEFAULT '{}',
    term_ends_on date
);
CREATE TABLE org_members (
    member_id text PRIMARY KEY,
    name text NOT NULL,
    enterprise_id text,
    status text NOT NULL,
    joined_party_on date NOT NULL,
    relationship text NOT NULL,
    relationship_held_by text NOT NULL,
    in_park boolean NOT NULL DEFAULT true,
    branch_id text,
    registered_on date NOT NULL
);
CREATE INDEX org_members_branch ON org_members (branch_id) WHERE in_park;
CREATE INDEX org_members_enterprise ON org_members (enterprise_id) WHERE in_park;
CREATE TABLE org_transfers (
    position bigint PRIMARY KEY,
    member_id text NOT NULL,
    direction text NOT NULL,  -- in | out
    organization text NOT NULL,
    transferred_on date NOT NULL
);

-- dues ledger (projection org_dues)
CREATE TABLE org_dues_rates (
    member_id text NOT NULL,
    effective_from text NOT NULL,
    monthly_amount_fen int NOT NULL,
    PRIMARY KEY (member_id, effective_from)
);
CREATE TABLE org_dues_paid (
    member_id text NOT NULL,
    month text NOT NULL,
    amount_fen int NOT NULL,
    paid_on date NOT NULL,
    PRIMARY KEY (member_id, month)
);
-- the member's branch as the dues ledger needs it, kept by the same projection so that
-- arrears per branch never wait on another read model
CREATE TABLE org_dues_members (
    member_id text PRIMARY KEY,
    branch_id text,
    in_park boolean NOT NULL DEFAULT true
);

-- development pipeline (projection org_development)
CREATE TABLE org_development (
    person_id text PRIMARY KEY,
    name text NOT NULL,
    enterprise_id text,
    priority_groups text[] NOT NULL,
    stage text NOT NULL,
    reached jsonb NOT NULL
);
CREATE TABLE org_development_quotas (
    year int PRIMARY KEY,
    quota int NOT NULL
);

-- census ledger of non-members (projection org_census)
CREATE TABLE org_contacts (
    person_id text PRIMARY KEY,
    name text NOT NULL,
    enterprise_id text,
    categories text[] NOT NULL,
    removed boolean NOT NULL DEFAULT false
);
