"""The application layer of recruitment (`runtime.layer(Recruitment)`): gathers each command's facts,
runs the decider, stores the events; and the staff-kept map from the recruitment system's employer
codes to our enterprises (a table of this service's own, written here; not a read model).

Whether an enterprise is in the park comes from the read model of the organization's events, so
a hire for an enterprise that moved in a moment ago may be refused once; the webhook inbox retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from redpark_contracts.enterprise_support import InternshipBaseEstablished
from redpark_platform.runtime import ApplicationLayer, Runtime
from redpark_platform.store import AppendResult

from ..domain import recruitment, talent
from ..queries import in_park_since
from ..queries import recruitment as recruitment_queries


@dataclass
class Recruitment(ApplicationLayer):
    async def hire_recorded(self, hire_id: str) -> bool:
        read = await self.runtime.store.read_stream(recruitment.hire_stream_id(hire_id))
        return isinstance(recruitment.hire_decider.fold([e.event for e in read.events]), recruitment.Hired)

    async def record_hire(self, *, hire_id: str, enterprise_id: str, position: str, hired_on: date, person_name: str,
                          political_status: recruitment.PoliticalStatus | None, relationship_held_by: str,
                          phone: str) -> AppendResult:
        return await self.runtime.execute(recruitment.hire_stream_id(hire_id), recruitment.hire_decider,
                                          recruitment.RecordHire(
                                              hire_id=hire_id, enterprise_id=enterprise_id, position=position,
                                              hired_on=hired_on, person_name=person_name,
                                              political_status=political_status,
                                              relationship_held_by=relationship_held_by, phone=phone,
                                              enterprise_in_park=await in_park_since(
                                                  self.pool, enterprise_id) is not None,
                                              now=self.now()))

    async def participation_recorded(self, participation_id: str) -> bool:
        read = await self.runtime.store.read_stream(recruitment.participation_stream_id(participation_id))
        return bool(read.events)

    async def record_participation(self, *, participation_id: str, enterprise_id: str, fair_name: str, fair_on: date,
                                   positions_offered: int, resumes_received: int) -> AppendResult:
        return await self.runtime.execute(
            recruitment.participation_stream_id(participation_id), recruitment.participation_decider,
            recruitment.RecordParticipation(
                participation_id=participation_id, enterprise_id=enterprise_id, fair_name=fair_name, fair_on=fair_on,
                positions_offered=positions_offered, resumes_received=resumes_received,
                enterprise_in_park=await in_park_since(self.pool, enterprise_id) is not None, now=self.now()))

    async def placement_recorded(self, placement_id: str) -> bool:
        read = await self.runtime.store.read_stream(recruitment.placement_stream_id(placement_id))
        return bool(read.events)

    async def place_intern(self, *, placement_id: str, base_id: str, student_name: str, university: str, major: str,
                           starts_on: date, ends_on: date | None) -> AppendResult:
        read = await self.runtime.store.read_stream(talent.stream_id(base_id))
        events = [e.event for e in read.events]
        established = next((e for e in events if isinstance(e, InternshipBaseEstablished)), None)
        is_open = isinstance(talent.decider.fold(events), talent.OpenBase)
        placed = await recruitment_queries.placed_at_base(self.pool, base_id)
        return await self.runtime.execute(
            recruitment.placement_stream_id(placement_id), recruitment.placement_decider, recruitment.PlaceIntern(
                placement_id=placement_id, base_id=base_id, student_name=student_name, university=university,
                major=major, starts_on=starts_on, ends_on=ends_on,
                base_places=established.places if established is not None and is_open else None,
                base_host_enterprise_id=established.host_enterprise_id if established is not None else None,
                placed_at_base=int(placed), now=self.now()))

    # --- the recruitment system's employer codes ------------------------------------------------

    async def enterprise_for(self, employer_code: str) -> str | None:
        return await recruitment_queries.enterprise_for(self.pool, employer_code)

    async def map_employer(self, employer_code: str, enterprise_id: str) -> None:
        await self.pool.execute(
            "INSERT INTO sup_recruitment_employers (employer_code, enterprise_id) VALUES ($1, $2)"
            " ON CONFLICT (employer_code) DO UPDATE SET enterprise_id = excluded.enterprise_id, mapped_at = now()",
            employer_code, enterprise_id)

    async def employers(self) -> list[tuple[str, str]]:
        return await recruitment_queries.employers(self.pool)


def recruitment_of(runtime: Runtime) -> Recruitment:
    return runtime.layer(Recruitment)
