"""The local search that ends an optimisation's search: improve the best plan step by step.

The sampler finds the region; staffing answers then sit on the constraint boundary, where a
better plan is often a trade (one more of the cheap resource, fewer of the dear one) that a
sampler rarely hits exactly. Two moves, each plan evaluated like any other (same replicates,
same judgement, counted in the budget):

1. *Step*: move one search variable one step (1 for integers, a twentieth of the range for
   real values) up or down; all such neighbours are evaluated together.
2. *Raise and trim* (a marginal-allocation move, tried when no step helps): raise one variable
   one step, then lower another one step at a time until the plan violates the constraints
   or beats the best.

The best plan (ranked as :func:`search.finalists` ranks) moves to any better plan found and the
moves start again; the local search ends when neither move improves it or the budget is spent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sim.experiments.evaluations import Evaluator
from sim.experiments.goals import VIOLATED
from sim.experiments.levers import Lever, effective_values
from sim.experiments.search import (
    Candidate,
    Report,
    Settings,
    finalists,
    incumbent,
    propose_values,
    refine,
)
from sim.scenario.schema import Scenario

STEPS_PER_RANGE = 20
"""A real-valued variable moves by its range over this."""


class _Local:
    """The state a local search shares between its moves."""

    def __init__(self, seen: dict[str, Candidate], settings: Settings, base: Scenario,
                 evaluator: Evaluator, report: Report | None) -> None:
        self.seen, self.settings, self.base = seen, settings, base
        self.evaluator, self.report = evaluator, report

    def left(self) -> bool:
        return len(self.seen) < self.settings.budget

    def best(self) -> Candidate | None:
        ranked = finalists(self.seen, self.settings)
        return ranked[0] if ranked else None

    def evaluate(self, points: Sequence[dict[str, float]]) -> list[Candidate]:
        """Evaluate the new plans among ``points`` (within the budget).

        Returns the plan of each point reached, new or evaluated before.
        """
        proposed, reached = [], []
        for values in points:
            if not self.left():
                break
            candidate, new = propose_values(values, self.settings, self.base, self.seen)
            reached.append(candidate)
            if new:
                proposed.append(candidate)
        refine([item for item in proposed if item.plan is not None], self.settings,
               self.evaluator, incumbent(self.seen.values(), self.settings.objective))
        for candidate in proposed:
            if self.report is not None:
                self.report(candidate, self.settings.budget)
        return reached


def polish(seen: dict[str, Candidate], settings: Settings, base: Scenario,
           evaluator: Evaluator, report: Report | None = None) -> None:
    """Improve the best plan by steps, then raise-and-trim moves, until neither helps."""
    local = _Local(seen, settings, base, evaluator, report)
    while local.left():
        best = local.best()
        if best is None:
            return
        local.evaluate(list(_steps(best, settings.levers, base)))
        if local.best() is best and local.left():
            _raise_and_trim(local, best)
        if local.best() is best:
            return


def _raise_and_trim(local: _Local, best: Candidate) -> None:
    """Raise one variable a step, lower another while the plan meets the constraints."""
    levers = local.settings.levers
    values = effective_values(levers, best.values, local.base)
    for raised_name, raised in _moved(values, levers, +1):
        for name, lever in _variables(levers):
            if name == raised_name:
                continue
            point = dict(raised)
            while local.left():
                lowered = _move(point, name, lever, -1)
                if lowered is None:
                    break
                point = lowered
                tried = local.evaluate([point])
                if local.best() is not best:
                    return
                if not tried or tried[0].assessment is None or (
                        tried[0].assessment.status == VIOLATED):
                    break


def _variables(levers: Sequence[Lever]) -> Iterator[tuple[str, Lever]]:
    for lever in levers:
        for name in lever.names:
            yield name, lever


def _move(values: dict[str, float], name: str, lever: Lever,
          direction: int) -> dict[str, float] | None:
    step = 1.0 if lever.integer else (lever.high - lever.low) / STEPS_PER_RANGE
    moved = min(lever.high, max(lever.low, values[name] + direction * step))
    moved = int(moved) if lever.integer else moved
    return None if moved == values[name] else {**values, name: moved}


def _moved(values: dict[str, float], levers: Sequence[Lever],
           direction: int) -> Iterator[tuple[str, dict[str, float]]]:
    for name, lever in _variables(levers):
        point = _move(values, name, lever, direction)
        if point is not None:
            yield name, point


def _steps(best: Candidate, levers: Sequence[Lever], base: Scenario) -> Iterator[dict[str, float]]:
    values = effective_values(levers, best.values, base)
    for direction in (-1, +1):
        for _, point in _moved(values, levers, direction):
            yield point
