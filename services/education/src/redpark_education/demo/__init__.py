"""Demo data, apart from the service: `load` creates a year of education through the service's
own HTTP API (`year.py`). `up` calls `load` once per data folder."""

from .year import load

__all__ = ["load"]
