"""Business rules of the organization service: pure deciders per aggregate, and pure functions
over a census snapshot (grid proposal, coverage). No I/O, no framework, no clock: time comes in
with each command as `now`."""
