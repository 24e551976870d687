"""Demo data and traffic, apart from the service: `load` creates a year of enterprise support
through the service's own HTTP API (`year.py`); `simulate_recruitment` plays the park's
recruitment system sending its signed webhooks
(`python -m redpark_enterprise_support.demo.simulate_recruitment`). `up` runs both once per data folder."""

from .year import load

__all__ = ["load"]
