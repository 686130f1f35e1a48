"""Sensitivity studies: plausible ranges, Morris and Sobol indices against theory, noise."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from study_support import (
    ISHIGAMI_PATHS,
    ISHIGAMI_RANGE,
    ishigami,
    ishigami_engine,
    ishigami_variances,
    linear_engine,
)

from sim.core.errors import ScenarioError
from sim.experiments import sensitivity_stats
from sim.experiments.parameters import Parameter, read_parameters, schema_parameters
from sim.experiments.paths import resolve
from sim.experiments.sensitivity import SensitivityDesign
from sim.experiments.studies import sensitivity
from sim.scenario.reference import scenario_reference
from sim.scenario.schema import Scenario, parse_scenario

ISHIGAMI_PARAMS = {path: ISHIGAMI_RANGE for path in ISHIGAMI_PATHS}


def _scenario(base_scenario: dict, description: str = "") -> Scenario:
    return parse_scenario({**base_scenario, "description": description, "horizon_months": 1})


def _bonferroni_factor(checks: int, family: float = 0.99) -> float:
    """How much wider than a 95% interval one of ``checks`` intervals must be (family level)."""
    return float(stats.norm.ppf(1 - (1 - family) / (2 * checks)) / stats.norm.ppf(0.975))


def test_schema_declares_ranges_that_hold_the_defaults(base_scenario: dict) -> None:
    scenario = _scenario(base_scenario)
    parameters = {item.path: item for item in schema_parameters(scenario)}
    for path in ("hiring.ramp_days", "hiring.lead_time_days", "service_effects.under_service",
                 "staff.burnout_gain_per_week", "onboarding.abandonment.scale_days",
                 "cs_ops.gain_at_full_coverage", "tiers.mid.tickets_per_month",
                 "support.hours_per_ticket.T2"):
        assert path in parameters
    data = scenario.model_dump(mode="json")
    for item in parameters.values():
        assert item.low < item.high
        assert item.low <= item.value <= item.high, item
        resolve(data, item.path)  # the path language of --vary reaches it
    ticket_rate = parameters["tiers.mid.tickets_per_month"]
    assert (ticket_rate.low, ticket_rate.high) == pytest.approx(
        (0.5 * ticket_rate.value, 2.0 * ticket_rate.value))


def test_the_reference_shows_the_plausible_ranges() -> None:
    text = scenario_reference()
    assert "*Plausible: 45 to 180 (assumption).*" in text  # hiring.ramp_days
    assert "*Plausible: 0.5 to 2 x the scenario's value (assumption).*" in text


def test_a_parameters_file_takes_ranges_or_the_schemas(base_scenario: dict,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("hiring.ramp_days: null\nstaff.productivity_loss: 0.2:0.4\n"
                    "pools.support.headcount: [1, 4]\n", encoding="utf-8")
    ramp, loss, headcount = read_parameters(path, _scenario(base_scenario))
    assert (ramp.low, ramp.high, ramp.value) == (45.0, 180.0, 90.0)
    assert (loss.low, loss.high) == (0.2, 0.4)
    assert headcount.integer and headcount.scaled(0.4) == 2


@pytest.mark.parametrize(("text", "message"), [
    ("hiring.ramp_dayz: [1, 2]", r"params.yaml: hiring.ramp_dayz = \[1, 2\]: .*no field"),
    ("hiring.ramp_days: [90, 30]", r"hiring.ramp_days = \[90, 30\]: the range needs low < high"),
    ("hiring.ramp_days: [.nan, 30]", r"hiring.ramp_days = \[nan, 30\]: bounds must be finite"),
    ("hiring.ramp_days: [a, 30]", r"expected \[low, high\]"),
    ("pools.support.headcount: null", r"pools.support.headcount = None: the schema declares no"),
    ("pools.support.headcount: [1, 2.5]", r"an integer field needs integer bounds"),
    ("- 3", r"params.yaml: 3 = None: .*no field"),
    ("just text", r"params.yaml: expected a mapping"),
])
def test_a_bad_parameters_file_is_one_clear_error(base_scenario: dict, tmp_path: Path,
                                                  text: str, message: str) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        read_parameters(path, _scenario(base_scenario))


def test_morris_on_a_linear_kpi_gives_its_slopes_and_zero_for_unread_parameters(
        base_scenario: dict) -> None:
    # grr = 2 x1 - 3 x2 with x over a range of width 2 pi: every elementary effect (per whole
    # range) is exactly 2 * 2 pi for x1 and -3 * 2 pi for x2, and 0 for x3 and the unread x4.
    result = sensitivity(_scenario(base_scenario), ISHIGAMI_PARAMS, method="morris", samples=4,
                         replications=1, jobs=1, engine=linear_engine)
    indices = result.indices.set_index("parameter")
    x1, x2, x3, x4 = ISHIGAMI_PATHS
    assert indices.loc[x1, "mu_star"] == pytest.approx(4 * math.pi)
    assert indices.loc[x2, "mu"] == pytest.approx(-6 * math.pi)
    assert indices.loc[x2, "mu_star"] == pytest.approx(6 * math.pi)
    assert indices.loc[[x1, x2], "sigma"].to_numpy() == pytest.approx([0, 0], abs=1e-9)
    assert indices.loc[[x3, x4], "mu_star"].to_numpy() == pytest.approx([0, 0], abs=1e-9)
    assert list(result.indices["parameter"][:2]) == [x2, x1]  # ranked by mu*
    tornado = result.tornado.set_index("parameter")
    assert tornado.loc[x2, "swing"] < 0 < tornado.loc[x1, "swing"]
    assert list(result.tornado["parameter"][:2]) == [x2, x1]  # ranked by |swing|


def _ishigami_design(samples: int) -> SensitivityDesign:
    parameters = tuple(Parameter(path, *ISHIGAMI_RANGE) for path in ISHIGAMI_PATHS)
    return SensitivityDesign("sobol", parameters, samples, seed=3)


def _check_sobol_against_ishigami(indices: pd.DataFrame, noise_variance: float) -> None:
    """S1 and ST within their (Bonferroni-widened) CIs of the analytic Ishigami indices.

    Noise of variance s2 in the point outputs, independent between points, adds to the
    variance decomposed and (in the total-order estimator, which differences two evaluations)
    to every ST: S1 = Vi / (V + s2), ST = (VTi + s2) / (V + s2).
    """
    theory = ishigami_variances()
    whole = theory["V"] + noise_variance
    widen = _bonferroni_factor(8)
    rows = indices.set_index("parameter")
    for number, path in enumerate(ISHIGAMI_PATHS[:3], start=1):
        row = rows.loc[path]
        first = theory[f"V{number}"] / whole
        total = (theory[f"VT{number}"] + noise_variance) / whole
        assert abs(row["S1"] - first) <= widen * row["S1_conf"], (path, row["S1"], first)
        assert abs(row["ST"] - total) <= widen * row["ST_conf"], (path, row["ST"], total)
    unread = rows.loc[ISHIGAMI_PATHS[3]]
    assert unread["ST"] <= noise_variance / whole + widen * unread["ST_conf"] + 1e-12
    assert abs(unread["S1"]) <= widen * unread["S1_conf"] + 1e-12


def test_sobol_indices_of_ishigami_match_theory() -> None:
    # The index computation alone, on outputs computed directly (a large sample is cheap).
    design = _ishigami_design(1024)
    unit = design.unit_sample()
    x = unit[:, :3] * 2 * math.pi - math.pi
    outputs = pd.DataFrame({"y": [ishigami(*row) for row in x]})
    indices = sensitivity_stats.indices(design, unit, outputs)
    _check_sobol_against_ishigami(indices, 0.0)
    assert list(indices["parameter"]) == [ISHIGAMI_PATHS[index] for index in (0, 1, 2, 3)]


@pytest.mark.statistical
def test_sobol_study_of_a_noisy_ishigami_engine_matches_theory(base_scenario: dict) -> None:
    sigma, replications = 0.5, 2
    result = sensitivity(_scenario(base_scenario, str(sigma)), ISHIGAMI_PARAMS, method="sobol",
                         samples=64, replications=replications, seed=3, jobs=1,
                         engine=ishigami_engine)
    _check_sobol_against_ishigami(result.indices, sigma ** 2 / replications)
    # Replicate noise: sigma^2 of the variance of single runs, V + sigma^2. Its estimate pools
    # 384 points x 1 degree of freedom (relative s.e. ~7%), the total ~6%: 4 s.e. ~ 0.35.
    noise = result.noise.iloc[0]
    theory = ishigami_variances()["V"]
    assert noise["within_variance"] == pytest.approx(sigma ** 2, rel=0.3)
    assert noise["noise_share"] == pytest.approx(sigma ** 2 / (theory + sigma ** 2), rel=0.35)
    # Of the point means (each of R runs): sigma^2 / R of V + sigma^2 / R.
    of_means = sigma ** 2 / replications / (theory + sigma ** 2 / replications)
    assert noise["noise_share_of_means"] == pytest.approx(of_means, rel=0.35)


@pytest.mark.parametrize(("method", "samples", "kpis", "message"), [
    ("sobol", 48, ["grr"], "must be a power of 2"),
    ("morris", 1, ["grr"], "must be >= 2"),
    ("morris", 4, ["nope"], "--kpi = 'nope': expected one of"),
    ("anova", 4, ["grr"], "--method = 'anova'"),
    ("sobol", 4096, ["grr"], "24576 sample points; at most 10000"),
])
def test_a_bad_design_is_refused_before_anything_runs(base_scenario: dict, tmp_path: Path,
                                                      method: str, samples: int,
                                                      kpis: list[str], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        sensitivity(_scenario(base_scenario), ISHIGAMI_PARAMS, method=method,  # type: ignore[arg-type]
                    samples=samples, kpis=kpis, out=tmp_path / "out", engine=linear_engine)
    assert not (tmp_path / "out").exists()


def test_the_api_is_reachable_from_the_package() -> None:
    import sim
    from sim.experiments import studies

    assert sim.sensitivity is studies.sensitivity and sim.robustness is studies.robustness


def test_noise_of_a_study_without_replicates_is_not_measured() -> None:
    frame = pd.DataFrame({"point": ["p0001", "p0002"], "replicate": [0, 0], "y": [1.0, 2.0]})
    outputs = sensitivity_stats.point_outputs(frame, 2)
    noise = sensitivity_stats.noise(frame, outputs)
    assert math.isnan(noise["noise_share"]) and math.isnan(noise["noise_share_of_means"])


def test_noise_is_measured_on_the_points_with_replicates() -> None:
    frame = pd.DataFrame({"point": ["p0001", "p0001", "p0002"], "replicate": [0, 1, 0],
                          "y": [1.0, 3.0, 10.0]})  # p0002 lost a replicate
    noise = sensitivity_stats.noise(frame, sensitivity_stats.point_outputs(frame, 2))
    assert noise["within_variance"] == 2.0


def test_a_point_without_output_is_an_error() -> None:
    frame = pd.DataFrame({"point": ["p0001"], "replicate": [0], "y": [1.0]})
    with pytest.raises(ScenarioError, match="1 sample point.*no replicate with a value.*p0002"):
        sensitivity_stats.point_outputs(frame, 2)
    infinite = pd.DataFrame({"point": ["p0001", "p0002"], "replicate": [0, 0],
                             "y": [1.0, np.inf]})
    with pytest.raises(ScenarioError, match="infinite or undefined mean .*p0002"):
        sensitivity_stats.point_outputs(infinite, 2)


def test_morris_noise_floor_is_what_noise_gives_an_unread_parameter(base_scenario: dict) -> None:
    # Independent noise of sd sigma on each run: an elementary effect of an unread parameter is
    # (mean of R noises - mean of R others) / step, so its mean absolute value is
    # sqrt(2 sigma^2 / R) sqrt(2 / pi) / step. Each floor pools 12 effects x 2 degrees of
    # freedom (relative s.e. of the square root ~ 1 / sqrt(2 x 24) ~ 15%): 3 s.e. ~ 45%.
    sigma, replications, step = 0.8, 3, 4 / (2 * 3)
    result = sensitivity(_scenario(base_scenario, f"independent:{sigma}"), ISHIGAMI_PARAMS,
                         samples=12, replications=replications, jobs=1, engine=linear_engine)
    rows = result.indices.set_index("parameter")
    theory = math.sqrt(2 * sigma ** 2 / replications) * math.sqrt(2 / math.pi) / step
    assert rows["noise_floor"].to_numpy() == pytest.approx([theory] * 4, rel=0.45)
    for unread in ISHIGAMI_PATHS[2:]:
        assert rows.loc[unread, "mu_star"] <= 3 * rows.loc[unread, "noise_floor"]
    # The same noise common to every point (common random numbers) cancels in every effect.
    common = sensitivity(_scenario(base_scenario, f"common:{sigma}"), ISHIGAMI_PARAMS,
                         samples=4, replications=2, jobs=1, engine=linear_engine)
    assert common.indices["noise_floor"].to_numpy() == pytest.approx([0] * 4, abs=1e-9)
    assert common.noise["noise_share"].iloc[0] > 0  # yet single runs do vary
