"""A sweep run as a separate process by the supervision and lock tests.

``python sweep_child.py SCENARIO OUT [REPLICATIONS [ENGINE]]``; ENGINE is ``killer`` (default)
or ``gated`` (see ``sweep_support``). A lock refusal prints its one line and exits 2.
"""

import sys

from sweep_support import gated_engine, killer_engine

from sim.experiments.api import sweep
from sim.outputs.locks import LockedError

if __name__ == "__main__":
    replications = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    engine = gated_engine if sys.argv[4:] == ["gated"] else killer_engine
    try:
        sweep(sys.argv[1], replications, jobs=2, batch_size=1, out=sys.argv[2], engine=engine)
    except LockedError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
