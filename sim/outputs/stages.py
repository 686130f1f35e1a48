"""Growth stages of a CS organisation by customer count, and the signs that it is time to move on.

Two schemes, both from §10 (they disagree on the boundaries, §14):

- ``team-structure`` (§10.1, also §10.2): 1 startup 0–50, 2 early scale 50–200, 3 scaled
  operations 200–500, 4 mature organisation 500+ customers.
- ``choosing-model`` (§10.3, the growth-stage factor of §11): 1 startup 0–100, 2 early scaling
  100–500, 3 growth 500–2,000, 4 scale 2,000+ customers.

Boundary convention: a stage holds ``[start, next start)``, so a count on a boundary belongs to
the later stage (50 customers is stage 2 of ``team-structure``), as an ACV on a tier edge belongs
to the tier above. Counts may be fractional (expected values); they must be >= 0.

Pure functions of plain numbers; nothing here runs a simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

SchemeName = Literal["team-structure", "choosing-model"]


@dataclass(frozen=True)
class StageScheme:
    """A set of growth stages: where each starts (in customers) and what it is called."""

    name: SchemeName
    """How the scheme is named on the command line and in code."""
    section: str
    """The section of docs/sources.md it comes from."""
    starts: tuple[int, ...]
    """First customer count of stages 1, 2, ...; the first is 0."""
    names: tuple[str, ...]
    """Stage names, in order (stage 1 first)."""

    def bounds(self, stage: int) -> tuple[int, float]:
        """Customer counts ``[start, end)`` of a stage (end is infinity for the last)."""
        index = _stage_index(stage, self)
        end = self.starts[index + 1] if index + 1 < len(self.starts) else float("inf")
        return self.starts[index], end


TEAM_STRUCTURE = StageScheme(
    name="team-structure", section="§10.1", starts=(0, 50, 200, 500),
    names=("startup", "early-scale", "scaled-operations", "mature"))
"""§10.1 (team-structure article; the business-models article of §10.2 agrees)."""

CHOOSING_MODEL = StageScheme(
    name="choosing-model", section="§10.3", starts=(0, 100, 500, 2_000),
    names=("startup", "early-scaling", "growth", "scale"))
"""§10.3 (choosing-model article): the bands of growth-stage factor 6 (§11.1)."""

SCHEMES: dict[str, StageScheme] = {scheme.name: scheme for scheme in (TEAM_STRUCTURE,
                                                                      CHOOSING_MODEL)}
"""The schemes by name."""


def scheme_of(scheme: SchemeName | StageScheme) -> StageScheme:
    """The scheme itself, given it or its name."""
    if isinstance(scheme, StageScheme):
        return scheme
    try:
        return SCHEMES[scheme]
    except KeyError:
        raise ValueError(f"scheme = {scheme!r}: must be one of {sorted(SCHEMES)}") from None


def stage_series(customers: np.ndarray | pd.Series,
                 scheme: SchemeName | StageScheme = "team-structure") -> np.ndarray:
    """Stage (1, 2, ...) of each customer count, e.g. one per period of a time series.

    Args:
        customers: Customer counts, >= 0 (fractional counts are fine).
        scheme: ``"team-structure"`` (§10.1) or ``"choosing-model"`` (§10.3).

    Returns:
        An integer array of the same length; a count on a boundary gets the later stage.

    Raises:
        ValueError: a count is negative or not a number.
    """
    chosen = scheme_of(scheme)
    counts = np.asarray(customers, dtype=float)
    bad = np.isnan(counts) | (counts < 0)
    if bad.any():
        raise ValueError(f"customers = {counts[bad][0]:g}: must be a number >= 0")
    starts = np.asarray(chosen.starts, dtype=float)
    return np.searchsorted(starts, counts, side="right").astype(np.int64)


def classify_stage(customers: float, scheme: SchemeName | StageScheme = "team-structure") -> int:
    """Stage (1, 2, ...) of one customer count; see :func:`stage_series`."""
    return int(stage_series(np.array([customers], dtype=float), scheme)[0])


def stage_name(stage: int, scheme: SchemeName | StageScheme = "team-structure") -> str:
    """Name of a stage number, e.g. ``stage_name(2, "choosing-model") == "early-scaling"``."""
    chosen = scheme_of(scheme)
    return chosen.names[_stage_index(stage, chosen)]


def stage_number(name: str, scheme: SchemeName | StageScheme = "team-structure") -> int:
    """Number of a stage name, e.g. ``stage_number("growth", "choosing-model") == 3``."""
    chosen = scheme_of(scheme)
    if name not in chosen.names:
        raise ValueError(f"stage = {name!r}: must be one of {', '.join(chosen.names)} "
                         f"({chosen.name} scheme, {chosen.section})")
    return chosen.names.index(name) + 1


def _stage_index(stage: int, scheme: StageScheme) -> int:
    if not 1 <= stage <= len(scheme.starts):
        raise ValueError(f"stage = {stage}: must be 1 to {len(scheme.starts)} "
                         f"({scheme.name} scheme)")
    return stage - 1


# §10.1 "move on when", team-structure stages. Each threshold is the lower end of the range the
# source gives, so a flag fires as soon as the organisation enters the range.
STAGE1_CS_HEADCOUNT = 3
"""§10.1 stage 1: move on when hiring the 3rd or 4th CS person (headcount counting the hire)."""
STAGE1_ACCOUNTS_PER_PERSON = 50
"""§10.1 stage 1: ... or when the first person hits capacity, typically 50–75 accounts."""
STAGE2_CUSTOMERS = 150
"""§10.1 stage 2: move on at 150–200 customers."""
STAGE2_ONBOARDING_BACKLOG_WEEKS = 6.0
"""§10.1 stage 2: typical breaking point, an onboarding backlog of more than 6 weeks."""
STAGE2_MISSED_RENEWALS = 0
"""§10.1 stage 2: ... or renewals start being missed (more than this many)."""
STAGE3_CUSTOMERS = 400
"""§10.1 stage 3: move on around 400–500 customers."""


@dataclass(frozen=True)
class BreakingPoint:
    """A §10.1 "move on when" sign: the stage it belongs to and what it says."""

    name: str
    """Identifier of the flag."""
    stage: int
    """Team-structure stage (§10.1) whose end it signals."""
    rule: str
    """The sign in words, with its threshold."""


THIRD_CS_HIRE = BreakingPoint(
    "third_cs_hire", 1, f"CS headcount (counting hires) >= {STAGE1_CS_HEADCOUNT}")
PERSON_AT_CAPACITY = BreakingPoint(
    "person_at_capacity", 1,
    f"one CS person holds >= {STAGE1_ACCOUNTS_PER_PERSON} accounts (capacity 50–75)")
CUSTOMERS_150 = BreakingPoint("customers_150", 2, f"customers >= {STAGE2_CUSTOMERS}")
ONBOARDING_BACKLOG = BreakingPoint(
    "onboarding_backlog", 2, f"onboarding backlog > {STAGE2_ONBOARDING_BACKLOG_WEEKS:g} weeks")
MISSED_RENEWALS = BreakingPoint("missed_renewals", 2, "renewals are being missed")
CUSTOMERS_400 = BreakingPoint("customers_400", 3, f"customers >= {STAGE3_CUSTOMERS}")
BREAKING_POINTS = (THIRD_CS_HIRE, PERSON_AT_CAPACITY, CUSTOMERS_150, ONBOARDING_BACKLOG,
                   MISSED_RENEWALS, CUSTOMERS_400)
"""Every §10.1 sign, in stage order. Stage 4 has none (continuous optimisation)."""


def breaking_points(customers: float, *, cs_headcount: float | None = None,
                    max_accounts_per_person: float | None = None,
                    onboarding_backlog_weeks: float | None = None,
                    missed_renewals: float | None = None,
                    stage: int | None = None) -> tuple[BreakingPoint, ...]:
    """The §10.1 signs that the organisation has outgrown its team-structure stage.

    Only the signs of the current stage are checked (the 3rd CS hire says nothing at 300
    customers); the stage is the team-structure stage of ``customers`` unless given. A sign
    whose input is ``None`` (unknown) does not fire. "Entering a new market or segment"
    (stage 3) is not a number and is not checked.

    Args:
        customers: Customers now (>= 0).
        cs_headcount: CS people, counting hires in progress.
        max_accounts_per_person: Accounts held by the busiest CS person.
        onboarding_backlog_weeks: Weeks of onboarding backlog.
        missed_renewals: Renewals missed recently (any number above 0 fires).
        stage: Team-structure stage (1–4) to check, instead of the one ``customers`` gives.

    Returns:
        The signs that fire, in the order of :data:`BREAKING_POINTS`.

    Raises:
        ValueError: an input is negative or not a number, or the stage is not 1–4.
    """
    current = classify_stage(customers, TEAM_STRUCTURE) if stage is None else stage
    _stage_index(current, TEAM_STRUCTURE)
    fired = {
        THIRD_CS_HIRE: _at_least(cs_headcount, STAGE1_CS_HEADCOUNT, "cs_headcount"),
        PERSON_AT_CAPACITY: _at_least(max_accounts_per_person, STAGE1_ACCOUNTS_PER_PERSON,
                                      "max_accounts_per_person"),
        CUSTOMERS_150: _at_least(customers, STAGE2_CUSTOMERS, "customers"),
        ONBOARDING_BACKLOG: _above(onboarding_backlog_weeks, STAGE2_ONBOARDING_BACKLOG_WEEKS,
                                   "onboarding_backlog_weeks"),
        MISSED_RENEWALS: _above(missed_renewals, STAGE2_MISSED_RENEWALS, "missed_renewals"),
        CUSTOMERS_400: _at_least(customers, STAGE3_CUSTOMERS, "customers"),
    }
    return tuple(point for point in BREAKING_POINTS if fired[point] and point.stage == current)


def _checked(value: float | None, name: str) -> float | None:
    if value is not None and not value >= 0:  # also rejects NaN
        raise ValueError(f"{name} = {value}: must be a number >= 0")
    return value


def _at_least(value: float | None, threshold: float, name: str) -> bool:
    checked = _checked(value, name)
    return checked is not None and checked >= threshold


def _above(value: float | None, threshold: float, name: str) -> bool:
    checked = _checked(value, name)
    return checked is not None and checked > threshold
