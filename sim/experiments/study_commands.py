"""The work behind ``cssim sensitivity`` and ``cssim compare --uncertain``.

Everything the user typed (parameters, ranges, KPIs, scenarios) is checked and every sample
point's scenario validated before the output directory is touched.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from sim.core.errors import ScenarioError
from sim.experiments import robustness as rob
from sim.experiments.api import compare_plans
from sim.experiments.commands import RunOptions, _command, compare_command
from sim.experiments.display import ProgressBar
from sim.experiments.runner import Execution, SweepSpec, manifest
from sim.experiments.sensitivity import Method, SensitivityDesign, sensitivity_spec
from sim.experiments.studies import (
    DEFAULT_SAMPLES,
    load_parameters,
    run_robustness,
    run_sensitivity,
)
from sim.experiments.study_display import print_robustness, print_sensitivity
from sim.scenario.schema import Scenario, load_scenario

DEFAULT_ROBUSTNESS_SAMPLES = 20


@dataclass(frozen=True)
class SensitivityOptions:
    """What ``cssim sensitivity`` varies and analyses."""

    params: Path | None
    method: Method
    kpis: Sequence[str]
    versus: Path | None
    samples: int | None


def sensitivity_command(scenario: Scenario, source: Path, study: SensitivityOptions,
                        options: RunOptions) -> None:
    """Run ``cssim sensitivity``."""
    versus = load_scenario(study.versus) if study.versus else None
    design = SensitivityDesign(study.method, tuple(load_parameters(study.params, scenario)),
                               study.samples or DEFAULT_SAMPLES[study.method], options.seed)
    kpis = list(dict.fromkeys(study.kpis))
    spec = sensitivity_spec(scenario, design, options.replications, kpis, versus, _command())
    out = options.out or _default_out(spec, Path("results") / scenario.name, "sensitivity")
    click.echo(f"{study.method}: {len(design.parameters)} parameters, "
               f"{len(spec.plans) // (2 if versus else 1)} sample points"
               f"{' x 2 scenarios' if versus else ''} x {options.replications} replicates "
               f"= {len(spec.plans) * options.replications} runs", err=True)
    with _interrupt_note(out), ProgressBar() as progress:
        result = run_sensitivity(spec, design, kpis, versus is not None, out,
                                 _execution(options), options.overwrite, progress)
    title = (f"{study.method} sensitivity of {source} minus {study.versus} (paired)" if versus
             else f"{study.method} sensitivity of {source}")
    print_sensitivity(result, study.method, title, _console())
    click.echo(f"wrote {out.resolve()}")


def list_parameters(scenario: Scenario, params: Path | None) -> None:
    """Print the parameters a study would vary: path, range, the scenario's value, source."""
    parameters = load_parameters(params, scenario)
    width = max(len(item.path) for item in parameters)
    click.echo(f"{'parameter':<{width}}  {'plausible range':^21} {'value':>9}  source")
    for item in parameters:
        value = "" if math.isnan(item.value) else f"{item.value:g}"
        click.echo(f"{item.path:<{width}}  {item.low:>9g} - {item.high:<9g} {value:>9}  "
                   f"{item.source}")


def robustness_command(files: Sequence[Path], uncertain: Path, samples: int,
                       objective: rob.Objective, options: RunOptions) -> None:
    """Run ``cssim compare A.yaml B.yaml ... --uncertain FILE``."""
    strategies = compare_plans(list(files))
    parameters = load_parameters(uncertain, strategies[0].scenario)
    spec = rob.robustness_spec(strategies, parameters, samples, options.replications,
                               objective, options.seed, _command())
    out = options.out or _default_out(spec, Path("results"), "robustness")
    click.echo(f"robustness: {len(strategies)} strategies x {samples} points of "
               f"{len(parameters)} uncertain parameters x {options.replications} replicates "
               f"= {len(spec.plans) * options.replications} runs", err=True)
    with _interrupt_note(out), ProgressBar() as progress:
        result = run_robustness(spec, [item.id for item in strategies], parameters, samples,
                                objective, out, _execution(options), options.overwrite,
                                progress)
    print_robustness(result, objective.label, _console())
    click.echo(f"wrote {out.resolve()}")


def _execution(options: RunOptions) -> Execution:
    return Execution(options.jobs, options.scheduler, options.batch_size)


@contextmanager
def _interrupt_note(out: Path) -> Iterator[None]:
    """On Ctrl-C, say that the completed work is kept and how to resume."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"interrupted: completed batches are kept in {out}; run the same command "
                   "again to resume", err=True)
        raise


def _default_out(spec: SweepSpec, parent: Path, kind: str) -> Path:
    return parent / f"{kind}-{manifest(spec)['definition'][:8]}"


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def compare_or_robustness(files: Sequence[Path], values: Mapping[str, Any],
                          options: RunOptions) -> None:
    """``cssim compare``: side by side, or across the uncertainty with ``--uncertain``.

    Raises:
        ScenarioError: --samples, --maximise or --minimise without --uncertain, or both
            --maximise and --minimise.
    """
    maximise, minimise = values.get("maximise_kpi"), values.get("minimise_kpi")
    if maximise and minimise:
        raise ScenarioError("--maximise and --minimise: give one")
    if values.get("uncertain") is None:
        if maximise or minimise or values.get("samples") is not None:
            raise ScenarioError("--samples, --maximise and --minimise need --uncertain FILE")
        compare_command(files, options)
        return
    objective = rob.Objective(minimise or maximise or "grr", not minimise)
    samples = values.get("samples") or DEFAULT_ROBUSTNESS_SAMPLES
    robustness_command(files, values["uncertain"], samples, objective, options)
