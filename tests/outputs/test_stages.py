"""Growth stages by customer count (§10.1, §10.3) and the §10.1 breaking points."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.outputs.stages import (
    CHOOSING_MODEL,
    CUSTOMERS_150,
    CUSTOMERS_400,
    MISSED_RENEWALS,
    ONBOARDING_BACKLOG,
    PERSON_AT_CAPACITY,
    TEAM_STRUCTURE,
    THIRD_CS_HIRE,
    breaking_points,
    classify_stage,
    stage_name,
    stage_number,
    stage_series,
)

TEAM_STRUCTURE_CASES = [(0, 1), (49, 1), (49.99, 1), (50, 2), (199, 2), (199.5, 2), (200, 3),
                        (499, 3), (500, 4), (100_000, 4)]
CHOOSING_MODEL_CASES = [(0, 1), (99, 1), (100, 2), (499, 2), (500, 3), (1_999, 3), (2_000, 4),
                        (1e6, 4)]


@pytest.mark.parametrize(("customers", "stage"), TEAM_STRUCTURE_CASES)
def test_team_structure_stages_include_their_start(customers: float, stage: int) -> None:
    assert classify_stage(customers) == stage
    assert classify_stage(customers, "team-structure") == stage
    assert classify_stage(customers, TEAM_STRUCTURE) == stage


@pytest.mark.parametrize(("customers", "stage"), CHOOSING_MODEL_CASES)
def test_choosing_model_stages_include_their_start(customers: float, stage: int) -> None:
    assert classify_stage(customers, "choosing-model") == stage


@pytest.mark.parametrize(("scheme", "cases"), [("team-structure", TEAM_STRUCTURE_CASES),
                                               ("choosing-model", CHOOSING_MODEL_CASES)])
def test_stage_series_classifies_every_count(scheme: str, cases: list) -> None:
    counts = [count for count, _ in cases]
    expected = [stage for _, stage in cases]
    from_array = stage_series(np.array(counts), scheme)
    from_series = stage_series(pd.Series(counts, index=range(10, 10 + len(counts))), scheme)
    assert from_array.tolist() == expected
    assert from_series.tolist() == expected
    assert from_array.dtype == np.int64
    assert stage_series(np.array([], dtype=float), scheme).shape == (0,)


@pytest.mark.parametrize("bad", [-1, -0.001, math.nan])
def test_negative_or_missing_counts_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="customers = .*must be a number >= 0"):
        classify_stage(bad)
    with pytest.raises(ValueError, match="customers"):
        stage_series(pd.Series([10.0, bad]))


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(ValueError, match="scheme = 'business'"):
        classify_stage(10, "business")  # type: ignore[arg-type]


def test_names_and_numbers_round_trip() -> None:
    for scheme in (TEAM_STRUCTURE, CHOOSING_MODEL):
        for number, name in enumerate(scheme.names, start=1):
            assert stage_name(number, scheme) == name
            assert stage_number(name, scheme) == number
    assert stage_name(2, "choosing-model") == "early-scaling"
    assert stage_name(4) == "mature"


def test_bad_stage_names_and_numbers() -> None:
    with pytest.raises(ValueError, match="stage = 5: must be 1 to 4"):
        stage_name(5)
    with pytest.raises(ValueError, match="stage = 'seed'"):
        stage_number("seed", "choosing-model")


def test_bounds_are_half_open() -> None:
    assert TEAM_STRUCTURE.bounds(1) == (0, 50)
    assert TEAM_STRUCTURE.bounds(2) == (50, 200)
    assert CHOOSING_MODEL.bounds(3) == (500, 2_000)
    assert CHOOSING_MODEL.bounds(4) == (2_000, math.inf)


@pytest.mark.parametrize(("kwargs", "fired"), [
    # Stage 1 (0-50 customers): the 3rd CS person, a person at 50 accounts.
    ({"customers": 30, "cs_headcount": 2}, ()),
    ({"customers": 30, "cs_headcount": 3}, (THIRD_CS_HIRE,)),
    ({"customers": 30, "max_accounts_per_person": 49.9}, ()),
    ({"customers": 30, "max_accounts_per_person": 50}, (PERSON_AT_CAPACITY,)),
    ({"customers": 49, "cs_headcount": 4, "max_accounts_per_person": 75},
     (THIRD_CS_HIRE, PERSON_AT_CAPACITY)),
    # Stage 2 (50-200): 150 customers, backlog over 6 weeks, a missed renewal.
    ({"customers": 149}, ()),
    ({"customers": 150}, (CUSTOMERS_150,)),
    ({"customers": 199}, (CUSTOMERS_150,)),
    ({"customers": 100, "onboarding_backlog_weeks": 6.0}, ()),
    ({"customers": 100, "onboarding_backlog_weeks": 6.01}, (ONBOARDING_BACKLOG,)),
    ({"customers": 100, "missed_renewals": 0}, ()),
    ({"customers": 100, "missed_renewals": 1}, (MISSED_RENEWALS,)),
    ({"customers": 160, "onboarding_backlog_weeks": 9, "missed_renewals": 2},
     (CUSTOMERS_150, ONBOARDING_BACKLOG, MISSED_RENEWALS)),
    # Stage 3 (200-500): 400 customers.
    ({"customers": 200}, ()),
    ({"customers": 399}, ()),
    ({"customers": 400}, (CUSTOMERS_400,)),
    ({"customers": 499.9}, (CUSTOMERS_400,)),
    # Stage 4 (500+): none.
    ({"customers": 500, "onboarding_backlog_weeks": 20, "missed_renewals": 9}, ()),
])
def test_breaking_points_fire_at_their_thresholds(kwargs: dict, fired: tuple) -> None:
    assert breaking_points(**kwargs) == fired


def test_only_the_current_stage_is_checked() -> None:
    late = {"cs_headcount": 12, "max_accounts_per_person": 80, "onboarding_backlog_weeks": 8,
            "missed_renewals": 3}
    assert breaking_points(300, **late) == ()
    assert breaking_points(300, stage=2, **late) == (CUSTOMERS_150, ONBOARDING_BACKLOG,
                                                     MISSED_RENEWALS)
    assert breaking_points(300, stage=1, **late) == (THIRD_CS_HIRE, PERSON_AT_CAPACITY)


def test_unknown_inputs_do_not_fire() -> None:
    assert breaking_points(30) == ()
    assert breaking_points(100) == ()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"customers": -1}, "customers = -1"),
    ({"customers": 10, "cs_headcount": -1}, "cs_headcount = -1"),
    ({"customers": 100, "onboarding_backlog_weeks": math.nan}, "onboarding_backlog_weeks = nan"),
    ({"customers": 10, "stage": 0}, "stage = 0"),
])
def test_bad_breaking_point_inputs(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        breaking_points(**kwargs)
