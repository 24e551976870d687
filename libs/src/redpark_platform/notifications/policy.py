"""When a queued notification may go: opt-out, quiet hours, the daily cap. Pure; time comes in.

- A recipient who opted out gets only service messages (a ticket, a code they asked for).
- In quiet hours (default 21:00-08:00, park time) a message that is not urgent waits for the end.
- A recipient gets at most `daily_cap` messages that are not service messages a park day; past
  it the rest of the day's are skipped (staff may re-send one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from .templates import Template


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """`21:00-08:00`; the same time twice means none."""
        try:
            a, b = (part.strip() for part in text.split("-"))
            return cls(time.fromisoformat(a), time.fromisoformat(b))
        except ValueError:
            raise ValueError(f"quiet hours must look like 21:00-08:00, got {text!r}") from None

    def contains(self, at: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def end_after(self, now: datetime, zone: tzinfo) -> datetime:
        """The first instant after `now` (inside the quiet hours) when they are over."""
        local = now.astimezone(zone)
        candidate = datetime.combine(local.date(), self.end, tzinfo=zone)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=zone)
        return candidate


@dataclass(frozen=True, kw_only=True)
class Policy:
    quiet: QuietHours = QuietHours(time(21), time(8))
    daily_cap: int = 10


@dataclass(frozen=True)
class Send:
    pass


@dataclass(frozen=True)
class Hold:
    until: datetime
    reason: str


@dataclass(frozen=True)
class Skip:
    reason: str


Decision = Send | Hold | Skip


def decide(template: Template, *, opted_out: bool, sent_today: int, now: datetime, zone: tzinfo,
           policy: Policy) -> Decision:
    """May this message go now? `sent_today`: the recipient's messages that are not service messages
    sent this park day."""
    if template.kind == "service":
        return Send()
    if opted_out:
        return Skip("opted_out")
    if not template.urgent and policy.quiet.contains(now.astimezone(zone).time()):
        return Hold(policy.quiet.end_after(now, zone), "quiet_hours")
    if sent_today >= policy.daily_cap:
        return Skip("daily_cap")
    return Send()
