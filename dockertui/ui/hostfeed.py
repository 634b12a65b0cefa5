"""One engine followed live, owned by the app (not by a screen): the first listing, the /events
stream with its coalescing, reconnection with backoff and a cheap probe, the slow reconciliation,
and the engine calls of lifecycle actions. Screens subscribe to its signals for themselves:

- ``changed`` (a :class:`~dockertui.model.host.Change`): the state changed;
- ``events_arrived`` (a list of events): a coalesced burst, after the state took it in;
- ``connection_changed`` (the connection word): connecting, connected, disconnected, failed.

It keeps streaming while its engine is not shown: one /events stream per engine is cheap."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from textual.signal import Signal

from ..engine.client import Engine
from ..engine.errors import EngineError
from ..model.actions import Outcome, Step, summarize
from ..model.config import Settings
from ..model.containers import Container, parse_extra
from ..model.events import EngineEvent, Refresh, plan_refresh
from ..model.host import CONNECTED, CONNECTING, DISCONNECTED, FAILED, Change, HostState
from ..model.images import Image
from ..model.system import SystemInfo

if TYPE_CHECKING:
    from .app import DockerTUI

COALESCE = 0.05  # events arriving within this window are applied together, as one repaint
CREATED_LOOK = 2.0  # seconds after a create before its State.Error is read (a failed start sets it)
CREATED_MAX = 20  # created containers looked at in one go
BACKOFF_CAP = 30  # seconds between reconnection attempts, at most
PROBE_EVERY = 2  # while disconnected, a cheap /_ping this often: a returning engine is noticed at once
SLOW_AFTER = 2.0  # after this long an answer is "slow": say what is being waited on
T = TypeVar("T")


class HostFeed:
    def __init__(self, app: DockerTUI, name: str, engine: Engine, settings: Settings, read_only: bool = False) -> None:
        self.app = app
        self.name = name
        self.engine = engine
        self.settings = settings
        self.read_only = read_only or settings.read_only
        self.state = HostState(settings.events_keep)
        self.connection = CONNECTING
        self.status = ""  # what the header says about the connection ("retrying in 4s")
        self.error: EngineError | None = None  # why the last connection attempt failed
        key = f"{name}-{id(self)}"
        self.changed: Signal[Change] = Signal(app, f"host-changed-{key}")
        self.events_arrived: Signal[list[EngineEvent]] = Signal(app, f"host-events-{key}")
        self.connection_changed: Signal[str] = Signal(app, f"host-connection-{key}")
        self._pending: list[EngineEvent] = []
        self._flush_armed = False
        self._apply_lock = asyncio.Lock()
        self._following = False
        self._reconcile_timer: object | None = None

    @property
    def label(self) -> str:
        return self.engine.endpoint.label

    # -- connecting --------------------------------------------------------------------------------

    def connect(self) -> None:
        """The first listing (or a retry of it), then the live stream."""
        self.app.run_worker(self._connect(), group=f"connect-{id(self)}", exclusive=True, exit_on_error=False)

    async def _connect(self) -> None:
        self._set_connection(CONNECTING, "connecting…")
        try:
            info, images, containers = await self._slow(self.engine.snapshot(self.state.show_intermediate), "the first listing")
        except EngineError as exc:
            await self.engine.close()
            self.error = exc
            self._set_connection(FAILED, exc.message)
            return
        self.error = None
        self._publish(self.state.load(info, images, containers))
        self._check_created([c.id for c in containers if c.state == "created"], 0.0)
        self._set_connection(CONNECTED, "")
        if self.engine.via:
            self.app.notify(f"{self.name}: connected over {self.engine.via}.", timeout=5)
        if not self._following:
            self._following = True
            self.app.run_worker(self._follow(self.engine.connected_since), group=f"events-{id(self)}", exclusive=True, exit_on_error=False)
            self._reconcile_timer = self.app.set_interval(self.settings.reconcile_every, self.reconcile)

    async def _slow(self, call: Awaitable[T], what: str) -> T:
        """Await ``call``; when it takes more than a moment, the header says what is awaited."""
        task = asyncio.ensure_future(call)
        started = time.monotonic()
        while True:
            done, _ = await asyncio.wait({task}, timeout=SLOW_AFTER)
            if done:
                return task.result()
            waited = int(time.monotonic() - started)
            self._set_connection(self.connection, f"waiting {waited}s for {what} from {self.label}… (f5 retries, q quits)")

    def _set_connection(self, connection: str, status: str) -> None:
        changed = connection != self.connection or status != self.status
        self.connection, self.status = connection, status
        if changed:
            self.connection_changed.publish(connection)

    def _publish(self, change: Change) -> None:
        if change:
            self.changed.publish(change)

    # -- the event stream ---------------------------------------------------------------------------

    async def _follow(self, since: str | None) -> None:
        """Follow /events; on loss, back off (probing cheaply), reconnect, resume, reconcile."""
        backoff = 1
        while True:
            try:
                async for event in self.engine.events(since=since):
                    backoff = 1
                    since = event.since
                    self._queue(event)
                raise EngineError("The engine closed the event stream.", kind="unreachable")
            except EngineError as exc:
                reason = exc.message
            self._set_connection(DISCONNECTED, f"lost the engine: {reason}")
            self.app.notify(f"{self.name}: lost the engine: {reason}", severity="warning", timeout=4)
            while True:
                await self._wait_or_probe(backoff)
                backoff = min(backoff * 2, BACKOFF_CAP)
                self._set_connection(DISCONNECTED, "reconnecting…")
                await self.engine.close()
                try:
                    info, images, containers = await self.engine.snapshot(self.state.show_intermediate)
                except EngineError as exc:
                    self._set_connection(DISCONNECTED, f"disconnected: {exc.message}")
                    continue
                break
            self._publish(self.state.load(info, images, containers))  # one cheap re-list: the truth
            self._set_connection(CONNECTED, "")
            self.app.notify(f"{self.name}: reconnected to the engine.", timeout=3)

    async def _wait_or_probe(self, seconds: int) -> None:
        """Count down ``seconds``, probing the engine now and then: back early when it answers."""
        for left in range(seconds, 0, -1):
            self._set_connection(DISCONNECTED, f"disconnected: retrying in {left}s")
            await asyncio.sleep(1)
            if (seconds - left) % PROBE_EVERY == PROBE_EVERY - 1 and await self.engine.ping():
                return

    def _queue(self, event: EngineEvent) -> None:
        self._pending.append(event)
        if not self._flush_armed:
            self._flush_armed = True
            self.app.set_timer(COALESCE, self._flush)

    def _flush(self) -> None:
        if self.app.shell_active:
            self.app.set_timer(0.25, self._flush)  # the terminal belongs to a shell: apply afterwards
            return
        events, self._pending = self._pending, []
        self._flush_armed = False
        problems = self.state.record(events)
        self.events_arrived.publish(events)
        plan = plan_refresh(events)
        if plan:
            self.refresh(plan, problems)
        elif problems:
            self._publish(Change(problems=True))

    def refresh(self, plan: Refresh, problems: bool = False) -> None:
        """Re-read only what ``plan`` names: one list call for the containers, one inspect per image."""
        self.app.run_worker(self._refresh(plan, problems), group=f"refresh-{id(self)}", exit_on_error=False)

    async def _refresh(self, plan: Refresh, problems: bool) -> None:
        async with self._apply_lock:
            try:
                image_ids = list(plan.images)
                fresh, *read = await asyncio.gather(
                    self.engine.containers_by_id(plan.containers), *(self.engine.image(i) for i in image_ids)
                )
            except EngineError:
                if problems:
                    self._publish(Change(problems=True))
                return  # the stream's own failure handling reconnects and reconciles
            change = self.state.apply(plan, fresh, dict(zip(image_ids, read, strict=True)))
            self._check_created([c.id for c in fresh if c.state == "created"], CREATED_LOOK)
            await self._watch_restarts(fresh)
            if problems:
                change = Change(change.images, change.containers, problems=True)
            self._publish(change)

    def _check_created(self, ids: list[str], delay: float) -> None:
        """A start that fails leaves the container "created", and the engine reports nothing beyond
        its ``create``: a moment later (``docker run`` starts right after it creates), each new
        created container's ``State.Error`` is read once; a failure is a problem."""
        if ids:
            self.app.run_worker(self._look_at_created(ids[:CREATED_MAX], delay), exit_on_error=False)

    async def _look_at_created(self, ids: list[str], delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            inspects = await asyncio.gather(*(self.engine.inspect_container(i) for i in ids), return_exceptions=True)
        except EngineError:
            return
        if self.state.start_failures(i for i in inspects if isinstance(i, dict)):
            self._publish(Change(problems=True))

    async def _watch_restarts(self, fresh: list[Container]) -> None:
        """Containers that died or restart: their restart count and policy (one inspect each, only
        for these), so a loop reads "restarting", never "running"."""
        suspects = [c for c in fresh if c.state in ("restarting", "running", "exited") and (
            c.state == "restarting" or c.status.startswith(("Up Less than a second", "Up 1 second", "Restarting"))
            or self.state.restarts.knows(c.id))][:8]
        if not suspects:
            return
        try:
            inspects = await asyncio.gather(*(self.engine.inspect_container(c.id) for c in suspects))
        except EngineError:
            return
        now = time.time()
        for c, inspect in zip(suspects, inspects, strict=True):
            extra = parse_extra(inspect)
            self.state.restarts.see(c.id, extra, now)
            self.state.clock.started(c.id, extra.started_at)

    def reconcile(self) -> None:
        """The slow heal: one re-list now and then, in case an event was ever missed."""
        if self.connection != CONNECTED or self.app.shell_active:
            return
        self.app.run_worker(self._reconcile(), group=f"reconcile-{id(self)}", exclusive=True, exit_on_error=False)

    async def _reconcile(self) -> None:
        try:
            async with self._apply_lock:
                info, images, containers = await self.engine.snapshot(self.state.show_intermediate)
                self._publish(self.state.load(info, images, containers))
        except EngineError:
            return  # the event stream notices a lost engine and says so

    def reload(self, intermediate: bool | None = None) -> None:
        """A full re-list now (f5, or the intermediates toggle)."""
        if intermediate is not None:
            self.state.set_intermediate(intermediate)
        if self.connection == FAILED:
            self.connect()
            return
        self.app.run_worker(self._reload(), group=f"reload-{id(self)}", exclusive=True, exit_on_error=False)

    async def _reload(self) -> None:
        self._set_connection(self.connection, "loading…")
        try:
            async with self._apply_lock:
                info, images, containers = await self._slow(self.engine.snapshot(self.state.show_intermediate), "a fresh listing")
                self._publish(self.state.load(info, images, containers))
        except EngineError as exc:
            self._set_connection(self.connection, "")
            self.app.notify(f"{exc.message} {exc.fix}".strip(), severity="error", timeout=8)
            return
        self._set_connection(self.connection, "")

    def acknowledge(self, container_id: str, kind: str) -> None:
        self.state.problems.acknowledge(container_id, kind)
        self._publish(Change(problems=True))

    # -- actions on containers ------------------------------------------------------------------------

    def run_steps(self, steps: list[tuple[Container, Step]], volumes: bool = False,
                  expect: Callable[[str, str], None] | None = None) -> None:
        """Run the steps all at once (a stop that waits out its timeout holds up nothing else); each
        row says what is in progress until its re-read; one summary notification."""
        for c, step in steps:
            self.state.begin(c.id, step.doing)
            if expect is not None:
                expect(c.id, step.verb)
        self._publish(Change(containers=frozenset(c.id for c, _ in steps)))
        self.app.run_worker(self._run_steps(steps, volumes), group=f"lifecycle-{id(self)}", exit_on_error=False)

    async def _run_steps(self, steps: list[tuple[Container, Step]], volumes: bool) -> None:
        async def one(c: Container, step: Step) -> Outcome:
            try:
                await self.engine.container_action(c.id, step.verb, c.name, volumes=volumes)
            except EngineError as exc:
                self.state.end(c.id, failed=True)
                self.state.problems.forget(c.id)  # nothing happened: expect nothing
                return Outcome(c.name, step, exc.message)
            self.state.end(c.id, failed=False)
            return Outcome(c.name, step)

        outcomes = await asyncio.gather(*(one(c, s) for c, s in steps))
        message, failed = summarize(list(outcomes))
        prefix = f"{self.name}: " if len(self.app.hosts) > 1 else ""
        self.app.notify(prefix + message, severity="error" if failed else "information", timeout=6 if failed else 3)
        # One re-read of the acted-on rows replaces "stopping…" with the engine's truth, whether or
        # not the events for them have been applied already (a failed call's note is gone already).
        ids = frozenset(c.id for c, _ in steps)
        self._publish(Change(containers=ids))
        self.refresh(Refresh(containers=ids))

    def take(self, info: SystemInfo, images: list[Image], containers: list[Container]) -> None:
        """A listing from elsewhere (a test's pinned data): taken in and published as any other."""
        self._publish(self.state.load(info, images, containers))

    def stop(self) -> None:
        """Stop following the engine: the event stream, reconciliation and refreshes end."""
        for worker in self.app.workers:
            if worker.group.endswith(f"-{id(self)}"):
                worker.cancel()
        if self._reconcile_timer is not None:
            self._reconcile_timer.stop()  # type: ignore[attr-defined]
        self._following = False

    async def close(self) -> None:
        self.stop()
        await self.engine.close()
