"""The column-wise event log gives back every event exactly as it was recorded, in order."""

from __future__ import annotations

import math

import numpy as np

from sim.core.event_log import EventLog, Muted
from sim.core.ledger import NO_VALUE

EVENTS = [
    (0.0, "arrival", 7, -1, 1, -1, "acv", 12000.0),
    (1.5, "hire", -1, 42, -1, 3, *NO_VALUE),
    (1.5, "go_live", 7, 5, 1, -1, "wait_days", 1.5),
    (2.25, "arrival", 2_000_000, -1, 0, -1, "acv", 0.1 + 0.2),
    (3.0, "churn", np.int64(7), np.int64(5), np.int64(1), -1, "acv", np.float64(12000.0)),
]


def test_every_event_comes_back_in_order_with_its_fields_exact() -> None:
    log = EventLog()
    for event in EVENTS:
        log.add(*event)
    assert len(log) == len(EVENTS)
    for got, want in zip(log, EVENTS, strict=True):
        assert got[:7] == tuple(want[:7])
        assert got[7] == want[7] or (math.isnan(got[7]) and math.isnan(want[7]))
    assert log.kinds == ["arrival", "hire", "go_live", "churn"]  # one code per kind
    np.testing.assert_array_equal(log.names("kind"), [event[1] for event in EVENTS])
    np.testing.assert_array_equal(log.names("column"), [event[6] for event in EVENTS])
    assert log.array("value")[3] == 0.1 + 0.2  # float64 kept to the last bit


def test_an_empty_log_and_a_muted_one_have_no_events() -> None:
    muted = Muted()
    muted.add(*EVENTS[0])
    assert len(muted) == 0 and list(muted) == []
    assert len(EventLog().names("kind")) == 0
