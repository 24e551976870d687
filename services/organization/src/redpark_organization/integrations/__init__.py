"""Other systems of the park, translated into this service's own commands (anti-corruption layers)."""
