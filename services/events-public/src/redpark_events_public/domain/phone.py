"""Mainland China mobile numbers: validation, normalisation, masking.

The public types numbers in many shapes (spaces, dashes, +86, 0086); the rules compare the
normalised eleven digits, so one person cannot register twice by writing the number differently.
"""

from __future__ import annotations

import re

from redpark_platform.masking import mask_phone  # noqa: F401 - the one masking rule, re-exported

from .errors import ERRORS

_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits: `\d` also matches ۱ or ๑
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """The eleven-digit number, or InvalidCommand naming `field`."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise ERRORS.error("phone.invalid", field=field)
    return digits


def is_mobile(number: str) -> bool:
    return _MOBILE.fullmatch(number) is not None


