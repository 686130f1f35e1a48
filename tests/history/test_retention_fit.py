"""``cssim fit retention``: the sBG maximum-likelihood fit against published figures, against
data the engine itself simulated with known α, β, and the coverage of its intervals."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from retention_support import cohort_scenario, engine_history

from sim.cli import main
from sim.history.sbg import Lifetimes, fit, survival

# Fader & Hardie (2007), "How to project customer retention", Table 1 and the estimates fitted
# on years 0-7: "regular" α = 0.704, β = 1.182; "high end" α = 0.668, β = 3.806.
PUBLISHED = {
    "regular": ([1000, 631, 468, 382, 326, 289, 262, 241], 0.704, 1.182),
    "high_end": ([1000, 869, 743, 653, 593, 551, 517, 491], 0.668, 3.806),
}


def _cohort(alive: list[int]) -> Lifetimes:
    lost = {year: alive[year - 1] - alive[year] for year in range(1, len(alive))}
    return Lifetimes.of(lost, {len(alive) - 1: alive[-1]})


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_the_fit_reproduces_fader_and_hardie(name: str) -> None:
    alive, alpha, beta = PUBLISHED[name]
    result = fit(_cohort(alive))
    # the paper prints three decimals: the estimates agree to its rounding
    assert result.alpha == pytest.approx(alpha, abs=6e-4)
    assert result.beta == pytest.approx(beta, abs=6e-4)
    assert result.alpha_ci[0] < alpha < result.alpha_ci[1]


def test_the_cohort_table_command_gives_the_published_fit(tmp_path: Path) -> None:
    alive = PUBLISHED["regular"][0]
    path = tmp_path / "cohorts.csv"
    path.write_text("year,alive\n" + "".join(f"{y},{a}\n" for y, a in enumerate(alive)))
    result = CliRunner().invoke(main, ["fit", "retention", str(path), "--json", "--project", "5"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["alpha"] == pytest.approx(0.704, abs=6e-4)
    assert record["beta"] == pytest.approx(1.182, abs=6e-4)
    rows = record["survival"]
    assert len(rows) == len(alive) + 5
    assert [row["at_risk"] for row in rows[: len(alive)]] == [1000] + alive[:-1]
    # the projection of year 12 is the paper's 12-year forecast (20.9% vs 17.3% observed)
    assert rows[12]["fitted"] == pytest.approx(survival(0.704, 1.182, 12), rel=1e-3)
    assert rows[12]["observed"] is None


def _within(value: float, interval: tuple[float, float] | list[float]) -> bool:
    return interval[0] <= value <= interval[1]


@pytest.mark.parametrize(("label", "per_month", "months"), [
    ("one cohort observed to the horizon", 3000.0, 1.0),
    ("a cohort a month, the younger right-censored", 60.0, 72.0),
])
def test_the_fit_recovers_the_engines_alpha_and_beta(tmp_path: Path, label: str,
                                                     per_month: float, months: float) -> None:
    alpha, beta = 0.8, 3.0
    path, as_of = engine_history(cohort_scenario(alpha, beta, per_month, months, 72), 7, tmp_path)
    result = CliRunner().invoke(main, ["fit", "retention", str(path), "--as-of", as_of,
                                       "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert _within(alpha, record["alpha_ci"]), (label, record)
    assert _within(beta, record["beta_ci"]), (label, record)
    # the intervals are informative: a factor of about 2 at these sample sizes, not unbounded
    assert record["alpha_ci"][1] / record["alpha_ci"][0] < 3


def _simulated(rng: np.random.Generator, alpha: float, beta: float, n: int,
               oldest: int) -> Lifetimes:
    """n customers with θ ~ Beta(α, β), cohorts of ages 1..oldest (right-censored)."""
    theta = rng.beta(alpha, beta, n)
    lifetime = rng.geometric(theta)
    age = rng.integers(1, oldest + 1, n)
    lost = np.bincount(lifetime[lifetime <= age], minlength=oldest + 1)
    survived = np.bincount(age[lifetime > age], minlength=oldest + 1)
    return Lifetimes(lost.astype(float), survived.astype(float))


def test_the_95_percent_intervals_cover_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(2026)
    alpha, beta, fits = 0.7, 2.5, 160
    covered = np.zeros(2)
    for _ in range(fits):
        result = fit(_simulated(rng, alpha, beta, 800, 6))
        covered += [_within(alpha, result.alpha_ci), _within(beta, result.beta_ci)]
    share = covered / fits
    tolerance = 3 * math.sqrt(0.95 * 0.05 / fits)  # three binomial standard errors
    assert np.all(np.abs(share - 0.95) < tolerance), share


def test_an_account_history_counts_renewals_by_anniversary(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("start_date,end_date,tier\n"
                    "2020-03-01,2021-03-01,a\n"     # lost at the 1st renewal
                    "2020-03-01,2021-03-20,a\n"     # ended 19 days late: still the 1st
                    "2020-03-01,2021-06-01,a\n"     # ended mid-year after renewing: the 2nd
                    "2020-03-01,,a\n"               # active at the as-of date: 5 renewals
                    "2024-03-02,,b\n")              # active, one day short of a renewal: 0
    from sim.history.retention_data import read_lifetimes

    groups = read_lifetimes(path, as_of="2025-03-01")
    assert groups["a"].lost.tolist() == [0, 2, 1, 0, 0, 0]
    assert groups["a"].survived.tolist() == [0, 0, 0, 0, 0, 1]
    assert groups["b"].survived.tolist() == [1]


def test_every_bad_row_is_listed_and_nothing_is_fitted(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_text("cohort,year,alive\n2019,0,100\n2019,1,abc\n2020,0,100\n2020,1,120\n"
                    "2021,0,-5\n")
    result = CliRunner().invoke(main, ["fit", "retention", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == [
        f"error: {path}: line 3, column alive = 'abc': not a number",
        f"error: {path}: line 6, column alive = '-5': must be >= 0",
    ]
    path.write_text("cohort,year,alive\n2019,0,100\n2019,1,120\n2020,0,100\n2020,2,80\n")
    lines = CliRunner().invoke(main, ["fit", "retention", str(path)]).output.splitlines()
    assert lines == [
        f"error: {path}: line 3, column alive = 120.0: more than the year before (100): alive "
        "must not increase within a cohort",
        f"error: {path}: line 5, column year = 2: years of a cohort must run 0, 1, 2, ... "
        "without gaps or repeats (expected 1)",
    ]


def test_the_json_is_keyed_by_tier_when_grouped(tmp_path: Path) -> None:
    rows = ["cohort,year,alive,tier"]
    for tier, alive in PUBLISHED.items():
        rows += [f"2015,{year},{count},{tier}" for year, count in enumerate(alive[0])]
    path = tmp_path / "cohorts.csv"
    path.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(main, ["fit", "retention", str(path), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert sorted(records) == ["high_end", "regular"]
    for tier, (_, alpha, beta) in PUBLISHED.items():
        assert records[tier]["alpha"] == pytest.approx(alpha, abs=6e-4)
        assert records[tier]["beta"] == pytest.approx(beta, abs=6e-4)
