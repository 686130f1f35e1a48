"""The registry of roles: what the engine does with each role, one row per role.

A row holds the role's schema facts (``sim.scenario.roles``: trigger fields, onboarding slot
default, cost share, display name), its week of work (``sim.work.week``), its hiring reading
(``sim.work.readings``; none: a policy never hires into it), whether the week is tallied at its
end and whether its first hire is its own trigger's doing. The registry is checked at import: a
role of the vocabulary without a row stops the program with one line naming it, so a new role
cannot run with a pool that silently does nothing. Adding a role: docs/development.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.org.pools import Pool
from sim.scenario.roles import ROLE_FACTS, RoleFacts, check_complete
from sim.scenario.vocabulary import (
    CS_OPS,
    CSM,
    IMPLEMENTATION,
    LEADER,
    RENEWALS,
    ROLES,
    SUPPORT,
    Role,
)
from sim.work.readings import (
    Reading,
    TriggerState,
    cs_ops_reading,
    csm_reading,
    implementation_reading,
    renewals_reading,
    support_reading,
)
from sim.work.run import WorkRun
from sim.work.week import (
    WeekOfWork,
    csm_week,
    fixed_load_week,
    onboarding_week,
    renewals_week,
    support_week,
)

HiringReading = Callable[[WorkRun, Pool, TriggerState], Reading | None]
"""(run, pool, the review's memory of the pool) -> its trigger now, or None (no reading)."""


@dataclass(frozen=True)
class RoleRow:
    """Everything the engine needs of one role."""

    facts: RoleFacts
    """What the role means to a scenario (``sim.scenario.roles``)."""
    week: WeekOfWork
    """Its week of work."""
    reading: HiringReading | None = None
    """What the hiring policy reads to decide a requisition (None: never hired by a policy)."""
    week_at_end: bool = False
    """The week's work is done day by day and tallied at the week's end (support)."""
    founded_by_trigger: bool = False
    """Its trigger hires the first person into an empty pool (CS Ops); other empty pools are
    teams that do not exist yet."""

    def read(self, world: WorkRun, pool: Pool, state: TriggerState) -> Reading | None:
        """The pool's hiring reading now (None without a reading)."""
        return None if self.reading is None else self.reading(world, pool, state)


ROLE_ROWS: dict[Role, RoleRow] = {
    CSM: RoleRow(ROLE_FACTS[CSM], csm_week, csm_reading),
    IMPLEMENTATION: RoleRow(ROLE_FACTS[IMPLEMENTATION], onboarding_week, implementation_reading),
    SUPPORT: RoleRow(ROLE_FACTS[SUPPORT], support_week, support_reading, week_at_end=True),
    RENEWALS: RoleRow(ROLE_FACTS[RENEWALS], renewals_week, renewals_reading),
    CS_OPS: RoleRow(ROLE_FACTS[CS_OPS], fixed_load_week, cs_ops_reading,
                    founded_by_trigger=True),
    LEADER: RoleRow(ROLE_FACTS[LEADER], fixed_load_week),
}
"""One row per role."""

check_complete(ROLE_ROWS, "sim.work.roles.ROLE_ROWS", ROLES)


def role_of(pool: Pool) -> RoleRow:
    """The registry row of a pool's role."""
    return ROLE_ROWS[pool.role]
