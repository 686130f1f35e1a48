"""What ``cssim fit retention`` prints: estimates, fit table, projection, YAML snippet or JSON."""

from __future__ import annotations

import math

import numpy as np

from sim.history.retention_data import ALL
from sim.history.sbg import Fit, Lifetimes, survival


def fit_record(result: Fit, data: Lifetimes, project: int = 0) -> dict:
    """The estimates and the goodness-of-fit table of one group as plain values."""
    return {
        "alpha": result.alpha, "beta": result.beta,
        "alpha_ci": list(result.alpha_ci), "beta_ci": list(result.beta_ci),
        "first_year_churn": result.first_year_churn,
        "customers": result.customers, "years": result.years,
        "log_likelihood": result.log_likelihood,
        "survival": survival_rows(result, data, project),
    }


def survival_rows(result: Fit, data: Lifetimes, project: int = 0) -> list[dict]:
    """Observed (product-limit) vs fitted survival after each renewal, then the projection."""
    observed, risk = data.observed_survival(), data.at_risk()
    fitted = survival(result.alpha, result.beta, np.arange(data.years + project + 1))
    rows = []
    for year, value in enumerate(fitted):
        known = year <= data.years
        rows.append({"year": year, "at_risk": int(round(risk[year])) if known else None,
                     "observed": float(observed[year]) if known else None,
                     "fitted": float(value)})
    return rows


def fits_json(records: dict[str, dict]) -> dict:
    """One object; keyed by tier when the data were grouped by tier.

    An interval end the likelihood does not bound is null.
    """
    safe = {group: {**record, **{key: [None if math.isinf(end) else end
                                       for end in record[key]]
                                 for key in ("alpha_ci", "beta_ci")}}
            for group, record in records.items()}
    return safe[ALL] if list(safe) == [ALL] else safe


def fits_text(records: dict[str, dict], source: str) -> str:
    """The human-readable report with the YAML snippet to paste."""
    lines: list[str] = []
    for group, record in records.items():
        title = f"{source}" + ("" if group == ALL else f", tier {group}")
        lines += [f"{title}: {record['customers']} customers over {record['years']} renewals",
                  f"  alpha = {record['alpha']:.4g}   95% CI {_interval(record['alpha_ci'])}",
                  f"  beta  = {record['beta']:.4g}   95% CI {_interval(record['beta_ci'])}",
                  f"  mean first-renewal churn alpha/(alpha+beta) = "
                  f"{record['first_year_churn']:.1%}", "",
                  "  renewals  at risk  observed  fitted"]
        for row in record["survival"]:
            at_risk = "" if row["at_risk"] is None else str(row["at_risk"])
            observed = "projected" if row["observed"] is None else f"{row['observed']:.1%}"
            lines.append(f"  {row['year']:>8}  {at_risk:>7}  {observed:>8}  {row['fitted']:6.1%}")
        lines.append("")
    lines += ["Paste into the scenario (profile-likelihood 95% intervals in the comments):"]
    lines += yaml_snippet(records)
    return "\n".join(lines)


def yaml_snippet(records: dict[str, dict]) -> list[str]:
    """The ``churn:`` block of each tier, ready to paste."""
    lines = []
    for group, record in records.items():
        indent = "" if group == ALL else "    "
        if group != ALL:
            lines.append(f"  - name: {group}")
        lines += [f"{indent}churn:  # fitted on {record['customers']} customers",
                  f"{indent}  alpha: {record['alpha']:.4g}  # 95% CI "
                  f"{_interval(record['alpha_ci'])}",
                  f"{indent}  beta: {record['beta']:.4g}  # 95% CI {_interval(record['beta_ci'])}"]
    return lines


def _interval(bounds: list[float]) -> str:
    return "[" + ", ".join("inf" if math.isinf(value) else f"{value:.4g}"
                           for value in bounds) + "]"
