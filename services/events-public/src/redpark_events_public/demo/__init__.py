"""Demo data, apart from the production code: nothing in the service imports this package.

`season` holds the data (request bodies built from a given instant), `loader` sends it through the
service's own API. `up` (the local stack) imports `<package>.demo` and calls `load`.
"""

from .loader import load

__all__ = ["load"]
