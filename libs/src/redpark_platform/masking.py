"""Masked personal values for lists and exports: one rule for every service.

No framework and no database here, so domain code may use it too.
"""

from __future__ import annotations

ERASED = "已删除"  # what an erased person's sealed fields read as (see personal.py)
UNREADABLE = "无法读取"  # a stored value that is not a ciphertext of ours (see personal.py)


def _mask(value: str, keep_head: int, keep_tail: int) -> str:
    if not value or value in (ERASED, UNREADABLE):
        return value
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_phone(phone: str) -> str:
    """13800138000 -> 138****8000: enough to recognise one's own number, not to dial it."""
    return _mask(phone, 3, 4)


def mask_id_number(id_number: str) -> str:
    """110105194912311234 -> 110***********1234."""
    return _mask(id_number, 3, 4)
