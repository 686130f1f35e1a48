"""The search of an optimisation: propose plans, spend replicates where it matters, pick finalists.

Procedure (deterministic for a given base seed, whatever the backend or number of workers):

1. Optuna's TPE sampler (constrained, integer-aware, seeded) proposes ``parallel`` plans at a
   time; the batch size never depends on the workers, and the answers are told in proposal
   order, so the sequence of proposals is the same on one process, many, or a Dask cluster.
2. Each new plan is run on replicates ``0..replications-1`` (the same seeds for every plan:
   common random numbers) and judged (``goals``). While it is *undecided* and could still beat
   the best plan shown to meet the constraints (its objective bound reaches past that plan's
   mean), its replicates are doubled, up to ``max_replications``: replicates go to the plans
   near the constraint boundary that matter for the decision.
3. A plan proposed again reuses its replicates. The sampler stops after three quarters of the
   ``budget`` (distinct plans); the rest goes to a local search around the best plan
   (``polish``).
4. Finalists: the best plans shown to meet the constraints, then the best undecided ones (or,
   if every plan violates them, the closest). They are re-run on fresh seeds (replicates
   ``FRESH..FRESH+final_replications-1``, common to the finalists) and the choice is made on
   those figures alone, which guards against the optimiser's curse (the search-time winner is
   often the luckiest, not the best).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.core.errors import ScenarioError
from sim.experiments.design import Plan, build_plans
from sim.experiments.evaluations import Assessment, Evaluator, assess, plan_id
from sim.experiments.goals import MET, UNDECIDED, VIOLATED, Constraint, Objective
from sim.experiments.levers import Lever, plan_overrides
from sim.scenario.schema import Scenario

FRESH = 1_000_000
"""First replicate number of the re-evaluation on fresh seeds (never used by the search)."""
ASKS_PER_PLAN = 5
"""The sampler stops after this many proposals per plan of the budget (repeats included)."""
POLISH_SHARE = 4
"""The last 1/POLISH_SHARE of the budget goes to the local search around the best plan."""
"""The search stops after this many proposals per plan of the budget (repeats included)."""


@dataclass(frozen=True)
class Settings:
    """How an optimisation searches (everything that decides its result).

    Attributes:
        levers: what the search may set.
        objective: the KPI mean to minimise or maximise.
        constraints: what a plan must meet.
        replications: replicates of a first look at a plan.
        max_replications: most replicates of a plan during the search.
        budget: distinct plans to evaluate.
        finalists: plans re-evaluated on fresh seeds.
        final_replications: replicates of that re-evaluation.
        seed: base seed of the replicates and of the sampler.
        parallel: plans proposed at once (keeps workers busy; part of the result's definition).
    """

    levers: tuple[Lever, ...]
    objective: Objective
    constraints: tuple[Constraint, ...] = ()
    replications: int = 10
    max_replications: int = 40
    budget: int = 40
    finalists: int = 3
    final_replications: int = 40
    seed: int = 0
    parallel: int = 4


@dataclass
class Candidate:
    """A distinct plan of the search, with what is known of it.

    Attributes:
        plan: the validated plan (None when its values make an invalid scenario).
        values: the search variables that first proposed it.
        order: 1 for the first plan evaluated, 2 for the next, ...
        target: replicates wanted in the search.
        assessment: the judgement on those replicates (None before the first run).
        error: why the plan is invalid.
    """

    plan: Plan | None
    values: dict[str, float]
    order: int
    target: int = 0
    assessment: Assessment | None = None
    error: str | None = None
    fresh: Assessment | None = field(default=None)


Report = Callable[[Candidate, int], None]
"""Called once per new plan when its search evaluation is complete (plan, budget)."""


def search(settings: Settings, base: Scenario, evaluator: Evaluator,
           report: Report | None = None) -> dict[str, Candidate]:
    """Run the search; returns the distinct plans by plan id, in the order evaluated."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize" if settings.objective.maximise
                                else "minimize", sampler=_sampler(settings))
    seen: dict[str, Candidate] = {}
    asks, sampled = 0, settings.budget - settings.budget // POLISH_SHARE
    while len(seen) < sampled and asks < ASKS_PER_PLAN * settings.budget:
        trials = [study.ask() for _ in range(settings.parallel)]
        asks += len(trials)
        proposed = [_propose(trial, settings, base, seen) for trial in trials]
        fresh = [candidate for candidate, new in proposed if new and candidate.plan is not None]
        refine(fresh, settings, evaluator, incumbent(seen.values(), settings.objective))
        for trial, (candidate, new) in zip(trials, proposed, strict=True):
            _tell(study, trial, candidate, settings)
            if new and report is not None:
                report(candidate, settings.budget)
    return seen


def _sampler(settings: Settings) -> Any:
    import optuna

    def constraints(trial: Any) -> Sequence[float]:
        return trial.user_attrs.get("constraints", [1e9] * len(settings.constraints))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # multivariate and constraints are "experimental"
        return optuna.samplers.TPESampler(
            seed=settings.seed, multivariate=True, constant_liar=True,
            n_startup_trials=min(10, max(2, settings.budget // 3)),
            constraints_func=constraints if settings.constraints else None)


def _propose(trial: Any, settings: Settings, base: Scenario,
             seen: dict[str, Candidate]) -> tuple[Candidate, bool]:
    """The candidate of a proposal, and whether it is new (added to ``seen``)."""
    return propose_values(_point(trial, settings.levers), settings, base, seen)


def propose_values(values: dict[str, float], settings: Settings, base: Scenario,
                    seen: dict[str, Candidate]) -> tuple[Candidate, bool]:
    """The candidate of a point, and whether it is new (then added to ``seen``, validated).

    A point beyond the budget gets a candidate without a plan, not added.
    """
    overrides = plan_overrides(settings.levers, values, base)
    identifier = plan_id(overrides)
    if identifier in seen:
        return seen[identifier], False
    if len(seen) >= settings.budget:
        return Candidate(None, values, 0, error="over budget"), False
    try:
        plan: Plan | None = build_plans(base, [(identifier, overrides)], "--lever")[0]
        error = None
    except ScenarioError as problem:
        plan, error = None, str(problem)
    candidate = Candidate(plan, values, len(seen) + 1, error=error)
    seen[identifier] = candidate
    return candidate, True


def _point(trial: Any, levers: Sequence[Lever]) -> dict[str, float]:
    values: dict[str, float] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lever in levers:
            for name in lever.names:
                values[name] = (trial.suggest_int(name, int(lever.low), int(lever.high))
                                if lever.integer
                                else trial.suggest_float(name, lever.low, lever.high))
    return values


def refine(candidates: Sequence[Candidate], settings: Settings, evaluator: Evaluator,
            incumbent: float | None) -> None:
    """Run the first look at each plan; double the replicates of close, competitive ones."""
    for candidate in candidates:
        candidate.target = settings.replications
    growing = list(candidates)
    while growing:
        evaluator.ensure([(candidate.plan, range(candidate.target))
                          for candidate in growing if candidate.plan is not None])
        for candidate in growing:
            candidate.assessment = _assess(candidate, range(candidate.target), evaluator,
                                           settings)
        growing = [candidate for candidate in growing
                   if _worth_more(candidate, settings, incumbent)]
        for candidate in growing:
            candidate.target = min(settings.max_replications, 2 * candidate.target)


def _assess(candidate: Candidate, numbers: range, evaluator: Evaluator,
            settings: Settings) -> Assessment:
    assert candidate.plan is not None
    rows = evaluator.rows(candidate.plan.id, numbers)
    return assess(rows, settings.objective, settings.constraints)


def _worth_more(candidate: Candidate, settings: Settings, incumbent: float | None) -> bool:
    """Undecided, below the cap, and able to beat the incumbent within its objective bound."""
    assessment = candidate.assessment
    if assessment is None or assessment.status != UNDECIDED:
        return False
    if candidate.target >= settings.max_replications:
        return False
    if incumbent is None:
        return True
    reach = assessment.high if settings.objective.maximise else assessment.low
    return not settings.objective.better(incumbent, reach)


def incumbent(candidates: Any, objective: Objective) -> float | None:
    """The best objective mean among plans shown to meet the constraints."""
    best: float | None = None
    for candidate in candidates:
        assessment = candidate.assessment
        if assessment is None or assessment.status != MET:
            continue
        if best is None or objective.better(assessment.mean, best):
            best = assessment.mean
    return best


def _tell(study: Any, trial: Any, candidate: Candidate, settings: Settings) -> None:
    from optuna.trial import TrialState

    assessment = candidate.assessment
    if candidate.plan is None or assessment is None or not assessment.n:
        study.tell(trial, state=TrialState.FAIL)
        return
    trial.set_user_attr("constraints", assessment.constraint_values(settings.constraints))
    study.tell(trial, assessment.mean)


def finalists(seen: Mapping[str, Candidate], settings: Settings) -> list[Candidate]:
    """The plans to re-evaluate, best first.

    Plans shown to meet the constraints by objective; then undecided plans whose estimates meet
    them (not yet shown), by objective; then the other undecided plans, closest first. If no
    plan is met or undecided, the closest plans.
    """
    judged = [candidate for candidate in seen.values()
              if candidate.assessment is not None and candidate.assessment.n]
    sign = -1.0 if settings.objective.maximise else 1.0

    def rank(candidate: Candidate) -> tuple[int, float, float, int]:
        status = _status(candidate)
        likely = _shortfall(candidate) == 0
        group = 0 if status == MET else 1 if likely else 2
        closeness = 0.0 if group < 2 else _shortfall(candidate)
        return group, closeness, sign * _mean(candidate), candidate.order

    chosen = sorted((candidate for candidate in judged
                     if _status(candidate) in (MET, UNDECIDED)), key=rank)
    if not chosen:
        chosen = sorted(judged, key=lambda candidate: (_shortfall(candidate),
                                                       sign * _mean(candidate),
                                                       candidate.order))
    return chosen[:settings.finalists]


def _status(candidate: Candidate) -> str:
    assert candidate.assessment is not None
    return candidate.assessment.status


def _mean(candidate: Candidate) -> float:
    assert candidate.assessment is not None
    return candidate.assessment.mean


def _shortfall(candidate: Candidate) -> float:
    assert candidate.assessment is not None
    return candidate.assessment.shortfall


def reevaluate(chosen: Sequence[Candidate], settings: Settings, evaluator: Evaluator) -> None:
    """Run the finalists on fresh seeds and judge them on those alone."""
    numbers = range(FRESH, FRESH + settings.final_replications)
    evaluator.ensure([(candidate.plan, numbers) for candidate in chosen
                      if candidate.plan is not None])
    for candidate in chosen:
        candidate.fresh = _assess(candidate, numbers, evaluator, settings)


def decide(chosen: Sequence[Candidate], objective: Objective) -> tuple[Candidate | None, bool]:
    """The best finalist met on fresh seeds (feasible), else the one closest to it."""
    met = [candidate for candidate in chosen
           if candidate.fresh is not None and candidate.fresh.status == MET]
    sign = -1.0 if objective.maximise else 1.0
    if met:
        return min(met, key=lambda item: (sign * _fresh(item).mean, item.order)), True
    judged = [candidate for candidate in chosen if candidate.fresh is not None]
    if not judged:
        return None, False
    return min(judged, key=lambda item: (_fresh(item).status == VIOLATED,
                                         _fresh(item).shortfall, sign * _fresh(item).mean,
                                         item.order)), False


def _fresh(candidate: Candidate) -> Assessment:
    assert candidate.fresh is not None
    return candidate.fresh
