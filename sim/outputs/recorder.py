"""The period recorder: closes each output period and turns the run into tidy tables."""

from __future__ import annotations

from collections import deque
from collections.abc import Generator

import numpy as np
import pandas as pd
import simpy

from sim.core.calendar import YEAR_DAYS, period_days, periods_per_year
from sim.core.clock import LAST, OrderedTimeout
from sim.core.counters import POOL_COUNTERS
from sim.customers.book import ACTIVE, ONBOARDING, WAITING
from sim.org.costs import other_costs
from sim.org.cs_ops import csm_productivity_gain
from sim.org.routing import csm_pool_indices, csm_pools_serving
from sim.outputs.activity_cost import allocate_by_activity, leadership_weights
from sim.outputs.economics import costs_over_time, retention
from sim.outputs.series_columns import WORKFORCE_ORDER
from sim.outputs.tables import ADDITIVE, SUMS, derive_timeseries, spread_weeks
from sim.policies.run import PolicyRun
from sim.scenario.vocabulary import CSM
from sim.work.activity import take_hours
from sim.work.desks import onboarding_backlog_weeks


def _with_totals(by_tier: np.ndarray) -> np.ndarray:
    """A (figure, tier) array with a last column of totals over the tiers."""
    return np.column_stack([by_tier, by_tier.sum(axis=1)])


class Recorder:
    """Closes output periods and keeps their rows.

    Args:
        world: the run.
    """

    def __init__(self, world: PolicyRun) -> None:
        self.world = world
        self.days = period_days(world.scenario.output_period)
        self.lookback = periods_per_year(world.scenario.output_period)
        self.tier_rows: list[dict] = []
        self.pool_rows: list[dict] = []
        self.snapshots: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=self.lookback + 1)
        """Book snapshots (ARR and tier per customer) of the last ``lookback`` period ends and
        the current one: the oldest is the base of the trailing-year retention."""
        self.previous_arr = np.zeros(len(world.scenario.tiers))
        self.hours_to_date = np.zeros((len(world.scenario.pools), len(world.scenario.tiers)))
        staffed = {pool.region for pool in world.scenario.pools}
        self.regional_teams = np.array([region.name in staffed
                                        for region in world.scenario.org.regions], dtype=bool)

    def start(self) -> None:
        """Take the day-0 snapshot (the initial book and backlog)."""
        arr_by_tier, snapshot = self._arr()
        self.previous_arr = arr_by_tier
        self.snapshots.append(snapshot)

    def run(self) -> Generator[simpy.Event, None, None]:
        """Close every period at its end, after all other events at that instant."""
        world = self.world
        period = 0
        while world.now < world.horizon - 1e-9:
            end = min((period + 1) * self.days, world.horizon)
            yield OrderedTimeout(world.env, end - world.now, LAST)
            self._close(period + 1, end - period * self.days)
            period += 1

    def _arr(self) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        book = self.world.book
        paying = book.paying()
        arr = np.where(paying, book.acv, 0)
        size = len(self.world.scenario.tiers)
        return np.bincount(book.tier, arr.astype(float), size), (arr, book.tier.copy())

    def _close(self, period: int, length: float) -> None:
        world = self.world
        counters = world.tier_counters.take()
        arr_by_tier, snapshot = self._arr()
        self.snapshots.append(snapshot)
        customer_days = world.paying_level.take_area(world.now)
        backlog_area = world.waiting_level.take_area(world.now)
        person_days = world.headcount_level.take_area(world.now)
        strategy_cost = costs_over_time(world.costs_over_time, world.now - length, world.now,
                                        customer_days)
        hours = take_hours(world.ledger)
        self.hours_to_date += hours
        cost = allocate_by_activity(world.scenario, person_days, customer_days, hours,
                                    self.hours_to_date) + other_costs(
            world.scenario, customer_days, length) + strategy_cost
        leadership_rows: list[dict] = []
        if world.leadership.derived:
            leadership_cost, leadership_rows = world.leadership.close(
                world.now, period, leadership_weights(hours, self.hours_to_date, customer_days))
            cost = cost + leadership_cost
        grr, nrr = self._retention(period, snapshot)
        self._tier_rows(period, length, counters, arr_by_tier, backlog_area, cost, grr, nrr)
        self._strategy_columns(strategy_cost)
        self._pool_rows(period, person_days)
        self.pool_rows.extend(leadership_rows)
        self.previous_arr = arr_by_tier

    def _strategy_columns(self, strategy_cost: np.ndarray) -> None:
        """The newest strategy change, its phase, its share of customers and its cost."""
        world, book = self.world, self.world.book
        size = len(world.scenario.tiers)
        latest = world.changes[-1] if world.changes else None
        paying = book.paying()
        on_latest = paying & (book.profile == (latest.profile if latest else 0))
        counts = np.bincount(book.tier[paying], minlength=size)
        moved = np.bincount(book.tier[on_latest], minlength=size)
        for tier, row in enumerate(self.tier_rows[-(size + 1):]):
            pick = slice(None) if tier == size else tier
            total = float(np.sum(counts[pick]))
            row.update(strategy=latest.rule.name if latest else "base",
                       strategy_phase=latest.phase(world.now) if latest else "",
                       strategy_share=float(np.sum(moved[pick])) / total if total else np.nan,
                       strategy_cost=float(np.sum(strategy_cost[pick])))

    def _retention(self, period: int, snapshot: tuple) -> tuple[np.ndarray, np.ndarray]:
        size = len(self.world.scenario.tiers) + 1
        if period < self.lookback:
            return np.full(size, np.nan), np.full(size, np.nan)
        base_arr, base_tier = self.snapshots[0]  # taken ``lookback`` periods ago
        return retention(base_arr, base_tier, snapshot[0], size - 1)

    def _tier_rows(self, period: int, length: float, counters: dict, arr: np.ndarray,
                   backlog_area: np.ndarray, cost: np.ndarray, grr: np.ndarray,
                   nrr: np.ndarray) -> None:
        world, book = self.world, self.world.book
        size = len(world.scenario.tiers)
        states = {state: np.bincount(book.tier[book.state == state], minlength=size)
                  for state in (WAITING, ONBOARDING, ACTIVE)}
        backlog_weeks = onboarding_backlog_weeks(world)
        csms = self._csm_headcount()
        accounts = self._csm_accounts()
        small_regions = self._regions_below_min_scale()
        tickets_open = world.support.open_tickets()
        outreach_open = world.triggers.open_outreach()
        counted = (*ADDITIVE, *SUMS)
        summed = {"customers_active": states[ACTIVE], "customers_onboarding": states[ONBOARDING],
                  "onboarding_backlog": states[WAITING], "onboarding_backlog_mean": backlog_area,
                  "arr_start": self.previous_arr, "arr": arr, "tickets_open": tickets_open,
                  "cs_cost": cost, "outreach_open": outreach_open}
        # Every per-tier figure and its total over tiers, in one reduction per kind.
        counts = _with_totals(np.array([counters[name] for name in counted], dtype=float))
        figures = _with_totals(np.array([np.asarray(values, dtype=float)
                                         for values in summed.values()]))
        totals = dict(zip(summed, figures.tolist(), strict=True))
        for tier in range(size + 1):
            pick = slice(None) if tier == size else tier
            row: dict[str, object] = dict(zip(counted, counts[:, tier].tolist(), strict=True))
            row.update(
                period=period, day=world.now,
                tier="all" if tier == size else world.scenario.tiers[tier].name,
                customers_active=int(totals["customers_active"][tier]),
                customers_onboarding=int(totals["customers_onboarding"][tier]),
                onboarding_backlog=int(totals["onboarding_backlog"][tier]),
                onboarding_backlog_mean=float(totals["onboarding_backlog_mean"][tier]) / length,
                onboarding_backlog_weeks=float(np.max(backlog_weeks[pick])),
                arr_start=float(totals["arr_start"][tier]), arr=float(totals["arr"][tier]),
                grr_ttm=float(grr[tier]), nrr_ttm=float(nrr[tier]),
                csm_headcount=float(csms[tier]), csm_accounts=float(accounts[tier]),
                tickets_open=int(totals["tickets_open"][tier]),
                cs_cost=float(totals["cs_cost"][tier]), period_days=length,
                outreach_open=int(totals["outreach_open"][tier]),
                regions_below_min_scale=small_regions,
            )
            self.tier_rows.append(row)

    def _over_csm_pools(self, per_pool: np.ndarray) -> np.ndarray:
        """A figure per pool summed over the CSM pools serving each tier, then over all of them."""
        world = self.world
        totals = np.zeros(len(world.scenario.tiers) + 1)
        for tier in range(len(totals) - 1):
            totals[tier] = sum(per_pool[pool.index] for pool in csm_pools_serving(world, tier))
        totals[-1] = sum(per_pool[pool.index] for pool in world.pools_with_role(CSM))
        return totals

    def _csm_headcount(self) -> np.ndarray:
        """Headcount of the CSM pools serving each tier, then of all CSM pools."""
        return self._over_csm_pools(np.array([len(pool.members) for pool in self.world.pools]))

    def _csm_accounts(self) -> np.ndarray:
        """Live human-touch accounts of the CSM pools serving each tier (all their tiers).

        A tier is human-touch if any service profile touches it. The last element counts the
        accounts of all CSM pools.
        """
        world, book = self.world, self.world.book
        touched = world.profiles.human_tiers()
        live = np.flatnonzero((book.state == ACTIVE) & touched[book.tier])
        per_pool = np.bincount(csm_pool_indices(world, live) + 1,
                               minlength=len(world.pools) + 1)[1:].astype(float)
        return self._over_csm_pools(per_pool)

    def _regions_below_min_scale(self) -> int:
        """Regions with a regional team and fewer customers under contract than the minimum."""
        book = self.world.book
        if not self.regional_teams.any():
            return 0
        counts = np.bincount(book.region[book.paying()], minlength=len(self.regional_teams))
        minimum = self.world.scenario.org.min_customers_per_region
        return int(np.sum(self.regional_teams & (counts < minimum)))

    def _pool_rows(self, period: int, person_days: np.ndarray) -> None:
        world = self.world
        counters = world.pool_counters.take()
        for pool in world.pools:
            burnout = [person.burnout for person in pool.members]
            self.pool_rows.append(dict(
                period=period, day=world.now, pool=pool.name, role=pool.role,
                work_priority=world.scenario.work_priority.of_pool(pool.role,
                                                                   pool.spec.touch_priority),
                region=pool.spec.region or "",
                headcount=len(pool.members),
                **{name: int(counters[name][pool.index]) for name in POOL_COUNTERS},
                burnout_mean=float(np.mean(burnout)) if burnout else np.nan,
                burnout_max=float(np.max(burnout)) if burnout else np.nan,
                cost=person_days[pool.index] * pool.spec.annual_cost / YEAR_DAYS,
                open_requisitions=pool.open_requisitions,
                productivity_gain=csm_productivity_gain(world, pool, world.now),
            ))

    def timeseries(self) -> pd.DataFrame:
        """The (period, tier) table with derived ratios."""
        return derive_timeseries(pd.DataFrame(self.tier_rows), self.world.scenario)

    def workforce(self) -> pd.DataFrame:
        """The (period, pool) table, with each week's hours shared by the periods it spans."""
        frame = pd.DataFrame(self.pool_rows)
        ends = np.array(sorted(set(frame["day"])))
        hours = spread_weeks(self.world.weeks, ends, len(self.world.pools))
        pool_index = frame["pool"].map({pool.name: pool.index for pool in self.world.pools})
        staffed = pool_index.notna().to_numpy()  # derived leadership rows have no hours
        row = frame["period"].to_numpy()[staffed] - 1
        column = pool_index[staffed].to_numpy(dtype=np.int64)
        for name, values in hours.items():
            frame[name] = np.full(len(frame), np.nan)
            frame.loc[staffed, name] = values[row, column]
        return frame[list(WORKFORCE_ORDER)]
