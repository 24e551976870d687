"""Business rules as pure deciders (no I/O): one module per stream kind, plus the park's calendar
and the three-guarantees computation."""
