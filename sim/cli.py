"""The ``cssim`` command line: validate, schema, run, advise, sweep, compare and optimise.

The commands load, call and print; the model lives in ``sim.model``. Bad input ends with one
line on stderr (``error: FILE: PATH = VALUE: REASON``) and exit code 2, an unexpected failure
with exit code 1, Ctrl-C with exit code 130; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim import advisor
from sim.cli_errors import (
    EXIT_BROKEN_PIPE,
    MAX_SEED,
    OneLineUsage,
    engine,
    reported_errors,
    silence_stdout,
)
from sim.history.commands import fit_group, init_command
from sim.outputs.io import write_run
from sim.outputs.text_report import print_summary
from sim.scenario.schema import Scenario, load_scenario
from sim.version import __version__

if TYPE_CHECKING:
    from sim.experiments.commands import RunOptions

class _Commands(click.Group):
    """The command group: a usage error is one line; a closed pipe (``| head``) ends quietly."""

    command_class = OneLineUsage

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a closed stdout exits with status 141 and no message."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            silence_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cssim",
                      message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the full traceback when a command fails.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Simulate a Customer Success organisation: backlog, burnout, churn and cost over time."""
    ctx.obj = {"debug": debug}


def _report_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option("--report", "html_report", is_flag=True,
                        help="Also write report.html (charts and tables) into the output "
                             "directory.")(command)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, file: Path) -> None:
    """Check the scenario FILE and print a one-line verdict."""
    with reported_errors(ctx):
        scenario = load_scenario(file)
    click.echo(f"{file}: ok ({scenario.name}, {len(scenario.tiers)} tiers, "
               f"{len(scenario.pools)} pools, {scenario.horizon_months} months)")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["json", "markdown"]),
              default="json", show_default=True,
              help="JSON schema, or the Markdown field reference built from it.")
@click.pass_context
def schema(ctx: click.Context, output_format: str) -> None:
    """Print the schema of scenario files."""
    from sim.scenario.reference import scenario_reference

    with reported_errors(ctx):
        if output_format == "markdown":
            text = scenario_reference()
        else:
            text = json.dumps(Scenario.model_json_schema(), indent=2)
    click.echo(text)


def _writer_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--wait`` and ``--allow-large``, for every command that runs and writes."""
    command = click.option(
        "--allow-large", is_flag=True,
        help="Run even if the work estimate is over its ceiling (docs/limits.md).")(command)
    return click.option(
        "--wait", is_flag=True,
        help="If another cssim is writing the output folder, wait for it instead of "
             "stopping.")(command)


def _say(message: str) -> None:
    click.echo(message, err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True,
              help="Seed of the random streams (0 to 2**63-1).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output directory  [default: results/<scenario>/seed-<SEED>/]")
@_writer_options
@_report_option
@click.pass_context
def run(ctx: click.Context, file: Path, seed: int, out_dir: Path | None, wait: bool,
        allow_large: bool, html_report: bool) -> None:
    """Simulate the scenario FILE once, write its tables and print a summary."""
    from sim.outputs.io import check_replaceable
    from sim.outputs.locks import output_lock
    from sim.scenario.work_estimate import check_work

    with reported_errors(ctx):
        scenario = load_scenario(file)
        check_work(scenario, str(file), allow_large)
        out = out_dir or Path("results") / scenario.name / f"seed-{seed}"
        with output_lock(out, wait, _say):
            check_replaceable(out)
            simulate = engine()
            result = simulate(scenario, seed)
            written = write_run(result, out)
        print_summary(result)
        click.echo(f"wrote {written}")
        if html_report:
            click.echo(f"wrote {_write_report(written, None)}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="HTML file to write  [default: PATH/report.html]")
@click.option("--open", "open_it", is_flag=True, help="Open the report in the web browser.")
@click.pass_context
def report(ctx: click.Context, path: Path, output: Path | None, open_it: bool) -> None:
    """Write the HTML report of a run, sweep or compare directory PATH (charts, tables)."""
    with reported_errors(ctx):
        written = _write_report(path, output)
    click.echo(f"wrote {written}")
    if open_it:
        import webbrowser

        webbrowser.open(written.resolve().as_uri())


@main.command(name="export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              show_default=True, help="One workbook with a sheet per table, or CSV files.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Workbook, or folder of CSV files  [default: PATH/tables.xlsx, PATH/csv/]")
@click.pass_context
def export_command(ctx: click.Context, path: Path, output_format: str,
                   output: Path | None) -> None:
    """Export the tables of a run, sweep or compare directory PATH for a spreadsheet."""
    with reported_errors(ctx):
        from sim.report_html.export import export

        written = export(path, output_format, output)
    click.echo(f"wrote {written}")


def _write_report(path: Path, output: Path | None) -> Path:
    from sim.report_html import write_report

    return write_report(path, output)


def _run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options ``sweep`` and ``compare`` share: replicates, seed, where to run and write."""
    options: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
        click.option("--replications", type=click.IntRange(min=1), default=10, show_default=True,
                     help="Replicates per plan; replicate r of every plan uses the same seed."),
        click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True,
                     help="Base seed of the replicates and of a Latin hypercube (0 to 2**63-1)."),
        click.option("--jobs", type=click.IntRange(min=1),
                     help="Local worker processes  [default: one per core]"),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on the Dask cluster of this scheduler (tcp://host:8786)."),
        click.option("--batch-size", type=click.IntRange(min=1),
                     help="Replicates per task  [default: automatic]"),
        click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Output directory; re-running into it resumes  [default: "
                          "results/<scenario>/sweep-<id>/ for sweep, results/compare-<id>/ "
                          "for compare]"),
        click.option("--overwrite", is_flag=True,
                     help="Replace an --out directory that holds a different sweep."),
        _report_option,
    ]
    command = _writer_options(command)
    for option in reversed(options):
        command = option(command)
    return command


def _options(values: dict[str, Any]) -> RunOptions:
    from sim.experiments.commands import RunOptions

    return RunOptions(values["replications"], values["seed"], values["jobs"],
                      values["scheduler"], values["batch_size"], values["out_dir"],
                      values["overwrite"], values["html_report"], values["wait"],
                      values["allow_large"])


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--vary", multiple=True, metavar="PATH=V1,V2,...",
              help="Vary a field (pools.csm.headcount=8,10); PATH=LOW:HIGH with --design lhs. "
                   "Repeatable.")
@click.option("--plans", "plans_file", type=click.Path(path_type=Path),
              help="YAML file of named plans: {plan id: {field path: value}}.")
@click.option("--design", type=click.Choice(["grid", "lhs"]), default="grid", show_default=True,
              help="Every combination of the --vary values, or a Latin hypercube.")
@click.option("--samples", type=click.IntRange(min=1), default=10, show_default=True,
              help="Points of the Latin hypercube.")
@click.option("--baseline", metavar="PLAN", help="Plan to difference against  [default: first]")
@click.option("--require", multiple=True, metavar="KPI<=VALUE",
              help="Report the probability of meeting this (e.g. 'backlog_weeks_max<=6'). "
                   "Repeatable; all must hold.")
@click.option("--target-precision", type=click.FloatRange(min=0, min_open=True),
              help="Add replicates until the relative 95% CI half-width of --precision-kpi is "
                   "at most this (0.02 = 2%) for every plan.")
@click.option("--precision-kpi", default="arr_end", show_default=True,
              help="KPI of --target-precision.")
@click.option("--max-replications", type=click.IntRange(min=3), default=500, show_default=True,
              help="Cap of --target-precision.")
@_run_options
@click.pass_context
def sweep(ctx: click.Context, scenario_file: Path, **values: Any) -> None:
    """Run plans on SCENARIO over common-random-number replicates; compare their KPIs."""
    with reported_errors(ctx):
        from sim.experiments.commands import DesignOptions, sweep_command
        from sim.experiments.runner import Precision

        precision = None
        if values["target_precision"] is not None:
            precision = Precision(values["target_precision"], values["precision_kpi"],
                                  values["max_replications"])
        design = DesignOptions(values["vary"], values["plans_file"], values["design"],
                               values["samples"], values["baseline"], values["require"],
                               precision)
        sweep_command(load_scenario(scenario_file), scenario_file, design, _options(values))


@main.command()
@click.argument("files", metavar="SCENARIO...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--uncertain", type=click.Path(path_type=Path),
              help="YAML file of uncertain parameters ({path: [low, high] or null}): run every "
                   "scenario at the same Latin-hypercube points and report how often each is "
                   "best (docs/sensitivity.md).")
@click.option("--samples", type=click.IntRange(min=2),
              help="Latin-hypercube points of --uncertain  [default: 20]")
@click.option("--maximise", "maximise_kpi", metavar="KPI",
              help="With --uncertain: best = highest mean of this KPI  [default: grr]")
@click.option("--minimise", "minimise_kpi", metavar="KPI",
              help="With --uncertain: best = lowest mean of this KPI.")
@_run_options
@click.pass_context
def compare(ctx: click.Context, files: tuple[Path, ...], **values: Any) -> None:
    """Run scenario files side by side on the same seeds; differences are against the first.

    With --uncertain: how often each scenario is best across the uncertain parameters.
    """
    with reported_errors(ctx):
        from sim.experiments.study_commands import compare_or_robustness

        compare_or_robustness(files, values, _options(values))


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--params", "params_file", type=click.Path(path_type=Path),
              help="YAML file of parameters to vary ({path: [low, high] or null for the "
                   "schema's range)  [default: every field with a plausible range]")
@click.option("--method", type=click.Choice(["morris", "sobol"]), default="morris",
              show_default=True, help="Morris elementary effects (screening) or Sobol indices.")
@click.option("--kpi", "kpis", multiple=True, default=("grr",), show_default=True,
              help="KPI to analyse (sweep names). Repeatable.")
@click.option("--versus", type=click.Path(path_type=Path), metavar="OTHER_SCENARIO",
              help="Analyse the paired difference SCENARIO - OTHER_SCENARIO per replicate.")
@click.option("--samples", type=click.IntRange(min=2),
              help="Morris trajectories or Sobol base sample  [default: 10 / 64]")
@click.option("--list-params", is_flag=True,
              help="Print the parameters (path, plausible range, value, source) and stop.")
@_run_options
@click.pass_context
def sensitivity(ctx: click.Context, scenario_file: Path, **values: Any) -> None:
    """Which uncertain parameters move the KPIs of SCENARIO (Morris or Sobol, with CIs)."""
    with reported_errors(ctx):
        from sim.experiments.study_commands import (
            SensitivityOptions,
            list_parameters,
            sensitivity_command,
        )

        if values["list_params"]:
            list_parameters(load_scenario(scenario_file), values["params_file"])
            return
        study = SensitivityOptions(values["params_file"], values["method"], values["kpis"],
                                   values["versus"], values["samples"])
        sensitivity_command(load_scenario(scenario_file), scenario_file, study,
                            _options(values))


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(path_type=Path))
@click.option("--lever", multiple=True, required=True, metavar="PATH=LOW..HIGH",
              help="A field the search may set (pools.support.headcount=2..12), or a headcount "
                   "per period (pools.csm.headcount@quarter=8..40). Repeatable.")
@click.option("--minimise", "--minimize", "minimise", metavar="KPI",
              help="Minimise this KPI's mean (e.g. total_cost).")
@click.option("--maximise", "--maximize", "maximise", metavar="KPI",
              help="Maximise this KPI's mean.")
@click.option("--require", multiple=True, metavar="KPI<=VALUE[@P]",
              help="Constraint: the bound holds in a share >= P of runs (chance), or in the "
                   "mean without @P. Repeatable.")
@click.option("--replications", type=int, default=10, show_default=True,
              help="Replicates of a first look at a plan.")
@click.option("--max-replications", type=int, default=40, show_default=True,
              help="Most replicates of a plan during the search (close calls get more).")
@click.option("--budget", type=int, default=40, show_default=True,
              help="Distinct plans to evaluate.")
@click.option("--finalists", type=int, default=3, show_default=True,
              help="Best plans re-run on fresh seeds; the choice uses those runs.")
@click.option("--final-replications", type=int, default=40, show_default=True,
              help="Replicates of each finalist on fresh seeds.")
@click.option("--parallel", type=int, default=4, show_default=True,
              help="Plans proposed at once (the result depends on it, not on --jobs).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Base seed of the replicates and of the search.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Local worker processes  [default: one per core]")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on the Dask cluster of this scheduler (tcp://host:8786).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output directory; re-running into it resumes  "
                   "[default: results/<scenario>/optimise-<id>/]")
@click.option("--overwrite", is_flag=True,
              help="Replace an --out directory that holds another scenario's or seed's runs.")
@_writer_options
@click.pass_context
def optimise(ctx: click.Context, scenario_file: Path, **values: Any) -> None:
    """Find the plan over the levers with the best KPI mean that meets the constraints."""
    with reported_errors(ctx):
        from sim.experiments.optimise_command import optimise_command
        from sim.scenario.work_estimate import check_work

        scenario = load_scenario(scenario_file)
        check_work(scenario, str(scenario_file), values["allow_large"])
        optimise_command(scenario, scenario_file, values)


@main.command()
@click.option("--scenario", "scenario_file", type=click.Path(path_type=Path),
              help="Derive ACV, complexity, segment and growth stage from this scenario "
                   "(flags win over it).")
@click.option("--acv", type=float, help="Average ACV, USD per year.")
@click.option("--complexity", type=click.Choice(advisor.COMPLEXITIES), help="Product complexity.")
@click.option("--segment", type=click.Choice(advisor.SEGMENTS),
              help="Customer segment  [default: from the ACV]")
@click.option("--margin", type=float,
              help=f"Gross margin as a share, e.g. 0.65; also sets the CS budget  "
                   f"[default: {advisor.DEFAULT_MARGIN:.2f}]")
@click.option("--competition", type=click.Choice(advisor.COMPETITIONS),
              help=f"Competitive positioning  [default: {advisor.DEFAULT_COMPETITION}]")
@click.option("--customers", type=float, help="Customers now (or planned).")
@click.option("--stage", type=click.Choice(advisor.STAGE_NAMES),
              help="Growth stage (§10.3), instead of or with --customers.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Plain text, or JSON for programs.")
@click.pass_context
def advise(ctx: click.Context, scenario_file: Path | None, output_format: str,
           **flags: object) -> None:
    """Score the six factors of §11 and recommend a touch model the ACV pays for."""
    with reported_errors(ctx):
        facts = advisor.scenario_facts(load_scenario(scenario_file)) if scenario_file else None
        advice = advisor.advise(advisor.request_from_flags(flags), facts)
        render = advisor.advice_json if output_format == "json" else advisor.advice_text
        text = render(advice)
    click.echo(text.rstrip("\n"))


for _command in (fit_group, init_command):
    main.add_command(_command)

if __name__ == "__main__":
    main()
