"""The "what the comparison shows" paragraph of a sweep or compare report, from its statistics.

A plan is called better or worse on a KPI only when the 95% CI of its paired difference
against the baseline excludes zero (``sim.outputs.formats.verdict``).
"""

from __future__ import annotations

import pandas as pd

from sim.outputs.formats import kpi_change, kpi_spread, kpi_unit, percent, verdict
from sim.report_html.page import Section, paragraph
from sim.report_html.source import ExperimentSource

MAX_PLANS_TOLD = 8
"""Plans described one by one; a larger sweep is summarised by its tables and charts."""


def findings(source: ExperimentSource) -> Section:
    """One sentence per plan (better on ..., worse on ...), and the requirement's best plan."""
    others = [plan for plan in source.plan_order if plan != source.baseline]
    sentences = [_plan_sentence(source, plan) for plan in others[:MAX_PLANS_TOLD]]
    if len(others) > MAX_PLANS_TOLD:
        sentences.append(f"{len(others) - MAX_PLANS_TOLD} more plans are in the tables below.")
    if source.requirements is not None and len(source.requirements):
        sentences.append(_requirement_sentence(source.requirements))
    return Section("findings", "What the comparison shows",
                   paragraph(" ".join(sentences), "story"),
                   f"Against {source.baseline}, over common random numbers; a difference "
                   "counts only when its 95% confidence interval excludes zero.")


def _plan_sentence(source: ExperimentSource, plan: str) -> str:
    rows = source.comparison[source.comparison["plan"] == plan]
    groups: dict[str, list[str]] = {"better": [], "worse": [], "higher": [], "lower": []}
    unclear = 0
    for row in rows.itertuples():
        cue = verdict(str(row.kpi), row.difference_ci_low, row.difference_ci_high)
        if not cue:
            unclear += 1
            continue
        half = (row.difference_ci_high - row.difference_ci_low) / 2
        groups[cue].append(f"{kpi_unit(str(row.kpi)).label or row.kpi} "
                           f"({kpi_change(str(row.kpi), row.difference, compact=True)} ± "
                           f"{kpi_spread(str(row.kpi), half, compact=True)})")
    parts = [f"{cue} on {'; '.join(items)}" for cue, items in groups.items() if items]
    if not parts:
        return f"{plan} shows no clear difference from {source.baseline} on any KPI."
    rest = f" No clear difference on {unclear} other KPIs." if unclear else ""
    return f"{plan} is {'. It is '.join(parts)}.{rest}"


def _requirement_sentence(requirements: pd.DataFrame) -> str:
    best = requirements.sort_values(["probability", "ci_low"], ascending=False).iloc[0]
    return (f"{best['plan']} meets {best['requirement']} most often: in "
            f"{percent(best['probability'], 0)} of replicates (95% CI "
            f"{percent(best['ci_low'], 0)} to {percent(best['ci_high'], 0)}).")
