"""The "what happened" paragraph of a run's report, written from the run's own figures.

Each sentence is one function of the run that returns a sentence or nothing; the paragraph is
the sentences that apply, in order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.outputs.formats import count, missing, money, number, percent
from sim.report_html.page import Section, paragraph
from sim.report_html.run_sections import BACKLOG_FLAG_WEEKS, total
from sim.report_html.source import RunSource

BURNOUT_FLAG = 0.5
"""Reporting threshold: a pool whose mean burnout reaches this is said to burn out (burnout is
0..1; a reading aid of the report, not a model parameter)."""
COST_SHARE_RANGE = (5.0, 15.0)
"""§3.2: CS cost should be 5-15% of annual customer revenue."""


def what_happened(source: RunSource) -> Section:
    """The paragraph: growth, backlog, accounts per CSM, burnout, service, retention, cost."""
    sentences = [sentence for write in SENTENCES if (sentence := write(source))]
    return Section("story", "What happened", paragraph(" ".join(sentences), "story"),
                   "Written from the figures of this run.")


def _growth(source: RunSource) -> str:
    row = source.tables["summary"].iloc[0]
    periods = int(row["periods"])
    unit = source.calendar.axis_title.lower() + ("s" if periods != 1 else "")
    return (f"Over {periods} {unit}, from {source.calendar.label(1)} to "
            f"{source.calendar.label(periods)}, customers went "
            f"from {count(row['customers_start'])} to {count(row['customers_end'])} and ARR "
            f"from {money(row['arr_start'])} to {money(row['arr_end'])}; "
            f"{count(row['churned_customers'])} customers churned.")


def _backlog(source: RunSource) -> str:
    everyone = total(source)
    weeks = everyone["onboarding_backlog_weeks"].to_numpy(dtype=float)
    over = np.flatnonzero(weeks > BACKLOG_FLAG_WEEKS)
    abandoned = int(source.tables["summary"].iloc[0]["abandoned_customers"])
    lost = f"; {abandoned} customers abandoned before go-live" if abandoned else ""
    if not len(over):
        return (f"The onboarding backlog stayed within {BACKLOG_FLAG_WEEKS:g} weeks of work "
                f"(peak {number(np.nanmax(weeks) if len(weeks) else np.nan)} weeks){lost}.")
    peak = int(np.nanargmax(np.where(np.isnan(weeks), -np.inf, weeks)))
    label = source.calendar.label
    return (f"The onboarding backlog first exceeded {BACKLOG_FLAG_WEEKS:g} weeks of work in "
            f"{label(int(everyone['period'].iloc[over[0]]))} and peaked at "
            f"{number(weeks[peak])} weeks ({count(everyone['onboarding_backlog'].iloc[peak])} "
            f"customers waiting) in {label(int(everyone['period'].iloc[peak]))}{lost}.")


def _accounts(source: RunSource) -> str:
    series = source.tables["timeseries"]
    served = series[(series["tier"] != "all") & series["accounts_per_csm"].notna()
                    & series["accounts_per_csm_target"].notna()]
    if served.empty:
        return ""
    over = served[served["accounts_per_csm"] > served["accounts_per_csm_target"]]
    if over.empty:
        return "Every tier's CSMs stayed at or below their target accounts per CSM."
    worst = served.loc[(served["accounts_per_csm"] / served["accounts_per_csm_target"]).idxmax()]
    first = over.sort_values("period").iloc[0]
    return (f"CSMs went over their target ratio from {source.calendar.label(first['period'])} "
            f"({first['tier']}); the worst was {number(worst['accounts_per_csm'])} accounts per "
            f"CSM in {worst['tier']} against a target of "
            f"{number(worst['accounts_per_csm_target'])}.")


def _burnout(source: RunSource) -> str:
    workforce = source.tables["workforce"]
    burned = workforce[workforce["burnout_mean"] >= BURNOUT_FLAG].sort_values(["period", "pool"])
    row = source.tables["summary"].iloc[0]
    people = (f" {count(row['hires'])} people were hired and {count(row['departures'])} "
              "left.")
    if burned.empty:
        peak = workforce["burnout_mean"].max()
        return (f"No pool's mean burnout reached {BURNOUT_FLAG:g} (highest "
                f"{number(peak, 2)}).{people}")
    first = burned.iloc[0]
    pools = list(dict.fromkeys(burned["pool"]))
    others = f"; later {', '.join(pools[1:])}" if len(pools) > 1 else ""
    return (f"{first['pool']} was the first pool to burn out (mean burnout "
            f"{number(first['burnout_mean'], 2)} in {source.calendar.label(first['period'])})"
            f"{others}.{people}")


def _service(source: RunSource) -> str:
    row = source.tables["summary"].iloc[0]
    return (f"{percent(row['touches_missed_share'])} of scheduled touches were missed, "
            f"{percent(row['sla_breach_share'])} of tickets breached their SLA and "
            f"{count(row['missed_renewals'])} renewals were missed.")


def _retention_and_cost(source: RunSource) -> str:
    row = source.tables["summary"].iloc[0]
    share = float(row["cs_cost_pct_arr_ttm"])
    low, high = COST_SHARE_RANGE
    verdict = ("below" if share < low else "above" if share > high else "inside")
    retention = (f"In the last twelve months GRR was {percent(row['grr_ttm_last'])} and NRR "
                 f"{percent(row['nrr_ttm_last'])}; CS cost was"
                 if not missing(row["grr_ttm_last"]) else
                 "GRR and NRR need a year of history, which this run does not reach. In the last "
                 "year CS cost was")
    return (f"{retention} {percent(share, scale=1.0)} of ARR, {verdict} the {low:g}-{high:g}% "
            "rule of thumb (§3.2).")


SENTENCES: tuple[Callable[[RunSource], str], ...] = (
    _growth, _backlog, _accounts, _burnout, _service, _retention_and_cost)
"""The sentences of the paragraph, in order; each returns "" when it has nothing to say."""
