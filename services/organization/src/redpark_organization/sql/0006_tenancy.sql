-- The property-management system's codes and ours (integrations/property.py, the anti-corruption
-- layer): their codes stay here and never reach an event.
CREATE TABLE IF NOT EXISTS property_buildings (
    bldg_code   text PRIMARY KEY,
    building_id text NOT NULL UNIQUE,
    mapped_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS property_tenants (
    tenant_code      text PRIMARY KEY,
    enterprise_id    text NOT NULL UNIQUE,
    -- The newest notice applied for this tenant: an older one arriving late changes nothing.
    last_occurred_at timestamptz
);
