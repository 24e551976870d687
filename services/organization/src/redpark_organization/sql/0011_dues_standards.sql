-- The dues standard each member's amount follows (核定党费, dues.assessed): category, rate and the
-- regulation's article, and for a branch-set amount its reason. The declared income is not kept.
CREATE TABLE org_dues_standards (
    member_id text NOT NULL,
    effective_from text NOT NULL,      -- YYYY-MM
    category text NOT NULL,
    basis_points int,
    monthly_amount_fen int NOT NULL,
    rule text NOT NULL,
    reason text NOT NULL,
    assessed_on date NOT NULL,
    PRIMARY KEY (member_id, effective_from)
);
