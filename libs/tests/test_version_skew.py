"""Version skew and dead letters: a read model meeting an event its code cannot read waits for an
upgrade in order and applies it after one, and the staff group hears of it on WeCom once; a
poisonous event is dead-lettered, listed for park_admin without personal data, and replayed after a fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import nats
from fastapi import FastAPI

from redpark_platform.bus import subject
from redpark_platform.clock import FrozenClock
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.notifications import Notifications, NotifySettings, TemplateCatalogue
from redpark_platform.ops import upgrade_tile
from redpark_platform.projections import Projection
from redpark_platform.runtime import ServiceSpec, create_service_app
from redpark_platform.settings import Settings
from redpark_platform.testkit import eventually
from redpark_platform.testkit.notify import StandIns
from redpark_platform.testkit.services import run_service

# The producer's contract as this consumer's code knows it (v1) ...
old = EventRegistry("skewsrc")


@old.register("parcel", "sent")
class SentV1(Event, frozen=True, kw_only=True):
    parcel_id: str
    weight: int


# ... and as the producer, deployed first, publishes it: v2 of `parcel.sent` and a new type.
new = EventRegistry("skewsrc")


@new.register("parcel", "sent", 2)
class SentV2(Event, frozen=True, kw_only=True):
    parcel_id: str
    weight: int
    grams: bool


@new.register("parcel", "lost")
class Lost(Event, frozen=True, kw_only=True):
    parcel_id: str


@new.upcaster("parcel", "sent", 1)
def _sent_v1_to_v2(obj: dict[str, Any]) -> dict[str, Any]:
    return {**obj, "grams": False}


def parcels(registry: EventRegistry) -> type[Projection]:
    class Parcels(Projection):
        """Records the order it applied events in, so waiting "in order" is visible."""

        name = "parcels"
        sources = ("skewsrc",)
        registries = {"skewsrc": registry}
        tables = ("parcels",)
        poison: set[str] = set()

        async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
            parcel_id = getattr(event, "parcel_id", "")
            if parcel_id in Parcels.poison:
                raise ValueError(f"the phone of {parcel_id} is 13800000000")  # a message quoting personal data
            await conn.execute(
                "INSERT INTO parcels (position, parcel_id, kind) VALUES ($1, $2, $3)",
                meta.sequence, parcel_id, f"{meta.key}.v{meta.version}")

    return Parcels


def app_with(projection: Projection) -> Callable[[Settings], FastAPI]:
    def create_app(settings: Settings) -> FastAPI:
        return create_service_app(ServiceSpec(name="reader", title="reader", registry=EventRegistry("reader"),
                                              projections=[projection]), settings)

    return create_app


def app_telling_staff(projection: Projection, notify: NotifySettings) -> Callable[[Settings], FastAPI]:
    def create_app(settings: Settings) -> FastAPI:
        hub = Notifications("reader", TemplateCatalogue([]), settings=notify, poll_interval=0.05)
        return create_service_app(ServiceSpec(name="reader", title="reader", registry=EventRegistry("reader"),
                                              projections=[projection], routers=[hub.router],
                                              on_start=(hub.start,), on_stop=(hub.stop,)), settings)

    return create_app


async def _table(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS parcels (position bigint PRIMARY KEY, parcel_id text, kind text)")
    finally:
        await conn.close()


async def _applied(settings: Settings) -> list[tuple[int, str, str]]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return [tuple(r) for r in await conn.fetch("SELECT position, parcel_id, kind FROM parcels ORDER BY position")]
    finally:
        await conn.close()


async def _ready_detail(client: Any) -> str:
    answer = (await client.get("/readyz")).json()
    return next(c["detail"] for c in answer["checks"] if c["name"] == "projections")


async def test_an_unknown_type_or_version_waits_for_an_upgrade_in_order_and_is_applied_after_it(
        settings_for, contract_feed) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    first = (await feed.append("p-1", [SentV2(parcel_id="p1", weight=1, grams=True)])).position
    async with run_service(app_with(parcels(old)()), settings, roles=("park_admin",)) as reader:
        runner = reader.runtime.runners["parcels"]
        lost = (await feed.append("p-2", [Lost(parcel_id="p2")])).position
        later = (await feed.append("p-3", [SentV2(parcel_id="p3", weight=3, grams=False)])).position
        await eventually(lambda: runner.parked, lambda parked: "skewsrc" in parked, timeout=20)
        # v2 of a known type parks too: nothing was applied, the checkpoint stays before it.
        assert runner.parked["skewsrc"].position == first
        assert await _applied(settings) == []
        assert await runner.position("skewsrc") == 0
        detail = await _ready_detail(reader)
        assert "waiting for an upgrade: skewsrc parcel.sent v2 at position" in detail
        assert (await reader.get("/readyz")).status_code == 200  # the service still answers
        # ...and on the service's dashboard card, for operators who never read /readyz.
        tile = upgrade_tile(reader.runtime)
        assert (tile.value, tile.note, tile.tone) == ("1", "parcels", "warn")
        metrics = (await reader.get("/metrics")).text
        [parked] = [line for line in metrics.splitlines()
                    if line.startswith("redpark_parked_messages{") and 'read_model="parcels"' in line]
        assert parked.endswith(" 1.0"), parked
    # The upgrade: the same service restarted with code that knows v2 and the new type.
    async with run_service(app_with(parcels(new)()), settings, roles=("park_admin",)) as reader:
        runner = reader.runtime.runners["parcels"]
        assert await runner.wait_for("skewsrc", later, timeout=20)
        assert runner.parked == {}
        assert "waiting for an upgrade" not in await _ready_detail(reader)
        assert upgrade_tile(reader.runtime).value == "0"
    assert await _applied(settings) == [(first, "p1", "parcel.sent.v2"), (lost, "p2", "parcel.lost.v1"),
                                        (later, "p3", "parcel.sent.v2")]


async def test_a_newer_type_waits_even_behind_events_this_code_reads(settings_for, contract_feed) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    async with run_service(app_with(parcels(new)()), settings) as reader:
        runner = reader.runtime.runners["parcels"]
        ok = (await feed.append("q-1", [SentV2(parcel_id="q1", weight=1, grams=True)])).position
        assert await runner.wait_for("skewsrc", ok, timeout=20)
    # A rollback to code that only knows v1 of parcel.sent: an event applied already is not waited for.
    async with run_service(app_with(parcels(old)()), settings) as reader:
        runner = reader.runtime.runners["parcels"]
        await feed.append("q-2", [Lost(parcel_id="q2")])
        await eventually(lambda: runner.parked, lambda parked: "skewsrc" in parked, timeout=20)
        assert runner.parked["skewsrc"].type == "parcel.lost"
        assert await runner.position("skewsrc") == ok


async def test_a_read_model_waiting_for_an_upgrade_is_told_to_the_staff_group_once_on_wecom(
        settings_for, contract_feed, notify_standins: StandIns) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    # 10:00 in the park: an alert waits out the night's quiet hours like any non-urgent message.
    morning = FrozenClock(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
    async with run_service(app_telling_staff(parcels(old)(), notify_standins.settings()), settings,
                           clock=morning) as reader:
        hub = reader.runtime.extras["notifications"]
        assert await hub.run_schedules() == 0  # nothing waits yet
        at = (await feed.append("w-1", [Lost(parcel_id="w1")])).position
        await eventually(lambda: reader.runtime.runners["parcels"].parked, lambda parked: "skewsrc" in parked,
                         timeout=20)
        assert await hub.run_schedules() == 1
        assert await hub.run_schedules() == 0  # told once
        [robot] = await eventually(notify_standins.wecom_lines, lambda got: len(got) == 1)
        assert robot["key"] == "staff-robot"
        assert robot["content"] == (
            f"测试园区值班提醒：reader 的读模型 parcels 读不懂 skewsrc 的 parcel.lost 事件（第 1 版，位置 {at}），"
            "在此等待升级，其后的事件暂不应用；请部署能读它的新版本 reader。")
    # The same code started again waits at the same event: the staff already know.
    async with run_service(app_telling_staff(parcels(old)(), notify_standins.settings()), settings,
                           clock=morning) as reader:
        await eventually(lambda: reader.runtime.runners["parcels"].parked, lambda parked: "skewsrc" in parked,
                         timeout=20)
        assert await reader.runtime.extras["notifications"].run_schedules() == 0


async def test_a_poisonous_event_is_dead_lettered_listed_without_personal_data_and_replayed_after_a_fix(
        settings_for, contract_feed) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    projection = parcels(new)
    projection.poison = {"bad"}
    async with run_service(app_with(projection()), settings, roles=("park_admin",)) as reader:
        runner = reader.runtime.runners["parcels"]
        runner.max_deliver = 2
        bad = (await feed.append("r-1", [SentV2(parcel_id="bad", weight=1, grams=True)])).position
        good = (await feed.append("r-2", [SentV2(parcel_id="good", weight=2, grams=True)])).position
        assert await runner.wait_for("skewsrc", good, timeout=30)
        listed = (await reader.get("/ops/dead-letters")).json()
        assert listed["total"] == 1
        letter = listed["items"][0]
        assert (letter["projection"], letter["source"], letter["position"], letter["type"]) == (
            "parcels", "skewsrc", bad, "parcel.sent")
        assert letter["reason"] == "ValueError" and "13800000000" not in str(listed)
        assert letter["payload_ref"].startswith(f"{letter['payload_ref'].split()[0]} bytes, sha256:")
        assert letter["stream_sequence"] >= 1
        assert "dead letters: 1" in await _ready_detail(reader)
        # Only park_admin sees or replays them.
        other = reader.headers_for(("events_officer",))
        assert (await reader.get("/ops/dead-letters", headers=other)).status_code == 403
        assert (await reader.post(f"/ops/dead-letters/{letter['id']}/replay", headers=other)).status_code == 403
        # Still failing: refused, nothing changes.
        refused = await reader.post(f"/ops/dead-letters/{letter['id']}/replay")
        assert refused.status_code == 409 and refused.json()["code"] == "dead_letter.still_failing"
        assert "13800000000" not in refused.text
        # The console page lists it with a replay button, Chinese first.
        page = await reader.get("/ui/ops/dead-letters")
        assert page.status_code == 200 and "死信" in page.text and "重放" in page.text
        assert f"/ui/ops/dead-letters/{letter['id']}/replay" in page.text
        assert "Dead letters" in (await reader.get("/ui/ops/dead-letters?lang=en")).text
        # After the fix, replay applies it.
        projection.poison = set()
        replayed = await reader.post(f"/ops/dead-letters/{letter['id']}/replay")
        assert replayed.status_code == 200 and replayed.json()["replayed_at"]
        again = await reader.post(f"/ops/dead-letters/{letter['id']}/replay")
        assert again.status_code == 409 and again.json()["code"] == "dead_letter.already_replayed"
        assert (await reader.get("/ops/dead-letters")).json()["total"] == 0
        assert (await reader.post("/ops/dead-letters/999999/replay")).status_code == 404
    assert [p for p, _, _ in await _applied(settings)] == [bad, good]


async def test_a_message_that_is_not_an_event_is_dead_lettered_once_however_often_the_consumer_is_made_anew(
        settings_for, contract_feed, nats_url) -> None:  # type: ignore[no-untyped-def]
    settings = await settings_for("reader")
    await _table(settings)
    feed = await contract_feed(new)
    async with run_service(app_with(parcels(new)()), settings, roles=("park_admin",)) as reader:
        runner = reader.runtime.runners["parcels"]
        before = (await feed.append("s-1", [SentV2(parcel_id="s1", weight=1, grams=True)])).position
        assert await runner.wait_for("skewsrc", before, timeout=20)
        nc = await nats.connect(nats_url)
        await nc.jetstream().publish(subject("skewsrc.parcel.sent"), b"<xml>not an event</xml>")
        await nc.close()
        await eventually(lambda: reader.get("/ops/dead-letters"), lambda r: r.json()["total"] == 1, timeout=20)
        listed = (await reader.get("/ops/dead-letters")).json()["items"][0]
        assert listed["reason"] == "not a CloudEvents message" and listed["position"] is None
        refused = await reader.post(f"/ops/dead-letters/{listed['id']}/replay")
        assert refused.status_code == 409 and refused.json()["code"] == "dead_letter.not_an_event"
    for _ in range(2):  # restarted: the consumer is made anew at the checkpoint each time
        async with run_service(app_with(parcels(new)()), settings, roles=("park_admin",)) as reader:
            runner = reader.runtime.runners["parcels"]
            after = (await feed.append("s-2", [SentV2(parcel_id="s2", weight=2, grams=True)])).position
            assert await runner.wait_for("skewsrc", after, timeout=20)
            assert (await reader.get("/ops/dead-letters?status=all")).json()["total"] == 1
    assert len(await _applied(settings)) == 3
