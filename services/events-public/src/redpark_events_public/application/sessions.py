"""Sessions: scheduling, public registration and cancellation, check-in at the door, no-shows.

Every command of a session goes through the session's single writer (`session_writer.py`), so
nothing else in this process writes its stream. A carnival registration first takes a slot in
its phone's quota stream (the limit spans sessions), and gives it back when the session refuses
it or when it is cancelled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from redpark_contracts.events_public import RegistrationCancelled
from redpark_platform.calendar import park_date
from redpark_platform.notifications import Challenge
from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult
from redpark_platform.web.proof_of_work import ProofOfWork

from ..domain.carnival_quota import (
    ReleaseCarnivalQuota,
    TakeCarnivalQuota,
    carnival_quota_decider,
    carnival_quota_stream,
)
from ..domain.errors import ERRORS
from ..domain.phone import normalise_phone
from ..domain.registration import Outcome, Refused
from ..domain.session_commands import (
    CancelRegistration,
    CheckIn,
    CountNoShows,
    Register,
    ScheduleSession,
    SessionCommand,
)
from ..domain.session_state import Session
from ..domain.ticket import new_ticket_code, normalise_ticket_code
from .catalogue import Catalogue
from .phone_hashing import phone_hash
from .phone_verification import PhoneCodeChannel, channel_or_refuse, check_phone_code, registration_purpose
from .session_writer import RegistrationResult, SessionWriter, SessionWriters

TICKET_CODE_ATTEMPTS = 3


@dataclass
class Sessions:
    runtime: Runtime
    writers: SessionWriters
    catalogue: Catalogue
    phone_secret: bytes
    proof_of_work: ProofOfWork
    # The SMS codes that prove a registrant holds the phone: none while no SMS channel is
    # configured, so an activity that asks for them refuses registrations meanwhile.
    phone_codes: PhoneCodeChannel | None = None

    def hash_phone(self, normalised: str) -> str:
        return phone_hash(self.phone_secret, normalised)

    async def writer(self, session_id: str) -> tuple[SessionWriter, Session]:
        """The session's writer, or NotFound; a writer for an unknown id is not kept."""
        writer = self.writers.get(session_id)
        state = await writer.state()
        if not isinstance(state, Session):
            await self.writers.discard(session_id)
            raise ERRORS.error("session.not_found", field="session_id")
        return writer, state

    async def schedule(
        self,
        *,
        session_id: str,
        activity_id: str,
        starts_at: datetime,
        ends_at: datetime,
        place: str,
        capacity: int,
        min_age: int | None,
        max_age: int | None,
        registration_opens_at: datetime,
        registration_closes_at: datetime,
        max_party_size: int,
        waitlist_limit: int | None,
    ) -> AppendResult:
        activity = await self.catalogue.open_activity(activity_id)
        command = ScheduleSession(
            session_id=session_id,
            activity_id=activity_id,
            activity_kind=activity.kind,
            carnival_id=activity.carnival_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            capacity=capacity,
            min_age=min_age,
            max_age=max_age,
            registration_opens_at=registration_opens_at,
            registration_closes_at=registration_closes_at,
            max_party_size=max_party_size,
            waitlist_limit=waitlist_limit,
            now=self.runtime.now(),
        )
        # Through the session's writer, so nothing else in this process writes its stream.
        return await self.writers.get(session_id).execute(command)

    async def register(
        self,
        session_id: str,
        *,
        name: str,
        phone: str,
        adults: int,
        children_ages: list[int],
        consent: bool,
        proof_of_work: str | None = None,
        phone_code: str | None = None,
        phone_challenge: str | None = None,
    ) -> RegistrationResult:
        number = normalise_phone(phone)
        hashed = self.hash_phone(number)
        writer, state = await self.writer(session_id)
        registration_id = str(uuid.uuid4())
        now = self.runtime.now()
        await self._check_registrant(state, session_id, number, proof_of_work, (phone_challenge, phone_code), now)
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

    async def _check_registrant(self, state: Session, session_id: str, number: str, proof_of_work: str | None,
                                phone_code: tuple[str | None, str | None], now: datetime) -> None:
        """What the session's activity asks of a registrant before any seat or quota is touched.
        `phone_code`: the challenge id `send_phone_code` answered, and the code typed."""
        checks = await self.catalogue.registration_checks(state.plan.activity_id)
        if checks.proof_of_work:
            await self.proof_of_work.redeem(self.runtime.pool, proof_of_work, now)
        if checks.phone_verification:
            await check_phone_code(self.phone_codes, number, session_id, *phone_code)

    async def send_phone_code(self, session_id: str, phone: str) -> Challenge:
        """Send a one-time code to `phone` for a session whose activity checks the phone; the challenge's
        id goes back with the typed code."""
        number = normalise_phone(phone)
        _, state = await self.writer(session_id)
        checks = await self.catalogue.registration_checks(state.plan.activity_id)
        if not checks.phone_verification:
            raise ERRORS.error("phone_verification.not_needed", field="session_id")
        return await channel_or_refuse(self.phone_codes).send_code(number, registration_purpose(session_id))

    async def cancel(self, session_id: str, *, ticket_code: str, phone: str) -> AppendResult:
        code = normalise_ticket_code(ticket_code)
        hashed = self.hash_phone(normalise_phone(phone))
        writer, state = await self.writer(session_id)
        result = await writer.execute(
            CancelRegistration(
                session_id=session_id, ticket_code=code, phone_hash=hashed, now=self.runtime.now()
            )
        )
        carnival_id = state.plan.carnival_id
        if carnival_id:
            for event in result.events:
                if isinstance(event, RegistrationCancelled):
                    await self._release_carnival_quota(carnival_id, hashed, event.registration_id)
        return result

    async def check_in(self, session_id: str, ticket_code: str) -> AppendResult:
        """`ticket_code` as typed or scanned: normalised here."""
        code = normalise_ticket_code(ticket_code)
        command = CheckIn(session_id=session_id, ticket_code=code, now=self.runtime.now())
        return await self._execute(session_id, command)

    async def count_no_shows(self, session_id: str) -> AppendResult:
        return await self._execute(session_id, CountNoShows(session_id=session_id, now=self.runtime.now()))

    async def _execute(self, session_id: str, command: SessionCommand) -> AppendResult:
        writer, _ = await self.writer(session_id)
        return await writer.execute(command)

    async def _take_carnival_quota(
        self, carnival_id: str, hashed: str, state: Session, registration_id: str, now: datetime
    ) -> None:
        limit = await self.catalogue.carnival_daily_limit(carnival_id)
        if limit is None:
            return
        await self.runtime.execute(
            carnival_quota_stream(carnival_id, hashed),
            carnival_quota_decider,
            TakeCarnivalQuota(
                carnival_id=carnival_id,
                phone_hash=hashed,
                day=park_date(state.plan.starts_at, self.runtime.settings.timezone),
                registration_id=registration_id,
                session_id=state.plan.session_id,
                daily_limit=limit,
                now=now,
            ),
        )

    async def _release_carnival_quota(self, carnival_id: str, hashed: str, registration_id: str) -> None:
        await self.runtime.execute(
            carnival_quota_stream(carnival_id, hashed),
            carnival_quota_decider,
            ReleaseCarnivalQuota(
                carnival_id=carnival_id,
                phone_hash=hashed,
                registration_id=registration_id,
                now=self.runtime.now(),
            ),
        )


def _refused_for(outcome: Outcome, code: str) -> bool:
    return isinstance(outcome, Refused) and outcome.error.code == code
