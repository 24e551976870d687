"""The application layer: load, decide, store. Routes call these; these call the domain.

Edge work that the pure rules must not do happens here: the clock, fresh ids and ticket codes,
the phone's keyed hash, and the carnival quota that spans sessions.
"""

from __future__ import annotations

import dataclasses
import io
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import qrcode
from qrcode.image.pure import PyPNGImage
from redpark_contracts.events_public import RegistrationCancelled
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.runtime import Runtime
from redpark_platform.settings import SettingsError
from redpark_platform.store import AppendResult
from redpark_platform.web.auth import load_or_create_key
from redpark_platform.web.ratelimit import RateLimit, limits_from_env, storage

from .domain.carnival_quota import (
    ReleaseCarnivalQuota,
    TakeCarnivalQuota,
    carnival_quota_decider,
    carnival_quota_stream,
)
from .domain.catalogue import Activity, PublishActivity, activity_decider, activity_stream
from .domain.open_base import (
    ConfirmOpenBaseVisit,
    DeclineOpenBaseVisit,
    RequestOpenBaseVisit,
    open_base_decider,
    open_base_stream,
)
from .domain.park_time import park_day
from .domain.phone import normalise_phone
from .domain.registration import Outcome, Refused
from .domain.session_commands import CancelRegistration, Register, ScheduleSession, SessionCommand
from .domain.session_state import Session
from .domain.ticket import new_ticket_code, normalise_ticket_code
from .domain.volunteer import VolunteerCommand, volunteer_decider, volunteer_stream
from .phone_hashing import phone_hash
from .writer import RegistrationResult, SessionWriter, SessionWriters

PHONE_SECRET_VARIABLE = "REDPARK_EVENTS_PUBLIC_PHONE_SECRET"
OPEN_BASE_CAPACITY_VARIABLE = "REDPARK_EVENTS_PUBLIC_OPEN_BASE_CAPACITY"
VOLUNTEER_MINIMUM_VARIABLE = "REDPARK_EVENTS_PUBLIC_VOLUNTEER_MINIMUM"
# The plan leaves both numbers as "×": these are placeholders the park sets in its environment.
DEFAULT_OPEN_BASE_CAPACITY = 100
DEFAULT_VOLUNTEER_MINIMUM = 2
PHONE_KEY_FILE = "events-public-phone.key"
# Rate limits of the public routes (the `limits` notation, "10/minute;100/hour"; "" for none).
# Per address generously (a school's or an estate's families share one address), per phone
# tightly (one registration per phone per session; the carnival limit is per day).
RATE_LIMIT_VARIABLES = {
    ("registration", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS", "60/minute;600/hour"),
    ("registration", "phone"): ("REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_PHONE", "10/minute;30/day"),
    ("cancellation", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS", "30/minute;300/hour"),
    ("cancellation", "phone"): ("REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_PHONE", "10/minute;30/day"),
    ("ticket", "address"): ("REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS", "120/minute"),
}
# memory:// counts per process; several processes need shared storage, e.g. redis://host:6379.
RATE_LIMIT_STORAGE_VARIABLE = "REDPARK_EVENTS_PUBLIC_RATE_LIMIT_STORAGE"
TICKET_CODE_ATTEMPTS = 3


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class EventsPublic:
    """What the routes use, kept in `runtime.extras["events_public"]`."""

    runtime: Runtime
    writers: SessionWriters
    phone_secret: bytes
    open_base_capacity: int = DEFAULT_OPEN_BASE_CAPACITY
    volunteer_minimum: int = DEFAULT_VOLUNTEER_MINIMUM
    rate_limits: dict[str, RateLimit] = dataclasses.field(default_factory=dict)
    carnival_limits: dict[str, int | None] = dataclasses.field(default_factory=dict)

    @classmethod
    def attach(cls, runtime: Runtime) -> EventsPublic:
        secret = os.environ.get(PHONE_SECRET_VARIABLE) or load_or_create_key(
            runtime.settings.data_dir / PHONE_KEY_FILE
        )
        app = cls(
            runtime=runtime,
            writers=SessionWriters(runtime.store),
            phone_secret=secret.encode(),
            open_base_capacity=_positive_int(OPEN_BASE_CAPACITY_VARIABLE, DEFAULT_OPEN_BASE_CAPACITY),
            volunteer_minimum=_positive_int(VOLUNTEER_MINIMUM_VARIABLE, DEFAULT_VOLUNTEER_MINIMUM),
            rate_limits=_rate_limits(),
        )
        runtime.extras["events_public"] = app
        return app

    def hash_phone(self, normalised: str) -> str:
        return phone_hash(self.phone_secret, normalised)

    async def writer(self, session_id: str) -> tuple[SessionWriter, Session]:
        """The session's writer, or NotFound; a writer for an unknown id is not kept."""
        writer = self.writers.get(session_id)
        state = await writer.state()
        if not isinstance(state, Session):
            await self.writers.discard(session_id)
            raise NotFound(
                "session.not_found", "No such session.", detail_zh="场次不存在。", field="session_id"
            )
        return writer, state

    async def session_command(self, session_id: str, command: SessionCommand) -> AppendResult:
        writer, _ = await self.writer(session_id)
        return await writer.execute(command)

    # --- catalogue --------------------------------------------------------------------------

    async def activity(self, activity_id: str, *, field: str = "activity_id") -> Activity:
        stored = await self.runtime.store.read_stream(activity_stream(activity_id))
        state = activity_decider.fold([e.event for e in stored.events])
        if not isinstance(state, Activity):
            raise NotFound("activity.not_found", "No such activity.", detail_zh="活动不存在。", field=field)
        return state

    async def publish(self, command: PublishActivity) -> AppendResult:
        if command.carnival_id:
            carnival = await self.activity(command.carnival_id, field="carnival_id")
            if carnival.kind != "science_carnival":
                raise InvalidCommand(
                    "activity.not_a_carnival",
                    "carnival_id must name a science carnival week.",
                    detail_zh="所属活动必须是科技嘉年华周。",
                    field="carnival_id",
                )
        return await self.runtime.execute(activity_stream(command.activity_id), activity_decider, command)

    async def open_activity(self, activity_id: str) -> Activity:
        """An activity that takes new sessions: published and not withdrawn."""
        activity = await self.activity(activity_id)
        if activity.withdrawn:
            raise DomainError(
                "activity.withdrawn",
                "The activity was withdrawn; it takes no new sessions.",
                detail_zh="该活动已撤下，不能再安排场次。",
                field="activity_id",
            )
        return activity

    async def schedule(self, command: ScheduleSession) -> AppendResult:
        # Through the session's writer, so nothing else in this process writes its stream.
        return await self.writers.get(command.session_id).execute(command)

    # --- public registration ---------------------------------------------------------------

    async def register(
        self,
        session_id: str,
        *,
        name: str,
        phone: str,
        adults: int,
        children_ages: list[int],
        consent: bool,
    ) -> RegistrationResult:
        number = normalise_phone(phone)
        hashed = self.hash_phone(number)
        writer, state = await self.writer(session_id)
        registration_id = str(uuid.uuid4())
        now = utcnow()
        carnival_id = state.plan.carnival_id
        if carnival_id:
            await self._take_carnival_quota(carnival_id, hashed, state, registration_id, now)
        result: RegistrationResult | None = None
        try:
            for _attempt in range(TICKET_CODE_ATTEMPTS):
                result = await writer.register(
                    Register(
                        session_id=session_id,
                        registration_id=registration_id,
                        registrant_id=str(uuid.uuid4()),
                        name=name,
                        phone=number,
                        phone_hash=hashed,
                        adults=adults,
                        children_ages=list(children_ages),
                        consent=consent,
                        ticket_code=new_ticket_code(),
                        now=now,
                    )
                )
                if not _refused_for(result.outcome, "registration.ticket_code_taken"):
                    break
        finally:
            if carnival_id and (result is None or isinstance(result.outcome, Refused)):
                await self._release_carnival_quota(carnival_id, hashed, registration_id)
        assert result is not None
        if isinstance(result.outcome, Refused):
            raise result.outcome.error
        return result

    async def cancel(self, session_id: str, *, ticket_code: str, phone: str) -> AppendResult:
        code = normalise_ticket_code(ticket_code)
        hashed = self.hash_phone(normalise_phone(phone))
        writer, state = await self.writer(session_id)
        result = await writer.execute(
            CancelRegistration(session_id=session_id, ticket_code=code, phone_hash=hashed, now=utcnow())
        )
        carnival_id = state.plan.carnival_id
        if carnival_id:
            for event in result.events:
                if isinstance(event, RegistrationCancelled):
                    await self._release_carnival_quota(carnival_id, hashed, event.registration_id)
        return result

    # --- open base and volunteers ------------------------------------------------------------

    async def request_open_base_visit(
        self,
        *,
        day: date,
        organization: str,
        contact_name: str,
        contact_phone: str,
        group_size: int,
    ) -> tuple[str, AppendResult]:
        booking_id = str(uuid.uuid4())
        result = await self.runtime.execute(
            open_base_stream(day),
            open_base_decider,
            RequestOpenBaseVisit(
                booking_id=booking_id,
                day=day,
                organization=organization,
                contact_id=str(uuid.uuid4()),
                contact_name=contact_name,
                contact_phone=normalise_phone(contact_phone, field="contact_phone"),
                group_size=group_size,
                daily_capacity=self.open_base_capacity,
                now=utcnow(),
                tz=self.runtime.settings.timezone,
            ),
        )
        return booking_id, result

    async def decide_open_base_visit(
        self, command: ConfirmOpenBaseVisit | DeclineOpenBaseVisit
    ) -> AppendResult:
        return await self.runtime.execute(open_base_stream(command.day), open_base_decider, command)

    async def volunteer(self, command: VolunteerCommand) -> AppendResult:
        return await self.runtime.execute(volunteer_stream(command.activity_id), volunteer_decider, command)

    async def _take_carnival_quota(
        self, carnival_id: str, hashed: str, state: Session, registration_id: str, now: datetime
    ) -> None:
        limit = await self._carnival_daily_limit(carnival_id)
        if limit is None:
            return
        await self.runtime.execute(
            carnival_quota_stream(carnival_id, hashed),
            carnival_quota_decider,
            TakeCarnivalQuota(
                carnival_id=carnival_id,
                phone_hash=hashed,
                day=park_day(state.plan.starts_at, self.runtime.settings.timezone),
                registration_id=registration_id,
                session_id=state.plan.session_id,
                daily_limit=limit,
                now=now,
            ),
        )

    async def _carnival_daily_limit(self, carnival_id: str) -> int | None:
        # A published activity's daily limit never changes (no event changes it), so one read
        # per carnival and process is enough: under a rush it saves a query per registration.
        if carnival_id not in self.carnival_limits:
            stored = await self.runtime.store.read_stream(activity_stream(carnival_id))
            carnival = activity_decider.fold([e.event for e in stored.events])
            if not isinstance(carnival, Activity):
                return None
            self.carnival_limits[carnival_id] = carnival.daily_limit_per_phone
        return self.carnival_limits[carnival_id]

    async def _release_carnival_quota(self, carnival_id: str, hashed: str, registration_id: str) -> None:
        await self.runtime.execute(
            carnival_quota_stream(carnival_id, hashed),
            carnival_quota_decider,
            ReleaseCarnivalQuota(
                carnival_id=carnival_id, phone_hash=hashed, registration_id=registration_id, now=utcnow()
            ),
        )


def _positive_int(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{variable}={raw!r} is not a positive whole number")
    return int(raw)


def _rate_limits() -> dict[str, RateLimit]:
    counts = storage(os.environ.get(RATE_LIMIT_STORAGE_VARIABLE, "").strip() or "memory://")
    groups = {group for group, _ in RATE_LIMIT_VARIABLES}
    return {
        group: RateLimit.configure(
            f"events-public.{group}",
            per_address=limits_from_env(*RATE_LIMIT_VARIABLES[group, "address"]),
            per_key=limits_from_env(*RATE_LIMIT_VARIABLES.get((group, "phone"), ("", ""))),
            counts=counts,
        )
        for group in groups
    }


def _refused_for(outcome: Outcome, code: str) -> bool:
    return isinstance(outcome, Refused) and outcome.error.code == code


def ticket_qr_png(session_id: str, ticket_code: str) -> bytes:
    """The QR code scanned at the door: the session and the code, nothing personal."""
    image = qrcode.make(
        f"REDPARK-TICKET:{session_id}:{ticket_code}", image_factory=PyPNGImage, box_size=8, border=2
    )
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
