"""Numbers for people: money with units and separators, shares as percentages, KPI units.

Used by the terminal summaries, the HTML report and the spreadsheet export, so that a figure
reads the same everywhere. Missing values (None, NaN) print as ``n/a``.

Each sweep KPI has a unit and the direction a CS leader calls better (``KPI_UNITS``); a share
(0..1) prints as a percentage and its differences in percentage points (``pts``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

NOT_AVAILABLE = "n/a"

Unit = Literal["usd", "share", "percent", "weeks", "days", "customers", "people", "score"]
Better = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class KpiUnit:
    """How a KPI reads: its label, its unit and which direction is better.

    Attributes:
        label: the KPI in words, for headings and tables.
        unit: ``usd``; ``share`` (a fraction, shown as %); ``percent`` (already in %);
            ``weeks``, ``days``, ``customers``, ``people``; ``score`` (burnout, 0..1).
        better: ``higher`` or ``lower`` is better, or ``neither``.
    """

    label: str
    unit: Unit
    better: Better


KPI_UNITS: dict[str, KpiUnit] = {
    "arr_end": KpiUnit("ARR at the end", "usd", "higher"),
    "grr": KpiUnit("GRR, last 12 months", "share", "higher"),
    "nrr": KpiUnit("NRR, last 12 months", "share", "higher"),
    "backlog_weeks_max": KpiUnit("Peak onboarding backlog", "weeks", "lower"),
    "weeks_backlog_over_6": KpiUnit("Time with backlog over 6 weeks", "weeks", "lower"),
    "burnout_max": KpiUnit("Peak burnout (anyone)", "score", "lower"),
    "departures": KpiUnit("Departures", "people", "lower"),
    "cs_cost_pct_arr": KpiUnit("CS cost % of mean ARR, last 12 months", "percent", "lower"),
    "total_cost": KpiUnit("CS cost, whole run", "usd", "lower"),
    "customers_end": KpiUnit("Customers at the end", "customers", "higher"),
    "churned": KpiUnit("Customers churned", "customers", "lower"),
    "abandoned": KpiUnit("Abandoned before go-live", "customers", "lower"),
    "backlog_max": KpiUnit("Peak onboarding backlog", "customers", "lower"),
    "wait_days_mean": KpiUnit("Mean onboarding wait", "days", "lower"),
    "hires": KpiUnit("Hires", "people", "neither"),
    "missed_renewals": KpiUnit("Renewals missed", "customers", "lower"),
    "touches_missed_share": KpiUnit("Touches missed", "share", "lower"),
    "sla_breach_share": KpiUnit("Tickets breaching SLA", "share", "lower"),
    "utilisation_max": KpiUnit("Peak utilisation (anyone)", "share", "neither"),
}
"""Unit and better direction of every recorded sweep KPI (``sim.experiments.kpis``)."""

_PLAIN = KpiUnit("", "score", "neither")
_SUFFIX = {"weeks": " wk", "days": " d", "customers": "", "people": "", "score": ""}


def missing(value: object) -> bool:
    """Whether a value is absent: None or NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, compact: bool = False) -> str:
    """``$1,234,567`` (or ``$1.23M``, ``$452k`` when compact); negative as ``-$1,234``."""
    if missing(value):
        return NOT_AVAILABLE
    amount = float(value)  # type: ignore[arg-type]
    sign = "-" if amount < 0 else ""
    if math.isinf(amount):
        return f"{sign}$inf"
    amount = abs(amount)
    if compact:
        for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if amount >= scale:
                return f"{sign}${f'{amount / scale:#.3g}'.rstrip('.')}{suffix}"
    return f"{sign}${amount:,.0f}"


def percent(value: float | None, digits: int = 1, scale: float = 100.0) -> str:
    """A share (0..1) as ``86.2%``; ``scale=1`` for a value already in percent."""
    if missing(value):
        return NOT_AVAILABLE
    return f"{float(value) * scale:.{digits}f}%"  # type: ignore[arg-type]


def count(value: float | None) -> str:
    """A whole number with separators: ``1,234``."""
    if missing(value):
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    return str(number) if math.isinf(number) else f"{round(number):,}"


def number(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """A number with separators and ``digits`` decimals (``+`` shown when ``signed``)."""
    if missing(value):
        return NOT_AVAILABLE
    return f"{float(value):{'+' if signed else ''},.{digits}f}"  # type: ignore[arg-type]


def kpi_unit(kpi: str) -> KpiUnit:
    """The unit of a KPI (a plain number, neither better, for an unknown one)."""
    return KPI_UNITS.get(kpi, KpiUnit(kpi, _PLAIN.unit, _PLAIN.better))


def kpi_value(kpi: str, value: float | None, compact: bool = False) -> str:
    """A KPI value in its unit: ``$17,912,554`` (``$17.9M`` compact), ``86.2%``, ``26.3 wk``."""
    unit = kpi_unit(kpi).unit
    if unit == "usd":
        return money(value, compact)
    if unit in ("share", "percent"):
        return percent(value, scale=100.0 if unit == "share" else 1.0)
    if unit in ("customers", "people"):
        return count(value) if _whole(value) else number(value)
    return _suffixed(number(value, 2 if unit == "score" else 1), unit)


def kpi_change(kpi: str, value: float | None, compact: bool = False) -> str:
    """A difference in a KPI's unit, signed: ``+$120,000``, ``+3.8 pts``, ``-1.2 wk``."""
    unit = kpi_unit(kpi).unit
    if missing(value):
        return NOT_AVAILABLE
    amount = float(value)  # type: ignore[arg-type]
    if unit == "usd":
        return ("+" if amount > 0 else "") + money(amount, compact)
    if unit in ("share", "percent"):
        points = amount * (100.0 if unit == "share" else 1.0)
        return f"{points:+.1f} pts"
    return _suffixed(number(amount, 2 if unit == "score" else 1, signed=True), unit)


def kpi_spread(kpi: str, half_width: float | None, compact: bool = False) -> str:
    """A CI half-width in a KPI's unit, unsigned: ``$81,200``, ``2.2 pts``, ``0.4 wk``."""
    return kpi_change(kpi, half_width, compact).lstrip("+")


def better_text(kpi: str) -> str:
    """``higher is better``, ``lower is better`` or ``""``."""
    better = kpi_unit(kpi).better
    return "" if better == "neither" else f"{better} is better"


def verdict(kpi: str, low: float | None, high: float | None) -> str:
    """``better`` or ``worse`` when a difference's CI excludes 0, else ``""`` (no clear change).

    The direction comes from ``KPI_UNITS``; a KPI where neither direction is better gives
    ``higher`` or ``lower`` instead.
    """
    if missing(low) or missing(high) or (low <= 0 <= high):  # type: ignore[operator]
        return ""
    up = float(low) > 0  # type: ignore[arg-type]
    better = kpi_unit(kpi).better
    if better == "neither":
        return "higher" if up else "lower"
    return "better" if up == (better == "higher") else "worse"


def _whole(value: float | None) -> bool:
    return not missing(value) and math.isfinite(float(value)) and float(value).is_integer()  # type: ignore[arg-type]


def _suffixed(text: str, unit: str) -> str:
    return text if text == NOT_AVAILABLE else text + _SUFFIX.get(unit, "")
