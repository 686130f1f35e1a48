"""The agenda hands out its steps exactly where SimPy would have handled their timeouts.

Copies of one random little model run side by side: in one every step is a SimPy timeout (or,
at priority URGENT, an event scheduled now), in the others the same steps are agenda entries,
taken one at a time or in runs (``take_run``, ``handle_run``); ordinary timeouts, urgent events
and processes run in all of them. Instants are drawn from a handful of
values so that most steps tie with others and with the ordinary events, and steps schedule
further steps and ordinary events as they are handled. The two logs of (instant, label) must
be the same list: any change in the order of ties, or a step handled at another instant,
shows.
"""

from __future__ import annotations

import numpy as np
import pytest
import simpy
from simpy.core import NORMAL, URGENT

from sim.core.agenda import Agenda


class _Model:
    """Steps that log themselves and schedule more, through the agenda or through SimPy."""

    def __init__(self, seed: int, walk: str) -> None:
        self.env = simpy.Environment()
        self.rng = np.random.default_rng(seed)
        self.log: list[tuple[float, str]] = []
        self.agenda = None if walk == "simpy" else Agenda(self.env)
        if self.agenda is not None:
            self.agenda.walk = self._walk if walk == "one" else self._walk_runs
        self.count = 0

    def schedule_step(self, delay: float, priority: int) -> None:
        """A step ``delay`` days ahead (delay 0 at URGENT: before ordinary events now)."""
        self.count += 1
        label = self.count
        if self.agenda is not None:
            self.agenda.add(delay, priority, label, 0)
        elif priority == URGENT:
            event = simpy.Event(self.env)
            event.callbacks.append(lambda _: self.step(label))
            event._ok, event._value = True, None
            self.env.schedule(event, URGENT)
        else:
            self.env.timeout(delay).callbacks.append(lambda _: self.step(label))

    def step(self, label: int) -> None:
        self.log.append((self.env.now, f"step {label}"))
        draw = self.rng.random()
        if draw < 0.3 and self.count < 400:
            self.schedule_step(float(self.rng.integers(0, 3)), NORMAL)
        elif draw < 0.4 and self.count < 400:
            self.schedule_step(0.0, URGENT)
        elif draw < 0.5:
            self.env.timeout(float(self.rng.integers(0, 2))).callbacks.append(
                lambda _: self.log.append((self.env.now, "plain")))
        elif draw < 0.55:
            self.env.timeout(0.25).callbacks.append(
                lambda _: self.log.append((self.env.now, "soon")))
        elif draw < 0.6:
            event = simpy.Event(self.env)  # as an interrupt: before ordinary events now
            event.callbacks.append(lambda _: self.log.append((self.env.now, "urgent")))
            event._ok, event._value = True, None
            self.env.schedule(event, URGENT)

    def _walk(self, agenda: Agenda) -> None:
        while agenda.due() is not None:
            self.step(agenda.take()[3])

    def _walk_runs(self, agenda: Agenda) -> None:
        while agenda.due() is not None:
            agenda.handle_run(agenda.take_run(), lambda _, entry: self.step(entry[3]))

    def ticker(self, name: str, every: float):  # noqa: ANN201 - a SimPy process
        while True:
            self.log.append((self.env.now, name))
            yield self.env.timeout(every)

    def run(self) -> list[tuple[float, str]]:
        env = self.env
        env.process(self.ticker("daily", 1.0))
        for _ in range(60):
            self.schedule_step(float(self.rng.integers(0, 16)) / 4, NORMAL)
        env.process(self.ticker("weekly", 3.0))
        for _ in range(20):
            self.schedule_step(0.0, URGENT)
        env.run(until=12.0)
        return self.log


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("walk", ["one", "runs"])
def test_agenda_steps_come_where_their_timeouts_would(seed: int, walk: str) -> None:
    """Same log, same order, whether the steps are timeouts or agenda entries (taken one at a
    time, or in runs whose rest goes back when a step schedules an event before the next)."""
    through_simpy = _Model(seed, "simpy").run()
    through_agenda = _Model(seed, walk).run()
    assert len(through_simpy) > 100
    assert through_agenda == through_simpy


def test_agenda_keeps_few_events_in_simpys_heap() -> None:
    """A thousand pending steps added in random order hold a wake-up event each time one comes
    before all the others (about ln 1000 ~ 7 times), not one each; all are handled in order."""
    env = simpy.Environment()
    agenda = Agenda(env)
    seen: list[int] = []
    agenda.walk = lambda calendar: [seen.append(calendar.take()[3])
                                    for _ in iter(calendar.due, None)]
    delays = np.random.default_rng(3).permutation(1000)
    for item, delay in enumerate(delays.tolist()):
        agenda.add(float(delay), NORMAL, item, 0)
    assert agenda.size == 1000
    assert len(env._queue) <= 20
    env.run()
    assert seen == np.argsort(delays).tolist()
