"""A tier's churn: the shifted-beta-geometric model, given as α and β or as annual churn.

Each customer has a churn probability θ per renewal, θ ~ Beta(α, β) across customers
(Fader & Hardie 2007). Analysts more often know the *annual churn* — the share of a new cohort
lost at its first renewal, m = α / (α + β) — and how much lower churn is a year later. With
φ = 1 / (α + β + 1) (the *heterogeneity*: the spread of θ among customers) the churn of the
survivors at their second renewal is α / (α + β + 1) = m (1 − φ). So

    α + β = 1/φ − 1,   α = m (α + β),   β = (1 − m)(α + β),

and a second-year churn c₂ < m gives φ = 1 − c₂ / m.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field, model_validator

from sim.scenario.base import Model

DEFAULT_HETEROGENEITY = 0.25
"""φ when only ``annual_churn`` is given: second-year churn a quarter below the first
(assumption, between the two segments Fader & Hardie 2007 fit: φ = 0.35 "regular" and 0.18
"high end")."""
CONSISTENT = 1e-9
"""Relative tolerance within which given α, β must agree with a given annual churn."""


def alpha_beta(annual_churn: float, heterogeneity: float) -> tuple[float, float]:
    """α and β of mean first-renewal churn m and heterogeneity φ = 1 / (α + β + 1)."""
    total = 1.0 / heterogeneity - 1.0
    return annual_churn * total, (1.0 - annual_churn) * total


class Churn(Model):
    """Shifted-beta-geometric churn: a customer's churn probability per renewal is θ ~ Beta(α, β).

    With every service effect neutral the surviving share after t renewals is
    S(t) = B(α, β + t) / B(α, β) (Fader & Hardie 2007). Mean first-renewal churn is α / (α + β).
    Give either ``alpha`` and ``beta`` or ``annual_churn`` (with ``heterogeneity`` or
    ``second_year_churn``); the α and β used are stored either way (and so in the run manifest).
    ``cssim fit retention`` estimates α and β from your history.
    """

    alpha: float = Field(gt=0, json_schema_extra={"required_unless": "annual_churn"})
    """α of the Beta distribution of θ (assumption, calibrated per scenario; or derived from
    ``annual_churn``)."""
    beta: float = Field(gt=0, json_schema_extra={"required_unless": "annual_churn"})
    """β of the Beta distribution of θ (assumption, calibrated per scenario; or derived from
    ``annual_churn``)."""
    annual_churn: float | None = Field(None, gt=0, lt=1)
    """Instead of α, β: share of new customers lost at their first renewal (0.12 = 12% logo
    churn a year); α / (α + β)."""
    heterogeneity: float | None = Field(None, gt=0, lt=1)
    """With ``annual_churn``: φ = 1 / (α + β + 1), how unlike customers are; second-year churn
    is annual_churn × (1 − φ) (default 0.25, assumption; Fader & Hardie's fits: 0.18-0.35)."""
    second_year_churn: float | None = Field(None, gt=0, lt=1)
    """With ``annual_churn``, instead of ``heterogeneity``: share of the survivors lost at the
    second renewal; must be below ``annual_churn`` (the model's churn falls with tenure)."""

    @model_validator(mode="before")
    @classmethod
    def _from_annual_churn(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("annual_churn") is None:
            if isinstance(data, dict) and (data.get("heterogeneity") is not None
                                           or data.get("second_year_churn") is not None):
                raise ValueError("heterogeneity and second_year_churn go with annual_churn")
            return data
        rate = data["annual_churn"]
        # an out-of-range rate (or heterogeneity) is reported by its field's own check; the
        # placeholders keep alpha and beta from being reported missing as well
        placeholders = {"alpha": 1.0, "beta": 1.0, **data}
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 < rate < 1:
            return placeholders
        phi = _heterogeneity(rate, data.get("heterogeneity"), data.get("second_year_churn"))
        if phi is None:
            return placeholders
        alpha, beta = alpha_beta(rate, phi)
        for name, value in (("alpha", alpha), ("beta", beta)):
            given = data.get(name)
            if given is not None and not math.isclose(given, value, rel_tol=CONSISTENT):
                raise ValueError(f"{name} = {given}: give either alpha and beta or annual_churn "
                                 f"(annual_churn {rate} means {name} {value:.6g})")
        return {**data, "alpha": alpha, "beta": beta}


def _heterogeneity(rate: float, phi: Any, second: Any) -> float | None:
    if phi is not None and second is not None:
        raise ValueError(f"second_year_churn = {second}: give heterogeneity or "
                         "second_year_churn, not both")
    if second is None:
        return DEFAULT_HETEROGENEITY if phi is None else (
            phi if isinstance(phi, int | float) and 0 < phi < 1 else None)
    if not isinstance(second, int | float) or isinstance(second, bool) or not 0 < second < 1:
        return None
    if second >= rate:
        raise ValueError(f"second_year_churn = {second}: must be below annual_churn ({rate}); "
                         "in the sBG model churn falls with tenure")
    return 1.0 - second / rate
