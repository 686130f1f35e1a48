"""``growth.initial_book``: a book of real accounts enters the run exactly as it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from book_support import OWNERS, book_scenario, known_accounts, write_book
from click.testing import CliRunner

from sim.cli import main
from sim.customers.book import ACTIVE, WAITING
from sim.model import build, run
from sim.scenario.schema import load_scenario


def _scenario_file(folder: Path, accounts: pd.DataFrame, name: str = "accounts.csv") -> Path:
    write_book(folder, accounts, name)
    path = folder / "company.yaml"
    path.write_text(yaml.safe_dump(book_scenario(name)))
    return path


def _renewal_month(accounts: pd.DataFrame) -> pd.Series:
    """The book's own next renewal month (0 = January 2025): the date, else the anniversary."""
    start = pd.to_datetime(accounts["start_date"])
    given = pd.to_datetime(accounts["renewal_date"].replace("", None))
    years = 2025 - start.dt.year
    anniversary = start + pd.to_timedelta(0, unit="D")
    anniversary = pd.to_datetime({"year": start.dt.year + years, "month": start.dt.month,
                                  "day": start.dt.day.where(
                                      ~((start.dt.month == 2) & (start.dt.day == 29)), 28)})
    anniversary = anniversary.where(anniversary >= pd.Timestamp("2025-01-01"),
                                    anniversary + pd.DateOffset(years=1))
    date = given.fillna(anniversary)
    return (date.dt.year - 2025) * 12 + date.dt.month - 1


@pytest.mark.parametrize("name", ["accounts.csv", "accounts.parquet"])
def test_the_book_round_trips_at_day_0(tmp_path: Path, name: str) -> None:
    accounts = known_accounts(600, seed=4)
    scenario = load_scenario(_scenario_file(tmp_path, accounts, name))
    world = build(scenario, 1)  # day 0: the book is in place, nothing has run
    book = world.book
    tiers = np.array([tier.name for tier in scenario.tiers])
    rows = book.account_id != ""
    day0 = pd.DataFrame({"account_id": book.account_id[rows], "tier": tiers[book.tier[rows]],
                         "acv": book.acv[rows], "state": book.state[rows],
                         "owner": book.owner[rows]}).set_index("account_id")
    expected = accounts.set_index("account_id").loc[day0.index]
    band = pd.cut(expected["acv"], [0, 20000, 100000, np.inf], right=False,
                  labels=["smb", "mid", "ent"]).astype(str)
    expected_tier = expected["tier"].where(expected["tier"] != "", band)
    assert len(day0) == len(accounts)
    # customers and ARR per tier
    assert day0.groupby("tier").size().to_dict() == expected_tier.value_counts().to_dict()
    assert (day0.groupby("tier")["acv"].sum().to_dict()
            == expected.groupby(expected_tier)["acv"].sum().to_dict())
    # backlog: every account not yet live is signed and waiting for its onboarding
    status = expected["status"]
    assert ((day0["state"] == ACTIVE) == (status == "active")).all()
    assert ((day0["state"] == WAITING) == (status != "active")).all()
    # accounts per named owner: each name is one person holding exactly its accounts
    live = expected[status == "active"]
    for tier, names in OWNERS.items():
        for owner in names:
            mine = live[(expected_tier[live.index] == tier) & (live["owner"] == owner)].index
            people = set(day0.loc[mine, "owner"])
            assert len(people) == 1 and -1 not in people
            person = next(iter(people))
            assert (day0["owner"] == person).sum() == len(mine)


def test_renewals_due_per_month_are_the_books_own(tmp_path: Path) -> None:
    accounts = known_accounts(500, seed=5)
    result = run(load_scenario(_scenario_file(tmp_path, accounts)), 2)
    tiers = result.timeseries[result.timeseries["tier"] == "all"]
    due = tiers.groupby("period")["renewals_due"].sum()
    expected = _renewal_month(accounts).value_counts()
    for month in range(12):
        assert due.get(month + 1, 0) == expected.get(month, 0), month
    customers = result.customers
    assert set(customers["account_id"]) == set(accounts["account_id"])
    # ARR at the start: the book's ARR
    assert tiers["arr_start"].iloc[0] == accounts["acv"].sum()
    assert result.manifest["initial_book_sha256"]


def test_every_bad_row_is_listed_and_nothing_is_written(tmp_path: Path) -> None:
    accounts = known_accounts(20, seed=6).astype({"acv": object})
    accounts.loc[2, "acv"] = "12k"
    accounts.loc[5, ["start_date", "status", "onboarding_started"]] = ["2025-02-01", "active",
                                                                       ""]  # after day 0
    accounts.loc[7, "tier"] = "enterprise"
    accounts.loc[9, "status"] = "live"
    accounts.loc[11, "account_id"] = accounts.loc[10, "account_id"]
    accounts.loc[12, "renewal_date"] = "2024-06-30"        # already past
    accounts["regoin"] = ""                                 # a misspelt column
    path = _scenario_file(tmp_path, accounts)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2
    book = tmp_path / "accounts.csv"
    assert result.output.splitlines() == [
        f"error: {book}: column regoin = 'regoin': unknown column (did you mean 'region'?)",
        f"error: {book}: line 13, column account_id = '{accounts.loc[10, 'account_id']}': "
        "repeats an earlier account_id",
        f"error: {book}: line 4, column acv = '12k': not a number",
        f"error: {book}: line 7, column start_date = '2025-02-01': after the scenario's "
        "start_date (2025-01-01)",
        f"error: {book}: line 11, column status = 'live': must be one of active, onboarding, "
        "waiting (did you mean 'active'?)",
        f"error: {book}: line 9, column tier = 'enterprise': not a tier of the scenario (smb, "
        "mid, ent)",
        f"error: {book}: line 14, column renewal_date = '2024-06-30': before the scenario's "
        "start_date (2025-01-01): give the next renewal",
    ]
    assert not out.exists()


def test_the_book_needs_a_start_date_and_replaces_the_counts(tmp_path: Path) -> None:
    path = _scenario_file(tmp_path, known_accounts(5))
    data = yaml.safe_load(path.read_text())
    data.pop("start_date")
    data["growth"]["initial_customers"] = {"smb": 3}
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "growth.initial_book = 'accounts.csv': give the book or initial_customers" in \
        result.output


def test_theta_is_drawn_from_the_posterior_given_tenure(tmp_path: Path) -> None:
    """Accounts that survived k renewals have mean θ = α / (α + β + k) (the sBG posterior)."""
    n = 6000
    rng = np.random.default_rng(9)
    years = rng.integers(0, 6, n)
    start = [f"{2024 - int(k)}-06-15" for k in years]     # k anniversaries before 2025-01-01
    accounts = pd.DataFrame({"account_id": [f"T{i}" for i in range(n)], "acv": 5000,
                             "start_date": start})
    scenario = load_scenario(_scenario_file(tmp_path, accounts))
    book = build(scenario, 3).book
    alpha, beta = 1.0, 6.0                                 # the smb tier of book_scenario
    theta = pd.Series(book.theta[: n]).groupby(years).agg(["mean", "var", "size"])
    for k, row in theta.iterrows():
        expected = alpha / (alpha + beta + k)
        assert abs(row["mean"] - expected) < 4 * np.sqrt(row["var"] / row["size"]), (k, row)


def test_an_onboarding_under_way_keeps_the_work_already_done(tmp_path: Path) -> None:
    accounts = pd.DataFrame({
        "account_id": ["old", "new"], "acv": [50000, 50000],
        "start_date": ["2024-06-01", "2024-12-20"], "status": ["onboarding", "waiting"],
        "complexity": ["low", "low"], "onboarding_started": ["2024-06-10", ""]})
    result = run(load_scenario(_scenario_file(tmp_path, accounts)), 1)
    golive = result.customers.set_index("account_id")["golive_day"]
    # six months of a low-complexity onboarding (mean 14 days) are done: live on day 0
    assert golive["old"] < 1.0
    assert golive["new"] > 1.0


def test_the_work_estimate_counts_the_books_accounts(tmp_path: Path) -> None:
    from sim.scenario.work_estimate import estimate

    scenario = load_scenario(_scenario_file(tmp_path, known_accounts(250, seed=2)))
    assert estimate(scenario).customers == 250  # no arrivals in book_scenario


def test_the_customers_table_has_the_registered_columns_with_a_book(tmp_path: Path) -> None:
    from sim.outputs.columns import column_names

    result = run(load_scenario(_scenario_file(tmp_path, known_accounts(30, seed=3))), 0)
    assert list(result.customers.columns) == column_names("customers", start_date=True,
                                                          initial_book=True)
