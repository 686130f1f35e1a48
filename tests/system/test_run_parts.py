"""Every part of a run is built before it starts, and the run adds none while it runs.

The run of the pods strategy moves a generalist organisation to the specialist model and then
to pods, so it routes customers under three organisation models and onboards them at desks that
nobody used at the start.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sim import load_scenario
from sim.model import assemble, simulate, wire

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "strategies" / "pods_at_400.yaml"


def test_every_part_is_built_before_the_run_and_none_is_added_while_it_runs() -> None:
    scenario = load_scenario(SCENARIO)
    world = assemble(scenario, seed=1)
    names = {field.name for field in dataclasses.fields(world)}
    assert all(getattr(world, name) is not None for name in names)
    parts = set(vars(world))
    models = {scenario.org_model, *(rule.org_model for rule in scenario.strategies.rules
                                    if rule.org_model is not None)}
    assert set(world.routes) == models == {"generalist", "specialist", "pod"}
    routes = dict(world.routes)
    desks = dict(world.desks)
    assert set(desks) == {pool.index for pool in world.pools}

    wire(world)
    simulate(world)

    assert [change.rule.org_model for change in world.changes] == ["specialist", "pod"]
    assert set(vars(world)) == parts
    assert world.routes.keys() == routes.keys()
    assert all(world.routes[model] is table for model, table in routes.items())
    assert world.desks.keys() == desks.keys()
    assert all(world.desks[pool] is desk for pool, desk in desks.items())
