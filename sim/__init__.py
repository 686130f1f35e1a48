"""cssim: a discrete-event simulator of a Customer Success organisation.

Public API::

    from sim import load_scenario, run, sweep
    result = run(load_scenario("scenarios/growth_100_to_500.yaml"), seed=1)
    result.timeseries  # one row per (period, tier)
    replicates = sweep("scenarios/growth_100_to_500.yaml", replications=20,
                       vary=["pools.csm.headcount=8,10"])  # one row per (plan, replicate)

``sweep`` and ``compare`` (``sim.experiments``) are imported on first use, so that
``import sim`` does not pay for the statistics and dataset libraries they need.
"""

from typing import TYPE_CHECKING, Any

from sim.model import run
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario, load_scenario, parse_scenario
from sim.version import __version__

if TYPE_CHECKING:
    from sim.experiments.api import compare, sweep
    from sim.experiments.optimise import optimise
    from sim.experiments.studies import robustness, sensitivity

__all__ = ["RunResult", "Scenario", "__version__", "compare", "load_scenario", "optimise",
           "parse_scenario", "robustness", "run", "sensitivity", "sweep"]


def __getattr__(name: str) -> Any:
    """``sim.sweep``, ``compare``, ``sensitivity``, ``robustness``, ``optimise`` on first use."""
    if name in ("sweep", "compare"):
        from sim.experiments import api

        return getattr(api, name)
    if name in ("sensitivity", "robustness"):
        from sim.experiments import studies

        return getattr(studies, name)
    if name == "optimise":
        from sim.experiments.optimise import optimise

        return optimise
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
