"""CS Ops as a force multiplier: the productivity gain it gives every CSM (§7.1).

The curve is ``CsOps.gain`` (scenario section ``cs_ops``); this module measures the coverage of
a run's CSMs by its CS Ops people.
"""

from __future__ import annotations

from sim.org.headcount import csm_headcount
from sim.org.pools import Pool
from sim.org.run import OrgRun
from sim.scenario.vocabulary import CS_OPS, CSM


def csm_productivity_gain(world: OrgRun, pool: Pool, day: float) -> float:
    """Gain on the productive hours of a pool's members on a day (0 unless it is a CSM pool).

    Coverage = CS Ops people (each counted by their ramp factor) x `cs_ops.csms_per_person` /
    CSMs on staff in all CSM pools.
    """
    if pool.role != CSM:
        return 0.0
    csms = csm_headcount(world)
    if csms == 0:
        return 0.0
    hiring, spec = world.scenario.hiring, world.scenario.cs_ops
    ops = sum(person.ramp(day, hiring) for ops_pool in world.pools_with_role(CS_OPS)
              for person in ops_pool.members)
    return spec.gain(ops * spec.csms_per_person / csms)
