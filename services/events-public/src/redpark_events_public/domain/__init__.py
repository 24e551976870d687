"""Pure business rules of the public-events service: no I/O, no framework, time comes in."""
