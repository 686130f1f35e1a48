"""The organisation layer's run: the customer layer's plus the staff and who serves whom."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.customers.run import CustomerRun
from sim.org.leadership import LeadershipLevels
from sim.org.pools import Person, Pool
from sim.scenario.routes import Routes


@dataclass(eq=False, kw_only=True)
class OrgRun(CustomerRun):
    """Everything the organisation layer knows of a run (see ``sim.model.build``)."""

    pools: list[Pool]
    routes: dict[str, Routes]
    """Routing tables by organisation model: every model the run can use, built up front
    (``sim.org.routing.routes_by_model``)."""
    leadership: LeadershipLevels
    people: dict[int, Person] = field(default_factory=dict)
    """Everybody who has been on staff, by id."""
    next_person_id: int = 0

    def pools_with_role(self, role: str) -> list[Pool]:
        """Pools of one role."""
        return [pool for pool in self.pools if pool.role == role]

    def pool_named(self, name: str) -> Pool:
        """The pool of a name (the scenario rules check that named pools exist)."""
        return next(pool for pool in self.pools if pool.name == name)
