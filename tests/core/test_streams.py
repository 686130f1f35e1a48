"""Named random streams: each stream's draws depend on the seed and its own name only."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import streams as streams_module
from sim.core.streams import STREAM_NAMES, Streams


def _draws(streams: Streams) -> dict[str, np.ndarray]:
    return {name: streams[name].uniform(size=5) for name in STREAM_NAMES}


def test_adding_a_stream_in_front_changes_no_other_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _draws(Streams(7))
    monkeypatch.setattr(streams_module, "STREAM_NAMES", ("a_new_stream", *STREAM_NAMES))
    after = Streams(7)
    for name in STREAM_NAMES:
        np.testing.assert_array_equal(after[name].uniform(size=5), before[name])


def test_removing_a_stream_changes_no_other_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _draws(Streams(3))
    monkeypatch.setattr(streams_module, "STREAM_NAMES", STREAM_NAMES[1:])
    after = Streams(3)
    for name in STREAM_NAMES[1:]:
        np.testing.assert_array_equal(after[name].uniform(size=5), before[name])


def test_streams_differ_by_name_seed_and_key() -> None:
    draws = _draws(Streams(1))
    firsts = {float(values[0]) for values in draws.values()}
    assert len(firsts) == len(STREAM_NAMES)
    assert not np.array_equal(Streams(2)["churn"].uniform(size=5), draws["churn"])
    one = Streams(1)
    assert not np.array_equal(one.keyed("strategy", 0).uniform(size=5),
                              one.keyed("strategy", 1).uniform(size=5))
    np.testing.assert_array_equal(one.for_person(4).uniform(size=5),
                                  Streams(1).keyed("attrition", 4).uniform(size=5))


def test_an_unknown_stream_name_is_refused_with_its_name() -> None:
    with pytest.raises(KeyError, match="no random stream named 'churm'"):
        Streams(1)["churm"]
    with pytest.raises(KeyError, match="'strategi'"):
        Streams(1).keyed("strategi", 0)
