"""HTTP edges of the public-events service: public routes (no login) and staff routes."""
