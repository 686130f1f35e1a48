"""The commands that start a scenario from a company's own data: ``fit retention``, ``init``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sim.cli_errors import OneLineUsage, reported_errors


@click.group(name="fit")
def fit_group() -> None:
    """Estimate scenario parameters from your own history."""


@fit_group.command(name="retention", cls=OneLineUsage)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--tier-column", metavar="NAME",
              help="Fit each tier separately, by this column  [default: 'tier' if present]")
@click.option("--as-of", metavar="YYYY-MM-DD",
              help="Account history: the date the still-active accounts were seen  "
                   "[default: the latest date in the file]")
@click.option("--project", type=click.IntRange(min=0), default=0, show_default=True,
              help="Add the fitted survival for this many renewals beyond the data.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
@click.pass_context
def retention(ctx: click.Context, file: Path, tier_column: str | None, as_of: str | None,
              project: int, as_json: bool) -> None:
    """Fit the sBG churn (alpha, beta) to a cohort table or account history FILE."""
    from sim.history.retention_data import read_lifetimes
    from sim.history.retention_report import fit_record, fits_json, fits_text
    from sim.history.sbg import fit

    with reported_errors(ctx):
        groups = read_lifetimes(file, tier_column, as_of)
        records = {}
        for group, data in groups.items():
            try:
                records[group] = fit_record(fit(data), data, project)
            except ValueError as error:
                raise ValueError(f"{file}: {'' if group == 'all' else f'tier {group}: '}"
                                 f"{error}") from None
    if as_json:
        click.echo(json.dumps(fits_json(records), indent=2, allow_nan=False))
    else:
        click.echo(fits_text(records, str(file)))


@click.command(name="init", cls=OneLineUsage)
@click.option("--from-book", "book", type=click.Path(path_type=Path, dir_okay=False),
              help="Start from this book of accounts (CSV or parquet, docs/own_company.md).")
@click.option("--tiers", metavar="NAME:ACV_MIN:TOUCH,...",
              help="Tiers, e.g. smb:0:tech,mid:10000:low,ent:100000:high  [default: the "
                   "book's tier column, else §4.1's three tiers]")
@click.option("--customers", type=click.IntRange(min=1), default=100, show_default=True,
              help="Customers today, without --from-book.")
@click.option("--team", type=click.Choice(["generalist", "specialist"]), default="generalist",
              show_default=True, help="Organisation model the team is sized for (§9.2).")
@click.option("--arrivals", type=click.FloatRange(min=0),
              help="New customers a month  [default: 2% of today's customers]")
@click.option("--horizon", type=click.IntRange(1, 240), default=24, show_default=True,
              help="Months to simulate.")
@click.option("--start-date", metavar="YYYY-MM",
              help="Calendar month of day 0  [default with a book: the month after its latest "
                   "start date]")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Scenario file to write (not overwritten).")
@click.pass_context
def init_command(ctx: click.Context, book: Path | None, tiers: str | None, customers: int,
                 team: str, arrivals: float | None, horizon: int, start_date: str | None,
                 output: Path) -> None:
    """Write a complete, commented scenario to start from; it validates and runs."""
    from sim.history.scaffold import write_scaffold

    with reported_errors(ctx):
        summary = write_scaffold(output, book, tiers, customers, team, arrivals, horizon,
                                 start_date)
    click.echo(summary)
