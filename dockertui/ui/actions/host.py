"""Actions on the engine as a whole: prune, disk usage, volumes, networks, events, problems,
reload, the usage column."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work

from ...model.fmt import human_size
from ...model.host import CONNECTED
from ..app_access import tui

if TYPE_CHECKING:
    from ..screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class HostActions(_Base):
    def action_prune(self) -> None:
        from ..screens.pruneview import PruneScreen

        self.app.push_screen(PruneScreen(self.host.engine, read_only=self.read_only))  # read-only: it previews, and refuses to remove

    def action_swarm(self) -> None:
        from ..screens.swarm import open_cluster

        self.run_worker(open_cluster(self.app, self.host.engine), group="swarm-open", exclusive=True)

    def action_compose(self) -> None:
        from ..screens.compose import ComposeScreen

        self.app.push_screen(ComposeScreen(self.host.engine))

    def action_registries(self) -> None:
        from ..screens.registries import RegistriesScreen

        self.app.push_screen(RegistriesScreen(self.host.engine, read_only=self.read_only))

    def action_disk_usage(self) -> None:
        from ..screens.diskview import DiskUsageScreen

        self.app.push_screen(DiskUsageScreen(self.host.engine))

    def action_volumes(self) -> None:
        from ..screens.resources import VolumesScreen

        self.app.push_screen(VolumesScreen(self.host.engine, host=self.host))

    def action_networks(self) -> None:
        from ..screens.resources import NetworksScreen

        self.app.push_screen(NetworksScreen(self.host.engine, host=self.host))

    def action_events(self) -> None:
        from ..screens.eventsview import EventsScreen

        self.app.push_screen(EventsScreen(self.host.state.journal, self.host), self.jump)

    def action_problems(self) -> None:
        from ..screens.eventsview import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.host.state.problems, self.host, tui(self).hosts), self.jump)

    def action_reload(self) -> None:
        self.host.reload()

    def action_toggle_usage(self) -> None:
        self.show_usage = not self.show_usage
        self.table.show_usage_column(self.show_usage)
        if self.show_usage:
            self.sample_usage()
            self.notify("CPU · memory of the visible running containers, every few seconds.", timeout=3)
        else:
            self.workers.cancel_group(self, "usage")

    @work(exclusive=True, group="usage")
    async def sample_usage(self) -> None:
        from ...engine.metrics import Sampler

        sampler = Sampler(self.host.engine, concurrency=4)
        while self.show_usage:
            if not self.is_attached:
                return
            if not self.app.shell_active and self.host.connection == CONNECTED:
                containers = self.host.state.containers
                ids = [cid for cid in self.table.visible_ids() if cid in containers and containers[cid].state == "running"]
                figures = await sampler.sample(ids)
                if not self.is_attached:
                    return
                self.table.set_usage({cid: f"{s.cpu_percent:.0f}% · {human_size(s.mem_used)}" for cid, s in figures.items()})
            await asyncio.sleep(self.settings.usage_every)
