"""``cssim init``: the scenario it writes validates and runs, for flags and for a book."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from book_support import known_accounts, write_book
from click.testing import CliRunner

from sim.cli import main
from sim.model import run
from sim.scenario.schema import load_scenario


def _init(tmp_path: Path, *flags: str) -> Path:
    output = tmp_path / "my_company.yaml"
    result = CliRunner().invoke(main, ["init", *flags, "--horizon", "3", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {output}")
    return output


@pytest.mark.parametrize("flags", [
    (),
    ("--customers", "800", "--team", "specialist"),
    ("--tiers", "self_serve:0:tech,growth:25000:medium,strategic:150000:high",
     "--customers", "300", "--arrivals", "12", "--start-date", "2026-04"),
])
def test_the_written_scenario_validates_and_runs(tmp_path: Path, flags: tuple[str, ...]) -> None:
    path = _init(tmp_path, *flags)
    scenario = load_scenario(path)
    result = run(scenario, 0)
    assert len(result.timeseries) > 0
    text = path.read_text()
    # every field line carries its comment
    fields = [line for line in text.splitlines() if ":" in line and not line.startswith("#")]
    assert all("#" in line for line in fields), [line for line in fields if "#" not in line]


def test_the_team_follows_the_source_ratios(tmp_path: Path) -> None:
    path = _init(tmp_path, "--customers", "800", "--team", "specialist")
    pools = {pool.name: pool for pool in load_scenario(path).pools}
    # §4.1 mix 60/30/10 of 800: 240 low-touch at 50 a CSM, 80 high-touch at 12 a CSM
    assert pools["csm_mid_market"].headcount == 5
    assert pools["csm_enterprise"].headcount == 7
    assert pools["support"].headcount == 8            # 800 / 100 (§7.1)
    assert pools["renewals"].headcount == 4           # 320 renewals a year / 100 (§7.1)
    assert pools["implementation"].headcount == 6     # 16 a month x 12 / 35 (§7.1)
    assert pools["cs_ops"].headcount == 2             # 12 CSMs / 8 (§7.1)


def test_a_book_gives_the_tiers_and_the_scenario_loads_it(tmp_path: Path) -> None:
    accounts = known_accounts(400, seed=8)
    books = tmp_path / "data"
    books.mkdir()
    book = write_book(books, accounts)
    output = _init(tmp_path, "--from-book", str(book), "--team", "specialist")
    data = yaml.safe_load(output.read_text())
    assert data["growth"]["initial_book"] == "data/accounts.csv"
    assert data["start_date"] == "2025-01"            # the month after the latest start date
    scenario = load_scenario(output)
    # the book's own tier names, and its share of accounts in each (blank: by the bands)
    mix = {tier.name: tier.mix for tier in scenario.tiers}
    assert set(mix) == {"smb", "mid", "ent"}
    by_band = {tier.name: tier.contains for tier in scenario.tiers}
    tier = accounts["tier"].where(accounts["tier"] != "", None)
    band = accounts["acv"].map(lambda acv: next(n for n, has in by_band.items() if has(acv)))
    share = tier.fillna(band).value_counts(normalize=True)
    assert mix == pytest.approx(share.to_dict(), abs=1e-3)
    result = run(scenario, 1)
    assert set(accounts["account_id"]) <= set(result.customers["account_id"])


def test_nothing_is_written_on_a_bad_book_or_an_existing_file(tmp_path: Path) -> None:
    accounts = known_accounts(10).astype({"acv": object})
    accounts.loc[3, "acv"] = "n/a"
    book = write_book(tmp_path, accounts)
    output = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["init", "--from-book", str(book), "-o", str(output)])
    assert result.exit_code == 2
    assert result.output == f"error: {book}: line 5, column acv = 'n/a': not a number\n"
    assert not output.exists()
    output.write_text("keep me")
    result = CliRunner().invoke(main, ["init", "-o", str(output)])
    assert result.exit_code == 2 and output.read_text() == "keep me"
