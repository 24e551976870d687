"""Pure rules: one decider per aggregate, no I/O, no clock (time comes with each command)."""
