"""A real initial book: the accounts of ``growth.initial_book`` (CSV or parquet) as arrays.

Columns: ``account_id``, ``acv`` (USD a year, rounded to whole dollars), ``start_date``
(``YYYY-MM-DD``); optional ``renewal_date`` (the next renewal; blank: the start date's next
anniversary after day 0), ``tier`` (blank: the tier whose ACV band holds the ACV), ``owner``
(a CSM's name or id), ``region`` (with ``org.regions``), ``status`` (``active``, the default;
``onboarding``; ``waiting`` for onboarding), ``complexity`` (``low``/``medium``/``high``;
blank: drawn from the tier's mix) and ``onboarding_started`` (status ``onboarding``: the date
the work began; the days since count as work done). Day 0 is the first day of the scenario's
``start_date`` month. Every bad cell is one line naming the file, row, column and value, and a
book with any bad row is refused as a whole.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from sim.core.dates import anniversaries, clock_days, epoch_day, shift_years
from sim.core.table_input import Problems, read_table


class Scenario(Protocol):
    """What the book needs of a scenario (``sim.scenario.schema.Scenario``)."""

    @property
    def start_date(self) -> str | None:  # noqa: D102
        ...

    @property
    def tiers(self) -> Sequence[Any]:  # noqa: D102
        ...

    @property
    def org(self) -> Any:  # noqa: D102
        ...

    @property
    def growth(self) -> Any:  # noqa: D102
        ...

STATUSES = ("active", "onboarding", "waiting")
"""Account statuses, in the order the accounts enter the run (active first, then the
onboardings under way ahead of those still waiting, so that they take the first free slots)."""
STATUS_ACTIVE, STATUS_ONBOARDING, STATUS_WAITING = range(3)
COLUMNS = ("account_id", "acv", "start_date", "renewal_date", "tier", "owner", "region",
           "status", "complexity", "onboarding_started")
REQUIRED = ("account_id", "acv", "start_date")


@dataclass(frozen=True)
class InitialBook:
    """The accounts of a real initial book, ordered active, onboarding, waiting.

    Days count from day 0 (the scenario's start month); NaN or -1 where a column is blank.
    """

    account_id: np.ndarray
    acv: np.ndarray
    tier: np.ndarray
    status: np.ndarray
    renewals_survived: np.ndarray
    renewal_day: np.ndarray
    owner: np.ndarray
    region: np.ndarray
    complexity: np.ndarray
    work_done_days: np.ndarray
    digest: str

    @property
    def size(self) -> int:
        """Accounts in the book."""
        return len(self.acv)

    @property
    def live(self) -> np.ndarray:
        """Mask of the accounts live at day 0 (status active)."""
        return self.status == STATUS_ACTIVE


def check_book_fields(scenario: Scenario) -> None:
    """A book replaces the counts per tier and needs the start date its dates count from."""
    growth = scenario.growth
    if growth.initial_book is None:
        return
    if growth.initial_customers or growth.initial_backlog:
        raise ValueError(f"growth.initial_book = {growth.initial_book!r}: give the book "
                         "or initial_customers and initial_backlog, not both")
    if scenario.start_date is None:
        raise ValueError(f"growth.initial_book = {growth.initial_book!r}: needs the "
                         "scenario's start_date (YYYY-MM), the day 0 the book's dates "
                         "count from")


_CACHE: dict[tuple, InitialBook] = {}


def load_book(scenario: Scenario) -> InitialBook | None:
    """The scenario's initial book (None without one), read once per file version.

    Raises:
        InputError: every bad row and column, one line each.
    """
    path = scenario.growth.initial_book
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        from sim.core.errors import InputError

        raise InputError([f"{path}: growth.initial_book: no such file"]) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size, _scenario_key(scenario))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = read_book(path, scenario)
    return _CACHE[key]


def initial_count(scenario: Scenario) -> int:
    """Customers under contract at day 0: the book's accounts, else the counts per tier."""
    growth = scenario.growth
    if growth.initial_book is not None:
        book = load_book(scenario)
        return 0 if book is None else book.size
    return sum(growth.initial_customers.values()) + sum(growth.initial_backlog.values())


def _scenario_key(scenario: Scenario) -> tuple:
    return (scenario.start_date, tuple((tier.name, tier.acv_min) for tier in scenario.tiers),
            tuple(region.name for region in scenario.org.regions))


def read_book(path: str | Path, scenario: Scenario) -> InitialBook:
    """Read and check a book file against the scenario's tiers, regions and start date."""
    frame = read_table(path)
    problems = Problems(path, frame)
    unknown = [column for column in frame.columns if column not in COLUMNS]
    for column in unknown:
        problems.add(None, column, column, "unknown column" + _suggest(column, COLUMNS))
    if not problems.require(REQUIRED):
        problems.raise_any()
    start_month = scenario.start_date or ""
    day0 = epoch_day(start_month)
    accounts = problems.text("account_id")
    problems.add_rows(np.flatnonzero((accounts == "").to_numpy()), "account_id", "missing")
    repeated = accounts.duplicated(keep="first") & (accounts != "")
    problems.add_rows(np.flatnonzero(repeated.to_numpy()), "account_id",
                      "repeats an earlier account_id")
    acv = problems.numbers("acv", minimum=1)
    start = problems.dates("start_date")
    late = np.flatnonzero(start > day0)
    problems.add_rows(late, "start_date", f"after the scenario's start_date "
                                          f"({scenario.start_date}-01)")
    status = _choice(problems, "status", STATUSES, default=0)
    tier = _tiers(problems, scenario, acv)
    complexity = _choice(problems, "complexity", ("low", "medium", "high"), default=-1)
    region = _regions(problems, scenario)
    renewal, survived = _renewals(problems, start, start_month)
    work_done = _work_done(problems, status, start, start_month)
    problems.raise_any()
    order = np.argsort(status, kind="stable")
    owner = problems.text("owner").to_numpy(dtype=object) if "owner" in frame else \
        np.full(len(frame), "", dtype=object)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return InitialBook(
        account_id=accounts.to_numpy(dtype=object)[order],
        acv=np.rint(acv).astype(np.int64)[order], tier=tier[order], status=status[order],
        renewals_survived=survived[order], renewal_day=renewal[order], owner=owner[order],
        region=region[order], complexity=complexity[order], work_done_days=work_done[order],
        digest=digest)


def _suggest(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _choice(problems: Problems, column: str, options: tuple[str, ...],
            default: int) -> np.ndarray:
    """Index of each row's value among ``options`` (``default`` where blank)."""
    n = len(problems.frame)
    if column not in problems.frame:
        return np.full(n, default, dtype=np.int64)
    text = problems.text(column).str.lower()
    lookup = {name: index for index, name in enumerate(options)}
    values = text.map(lookup).to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(np.isnan(values) & (text != "").to_numpy())
    for row in bad:
        value = problems.frame[column].iloc[int(row)]
        problems.add(int(row), column, value,
                     f"must be one of {', '.join(options)}" + _suggest(str(value), options))
    return np.where(np.isnan(values), default, values).astype(np.int64)


def _tiers(problems: Problems, scenario: Scenario, acv: np.ndarray) -> np.ndarray:
    """The given tier, else the tier whose band holds the ACV."""
    names = [tier.name for tier in scenario.tiers]
    lower = np.array([tier.acv_min for tier in scenario.tiers])
    order = np.argsort(lower)
    band = order[np.clip(np.searchsorted(lower[order], np.nan_to_num(acv), side="right") - 1,
                         0, None)]
    if "tier" not in problems.frame:
        return band.astype(np.int64)
    text = problems.text("tier")
    given = text.map({name: index for index, name in enumerate(names)})
    given_values = given.to_numpy(dtype=float, na_value=np.nan)
    for row in np.flatnonzero(np.isnan(given_values) & (text != "").to_numpy()):
        value = problems.frame["tier"].iloc[int(row)]
        problems.add(int(row), "tier", value,
                     f"not a tier of the scenario ({', '.join(names)})"
                     + _suggest(str(value), names))
    return np.where(np.isnan(given_values), band, given_values).astype(np.int64)


def _regions(problems: Problems, scenario: Scenario) -> np.ndarray:
    n = len(problems.frame)
    names = [region.name for region in scenario.org.regions]
    if "region" not in problems.frame or not names:
        return np.full(n, -1, dtype=np.int64)  # without org.regions the column is not used
    return _choice(problems, "region", tuple(names), default=-1)


def _renewals(problems: Problems, start: np.ndarray,
              start_month: str) -> tuple[np.ndarray, np.ndarray]:
    """Clock day of each account's next renewal and the renewals it has survived by day 0."""
    day0 = epoch_day(start_month)
    known = np.isfinite(start)
    survived = np.zeros(len(start), dtype=np.int64)
    survived[known] = anniversaries(start[known], np.full(known.sum(), day0))
    renewal = shift_years(start, survived + 1)
    if "renewal_date" in problems.frame:
        given = problems.dates("renewal_date", required=False)
        problems.add_rows(np.flatnonzero(given < day0), "renewal_date",
                          f"before the scenario's start_date ({start_month}-01): give the "
                          "next renewal")
        renewal = np.where(np.isfinite(given), given, renewal)
    return np.maximum(clock_days(renewal, start_month), 1e-9), survived


def _work_done(problems: Problems, status: np.ndarray, start: np.ndarray,
               start_month: str) -> np.ndarray:
    """Days of onboarding already done by day 0 (accounts with status onboarding)."""
    done = np.zeros(len(status))
    if "onboarding_started" not in problems.frame:
        return done
    began = problems.dates("onboarding_started", required=False)
    given = np.isfinite(began)
    onboarding = status == STATUS_ONBOARDING
    problems.add_rows(np.flatnonzero(given & ~onboarding), "onboarding_started",
                      "only an account with status onboarding has one")
    problems.add_rows(np.flatnonzero(given & (began > epoch_day(start_month))),
                      "onboarding_started", "after the scenario's start_date")
    problems.add_rows(np.flatnonzero(given & (began < start)), "onboarding_started",
                      "before the account's start_date")
    return np.where(given & onboarding, np.clip(-clock_days(began, start_month), 0, None), 0.0)
