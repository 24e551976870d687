-- What a registration for an activity's sessions must bring (activity.published / .registration_checks_set):
-- a proof of work, and a code sent to the phone. Rows from before the switch take its default: on for
-- the parts of a carnival, off otherwise.

ALTER TABLE ep_activities ADD COLUMN IF NOT EXISTS proof_of_work boolean;
ALTER TABLE ep_activities ADD COLUMN IF NOT EXISTS phone_verification boolean NOT NULL DEFAULT false;
UPDATE ep_activities SET proof_of_work = carnival_id IS NOT NULL WHERE proof_of_work IS NULL;
ALTER TABLE ep_activities ALTER COLUMN proof_of_work SET NOT NULL;
