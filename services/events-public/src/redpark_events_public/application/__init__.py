"""The application layer: what the edges call. One module per area builds the area's commands,
stamps them with the runtime's clock, mints ids, and executes them; none reads a read model
(that is `queries/`).

Edge work that the pure rules must not do happens here: the clock, fresh ids and ticket codes,
the phone's keyed hash (`phone_hashing.py`), and the carnival quota that spans sessions. The
per-session single writer (`session_writer.py`) is here too: it is how a session's commands are
loaded, decided and appended, one batch per append.
"""

from .layer import EventsPublic

__all__ = ["EventsPublic"]
