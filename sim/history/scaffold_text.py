"""The scenario ``cssim init`` writes: YAML with a comment on every field.

Each comment says what the field means, its unit and where its value comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.history.scaffold_plan import ANNUAL_CHURN, PoolPlan, TierPlan
from sim.scenario.tiers import TOUCH_DEFAULTS

TOUCH_SOURCES = {"high": "§2.1", "medium": "§4.2", "low": "§2.2", "tech": "§2.3"}


@dataclass(frozen=True)
class Outline:
    """The scenario-wide choices of ``init``."""

    name: str
    org_model: str
    horizon_months: int
    start_date: str | None
    arrivals_per_month: float
    book: str | None
    source: str


def _line(key: str, value: object, comment: str, indent: int = 0) -> str:
    text = f"{' ' * indent}{key}: {value}"
    return f"{text:<40} # {comment}"


def scenario_yaml(outline: Outline, tiers: list[TierPlan], pools: list[PoolPlan]) -> str:
    """The complete, commented scenario file."""
    lines = [f"# {outline.name}: written by `cssim init` from {outline.source}.",
             "# Every field below is commented: what it means, its unit, where the value",
             "# comes from (§ = docs/sources.md; 'assumption' = not in the sources, check it).",
             "# Fields not written take the schema's defaults (docs/reference.md). Next steps:",
             "#   cssim fit retention HISTORY.csv   -> paste alpha/beta over each tier's churn",
             f"#   cssim run {outline.name}.yaml && cssim report results/{outline.name}/seed-0",
             "",
             _line("name", outline.name, "scenario name, used for the output folders"),
             _line("description", '"Starting scenario from cssim init"', "free text"),
             _line("horizon_months", outline.horizon_months, "simulated months"),
             ]
    if outline.start_date is not None:
        lines.append(_line("start_date", f'"{outline.start_date}"',
                           "calendar month of day 0 (YYYY-MM); the book's dates count from it"))
    lines += [_line("org_model", outline.org_model,
                    "generalist: CSMs onboard and renew their accounts; specialist: an "
                    "implementation team onboards, renewals specialists renew (§9.2)"), "",
              "tiers:                                   # ACV bands [acv_min, acv_max), "
              "contiguous"]
    for tier in tiers:
        lines += _tier_lines(tier)
    lines += ["", _line("growth", "", "the book at day 0 and the arrivals of new customers")]
    if outline.book is not None:
        lines.append(_line("initial_book", f'"{outline.book}"', "the real accounts at day 0 "
                           "(path relative to this file; docs/own_company.md)", 2))
    else:
        counts = ", ".join(f"{tier.name}: {tier.accounts}" for tier in tiers)
        lines.append(_line("initial_customers", f"{{{counts}}}",
                           "live customers per tier at day 0 (--customers)", 2))
    lines += [_line("arrivals", "", "new customers: Poisson, piecewise-constant rate", 2),
              _line("- from_month", 0, "months from the start", 4),
              _line("  customers_per_month", round(outline.arrivals_per_month, 2),
                    "mean new customers a month (--arrivals; default 2% of today's book a "
                    "month, assumption)", 4),
              "", "pools:                                   # the team, sized at the source "
              "ratios (§7.1)"]
    for pool in pools:
        lines += _pool_lines(pool, outline.org_model)
    return "\n".join(lines) + "\n"


def _tier_lines(tier: TierPlan) -> list[str]:
    defaults = TOUCH_DEFAULTS[tier.touch]
    origin = "the book's accounts in the band" if tier.from_book else "assumption"
    upper = "null" if tier.acv_max is None else f"{tier.acv_max:.0f}"
    churn = ANNUAL_CHURN[tier.touch]
    return [
        _line("- name", tier.name, "tier name (lower-case identifier)", 2),
        _line("  acv_min", f"{tier.acv_min:.0f}", "lowest ACV in the band, USD a year", 2),
        _line("  acv_max", upper, "ACV upper bound, exclusive; null for the top tier", 2),
        _line("  acv", f"{{kind: lognormal, mean: {tier.acv_mean:.0f}, cv: {tier.acv_cv:.2f}}}",
              f"ACV of new customers, USD a year ({origin})", 2),
        _line("  touch_model", tier.touch, f"how the tier is served ({TOUCH_SOURCES[tier.touch]}"
              f"; §4.1 by ACV)", 2),
        _line("  mix", f"{tier.mix:.3f}", "share of new customers signing in this tier "
              f"({'as in the book' if tier.from_book else 'assumption'}); sums to 1", 2),
        _line("  accounts_per_csm", f"{defaults['accounts_per_csm']:g}",
              "target accounts per CSM (§7.1, §4.2)", 2),
        _line("  touch_interval_days", f"{defaults['touch_interval_days']:g}",
              f"days between scheduled touches ({TOUCH_SOURCES[tier.touch]})", 2),
        _line("  touch_hours", f"{defaults['touch_hours']:g}", "CSM hours per touch incl. "
              "preparation (assumption)", 2),
        _line("  renewal_hours", f"{defaults['renewal_hours']:g}", "owner hours before each "
              "renewal (assumption)", 2),
        _line("  human_onboarding_share", f"{defaults['human_onboarding_share']:g}",
              "share onboarded by a person; the rest self-serve (§2.3, §5.3)", 2),
        _line("  churn", "", "sBG churn; replace with `cssim fit retention` output", 2),
        _line("    annual_churn", churn, "share lost at the first renewal (assumption)", 2),
        _line("    heterogeneity", 0.25, "second-year churn = annual x (1 - this) "
              "(assumption)", 2),
        _line("  tickets_per_month", 0.5, "support tickets per customer a month "
              "(assumption)", 2),
    ]


def _pool_lines(pool: PoolPlan, org_model: str) -> list[str]:
    lines = [_line("- name", pool.name, "pool name, the role column of the outputs", 2),
             _line("  role", pool.role, "what the pool does (§7)", 2)]
    if pool.tiers:
        lines.append(_line("  tiers", f"[{', '.join(pool.tiers)}]",
                           "tiers whose accounts these CSMs own", 2))
    if pool.role == "support":
        lines.append(_line("  skill", "T3", "highest ticket level handled (§6.7)", 2))
    if pool.role == "csm":
        slots = 3 if org_model == "generalist" else 0
        lines.append(_line("  onboarding_slots", slots, "concurrent onboardings per CSM "
                           "(generalist 3, assumption; 0: an implementation team onboards)", 2))
    cost_source = "§15.3, §3.1" if pool.role == "csm" else "assumption"
    lines += [_line("  annual_cost", pool.annual_cost, f"fully-loaded USD per person a year "
                    f"({cost_source})", 2),
              _line("  headcount", pool.headcount, pool.why, 2)]
    return lines
