"""cssim: a discrete-event simulator of a Customer Success organisation.

Public API::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/growth_100_to_500.yaml"), seed=1)
    result.timeseries  # one row per (period, tier)
"""

from sim.model import run
from sim.results import RunResult
from sim.scenario import Scenario, load_scenario, parse_scenario
from sim.version import __version__

__all__ = ["RunResult", "Scenario", "__version__", "load_scenario", "parse_scenario", "run"]
