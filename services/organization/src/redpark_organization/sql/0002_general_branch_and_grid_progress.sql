-- The general branch (党总支, one row: one per park; projection org_rosters) and the progress of
-- adopted grid plans (projection org_grid). No personal field in either.
CREATE TABLE org_general_branch (
    general_branch_id text PRIMARY KEY,
    name text NOT NULL,
    established_on date NOT NULL,
    secretary_id text,
    deputy_secretary_id text,
    committee_member_ids text[] NOT NULL DEFAULT '{}',
    term_ends_on date
);

CREATE TABLE org_grid_plans (
    plan_id text PRIMARY KEY,
    adopted_by text NOT NULL,
    adopted_at timestamptz NOT NULL,
    amended boolean NOT NULL
);
CREATE TABLE org_grid_plan_items (
    plan_id text NOT NULL,
    item int NOT NULL,                 -- order in the plan
    kind text NOT NULL,                -- branch_to_form | enterprise_attachment | building_assignment | liaison
    subject_id text NOT NULL,          -- planned ref, enterprise id or building id
    target text,                       -- branch id or planned ref; liaison: null = the general branch
    enterprise_ids text[] NOT NULL DEFAULT '{}',  -- branch_to_form: the enterprises it is formed for
    done boolean NOT NULL DEFAULT false,
    done_on date,
    fulfilled_by_branch_id text,       -- the branch that was formed / joined / assigned / sent
    PRIMARY KEY (plan_id, item)
);
CREATE INDEX org_grid_plan_items_pending ON org_grid_plan_items (kind, subject_id) WHERE NOT done;
