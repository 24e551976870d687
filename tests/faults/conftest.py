"""The fault suite's helpers (`fault_*.py`) are plain modules beside its test: importable by name."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
