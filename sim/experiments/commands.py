"""The work behind ``cssim sweep`` and ``cssim compare``: validate, run with progress, report.

Everything the user typed is checked (plans, paths, values, KPI names, requirements, baseline)
before the output directory is touched.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from sim.experiments.analysis import analyse, check_baseline
from sim.experiments.api import check_plans_work, check_run, compare_spec, sweep_spec
from sim.experiments.design import Design
from sim.experiments.display import ProgressBar, print_analysis, print_precision
from sim.experiments.runner import Execution, Outcome, Precision, SweepSpec, manifest, run_sweep
from sim.experiments.stats import Requirement, parse_requirement
from sim.outputs.terminal import PipeAwareConsole
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunOptions:
    """Options common to ``sweep`` and ``compare``."""

    replications: int
    seed: int
    jobs: int | None
    scheduler: str | None
    batch_size: int | None
    out: Path | None
    overwrite: bool
    html_report: bool = False
    wait: bool = False
    allow_large: bool = False


@dataclass(frozen=True)
class DesignOptions:
    """How ``cssim sweep`` builds its plans and what it reports."""

    vary: Sequence[str]
    plans: Path | None
    design: Design
    samples: int
    baseline: str | None
    require: Sequence[str]
    precision: Precision | None


def sweep_command(scenario: Scenario, source: Path, design: DesignOptions,
                  options: RunOptions) -> None:
    """Run ``cssim sweep``."""
    check_run(options.replications, design.precision)
    requirements = [parse_requirement(text) for text in design.require]
    spec = sweep_spec(scenario, options.replications, vary=list(design.vary),
                      plans=design.plans, design=design.design, samples=design.samples,
                      seed=options.seed, command=_command())
    check_plans_work(spec.plans, options.allow_large)
    baseline = check_baseline(design.baseline, [plan.id for plan in spec.plans])
    out = options.out or _default_out(spec, Path("results") / scenario.name, "sweep")
    outcome = _run(spec, out, options, design.precision)
    _report(f"sweep of {source}", outcome, baseline, requirements, design.precision)
    _html_report(outcome, options)


def compare_command(files: Sequence[Path], options: RunOptions) -> None:
    """Run ``cssim compare``."""
    check_run(options.replications, None)
    spec = compare_spec(list(files), options.replications, options.seed, _command())
    check_plans_work(spec.plans, options.allow_large)
    out = options.out or _default_out(spec, Path("results"), "compare")
    outcome = _run(spec, out, options, None)
    _report("comparison", outcome, None, [], None)
    _html_report(outcome, options)


def _run(spec: SweepSpec, out: Path, options: RunOptions,
         precision: Precision | None) -> Outcome:
    execution = Execution(options.jobs, options.scheduler, options.batch_size)
    try:
        with ProgressBar() as progress:
            return run_sweep(spec, out, execution, options.overwrite, progress, precision,
                             wait=options.wait)
    except KeyboardInterrupt:
        click.echo(f"interrupted: completed batches are kept in {out}; run the same command "
                   "again to resume", err=True)
        raise


def _report(title: str, outcome: Outcome, baseline: str | None,
            requirements: list[Requirement], precision: Precision | None) -> None:
    """Print the statistics of everything stored in the directory (earlier runs included)."""
    wide = sys.stdout.isatty() or "COLUMNS" in os.environ  # else a pipe: 120 columns
    console = PipeAwareConsole(width=None if wide else 120)
    analysis = analyse(outcome.root, baseline, requirements)
    stored = analysis.counts["replicates"]
    each = f"{stored.max()}" if stored.min() == stored.max() else f"{stored.min()}-{stored.max()}"
    click.echo(f"{title}: {len(stored)} plans x {each} replicates")
    print_analysis(analysis, console)
    if precision is not None and outcome.precision is not None:
        print_precision(outcome.precision, outcome.replications, precision.max_replications,
                        console)
    click.echo(f"wrote {outcome.root.resolve()}")


def _html_report(outcome: Outcome, options: RunOptions) -> None:
    if options.html_report:
        from sim.report_html import write_report

        click.echo(f"wrote {write_report(outcome.root.resolve())}")


def _default_out(spec: SweepSpec, parent: Path, kind: str) -> Path:
    """``<parent>/<kind>-<definition>``: the same command finds its directory again."""
    return parent / f"{kind}-{manifest(spec)['definition'][:8]}"


def _command() -> str:
    return "cssim " + " ".join(shlex.quote(argument) for argument in sys.argv[1:])
