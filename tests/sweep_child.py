"""A sweep run as a separate process by ``test_sweep_supervision``: SCENARIO OUT."""

import sys

from sweep_support import killer_engine

from sim.experiments.api import sweep

if __name__ == "__main__":
    sweep(sys.argv[1], 4, jobs=2, batch_size=1, out=sys.argv[2], engine=killer_engine)
