"""What can be done to a service or a node, shared by the cluster view and a service's view:
scale (a form), force a rolling restart, roll back, remove (asks); drain, pause, activate a node.
Refused in read-only mode. A version conflict is said plainly and the view re-reads."""

from __future__ import annotations

from textual import work

from ...engine import swarm
from ...engine.errors import EngineError
from ...model.forms import FormError
from ...model.swarm import Node, Service
from .confirm import ConfirmScreen
from .forms import Field, FormScreen
from .live import LiveScreen


class ServiceActions(LiveScreen):
    """Needs ``selected_service`` (and ``selected_node`` for node actions)."""

    MUTATING = frozenset({"scale", "force_update", "rollback", "remove_service", "drain", "pause_node", "activate"})

    def selected_service(self) -> Service | None:
        return None

    def selected_node(self) -> Node | None:
        return None

    def _outcome(self, message: str, warnings: list[str] | None = None) -> None:
        extra = f" ({'; '.join(warnings)})" if warnings else ""
        self.say(message + extra)
        self.notify(message + extra, markup=False)
        self.reload()

    def _failed(self, exc: EngineError) -> None:
        self.say(exc.message, error=True)
        self.notify(exc.message, severity="error", markup=False)
        self.reload()  # a conflict: show what the service is now

    # -- services ---------------------------------------------------------------------------------

    def action_scale(self) -> None:
        svc = self.selected_service()
        if svc is None or self.refuse_if_read_only("scale"):
            return
        if not svc.scalable:
            self.notify(f"{svc.name} is a {svc.mode} service: it has no replica count to scale.", severity="warning", markup=False)
            return

        async def submit(values: dict[str, str]) -> str:
            text = values["replicas"].strip()
            if not text.isdigit():
                raise FormError("replicas", "A whole number of replicas, 0 or more.")
            try:
                warnings = await swarm.scale(self.engine, svc, int(text))
            except EngineError:
                self.reload()
                raise
            self.reload()
            extra = f" ({'; '.join(warnings)})" if warnings else ""
            return f"Scaling {svc.name} to {int(text)}.{extra}"

        fields = [Field("replicas", f"Replicas (now {svc.replicas}, {svc.running} running)", str(svc.replicas or 0))]
        self.app.push_screen(FormScreen(f"Scale service {svc.name}", fields, submit, verb="scale"),
                             lambda m: self.say(m) if m else None)

    def action_force_update(self) -> None:
        svc = self.selected_service()
        if svc is None or self.refuse_if_read_only("force update"):
            return
        self.app.push_screen(
            ConfirmScreen(f"Restart every task of {svc.name}, one batch at a time (its update policy)?",
                          [f"service {svc.name}: {svc.replicas_text} tasks, image {svc.image}"]),
            lambda ok: self._force(svc) if ok is not None else None,
        )

    @work(group="swarm-action")
    async def _force(self, svc: Service) -> None:
        try:
            warnings = await swarm.force_update(self.engine, svc)
        except EngineError as exc:
            self._failed(exc)
            return
        self._outcome(f"Rolling restart of {svc.name} started.", warnings)

    def action_rollback(self) -> None:
        svc = self.selected_service()
        if svc is None or self.refuse_if_read_only("rollback"):
            return
        if not svc.previous:
            self.notify(f"{svc.name} has no previous spec to roll back to.", severity="warning", markup=False)
            return
        self.app.push_screen(
            ConfirmScreen(f"Roll {svc.name} back to its previous spec?", [f"service {svc.name}, image {svc.image}"]),
            lambda ok: self._rollback(svc) if ok is not None else None,
        )

    @work(group="swarm-action")
    async def _rollback(self, svc: Service) -> None:
        try:
            warnings = await swarm.rollback(self.engine, svc)
        except EngineError as exc:
            self._failed(exc)
            return
        self._outcome(f"Rolling {svc.name} back.", warnings)

    def action_remove_service(self) -> None:
        svc = self.selected_service()
        if svc is None or self.refuse_if_read_only("remove"):
            return
        items = [f"service {svc.name} ({svc.mode}, image {svc.image})", f"its {svc.running} running task(s), on every node"]
        self.app.push_screen(ConfirmScreen(f"Remove service {svc.name}?", items),
                             lambda ok: self._remove(svc) if ok is not None else None)

    @work(group="swarm-action")
    async def _remove(self, svc: Service) -> None:
        try:
            await swarm.remove_service(self.engine, svc)
        except EngineError as exc:
            self._failed(exc)
            return
        self._outcome(f"Removed service {svc.name}.")
        self.service_removed(svc)

    def service_removed(self, svc: Service) -> None:
        """The service's own view closes."""

    # -- nodes ------------------------------------------------------------------------------------

    def _availability(self, availability: str) -> None:
        node = self.selected_node()
        if node is None or self.refuse_if_read_only(availability):
            return
        if node.availability == availability:
            self.notify(f"{node.hostname} is already {availability}.", markup=False)
            return
        if availability == "drain":
            self.app.push_screen(
                ConfirmScreen(f"Drain node {node.hostname}?", [f"node {node.hostname} ({node.role}): its tasks move to other nodes, "
                                                               "or wait when there is none"]),
                lambda ok: self._set_availability(node, availability) if ok is not None else None,
            )
        else:
            self._set_availability(node, availability)

    @work(group="swarm-action")
    async def _set_availability(self, node: Node, availability: str) -> None:
        try:
            await swarm.set_availability(self.engine, node, availability)
        except EngineError as exc:
            self._failed(exc)
            return
        self._outcome(f"Node {node.hostname} is now {availability}.")

    def action_drain(self) -> None:
        self._availability("drain")

    def action_pause_node(self) -> None:
        self._availability("pause")

    def action_activate(self) -> None:
        self._availability("active")
