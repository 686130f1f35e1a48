"""Advice as plain text for people and as JSON for programs."""

from __future__ import annotations

import json
from dataclasses import asdict

from sim.advisor.affordability import BUDGET_SHARE_OF_GROSS_PROFIT, Affordability
from sim.advisor.assess import FACTOR_LABELS, Advice
from sim.advisor.choice import AFFORDABILITY_RULE, SPREAD_RULE, TIE_BREAK_RULE

_HEADERS = ("Factor", "Input", "Score", "Source", "Reason")


def advice_text(advice: Advice) -> str:
    """The advice as a table of factors, the total, the model and the rules that decided."""
    rows = [(FACTOR_LABELS[factor.factor], factor.shown, str(factor.score), factor.source,
             factor.reason) for factor in advice.factors]
    label_width, input_width = (max(len(row[column]) for row in [*rows, _HEADERS])
                                for column in (0, 1))
    widths = (label_width, input_width, len(_HEADERS[2]), len("derived"))

    def line(cells: tuple[str, ...]) -> str:
        label, shown, score, source, reason = cells
        return (f"  {label:<{widths[0]}}  {shown:<{widths[1]}}  {score:>{widths[2]}}  "
                f"{source:<{widths[3]}}  {reason}").rstrip()

    where = f": scenario {advice.scenario}" if advice.scenario else ""
    lines = [f"Six-factor model choice (docs/sources.md §11){where}", "", line(_HEADERS)]
    lines += [line(row) for row in rows]
    lines.append(line(("Total", "", str(advice.total), "", "of 6–30")))
    recommendation = advice.recommendation
    lines += ["", f"Recommended model: {recommendation.model} ({recommendation.reason})"]
    lines += _affordability_lines(advice)
    bases = [f"  {FACTOR_LABELS[factor.factor]} ({factor.source}): {factor.basis}"
             for factor in advice.factors if factor.basis]
    if bases:
        lines += ["", "Inputs not given:", *bases]
    lines += ["", "Rules:", f"  {SPREAD_RULE}", f"  {TIE_BREAK_RULE}", f"  {AFFORDABILITY_RULE}"]
    return "\n".join(lines) + "\n"


def _affordability_lines(advice: Advice) -> list[str]:
    recommendation = advice.recommendation
    if recommendation.affordability is not None:
        checked = recommendation.affordability
        margin = next(factor.value for factor in advice.factors if factor.factor == "margin")
        acv = next(factor.shown for factor in advice.factors if factor.factor == "acv")
        return ["", f"Affordability (§3): CS budget {_usd(checked.budget)} per customer = "
                    f"{BUDGET_SHARE_OF_GROSS_PROFIT:.1%} of margin {margin:.0%} x ACV {acv}",
                *_checks(checked)]
    lines = ["", "Each tier: the most touch its own ACV pays for (§3)"]
    for name, checked in recommendation.tier_models:
        note = f"; {checked.note}" if checked.note else ""
        lines.append(f"  {name}: {checked.model} — {checked.checks[-1].why}{note}")
    return lines


def _checks(checked: Affordability) -> list[str]:
    lines = [f"  {item.model}: {'fits' if item.fits else 'no'} — {item.why}"
             for item in checked.checks]
    return lines + ([f"  note: {checked.note}"] if checked.note else [])


def _usd(amount: float) -> str:
    return f"${amount:,.0f}"


def advice_dict(advice: Advice) -> dict[str, object]:
    """The advice as plain data: factors, total, model, reason and the rules."""
    return {
        "scenario": advice.scenario,
        "factors": [asdict(factor) for factor in advice.factors],
        "total": advice.total,
        "model": advice.recommendation.model,
        "reason": advice.recommendation.reason,
        "scored_model": advice.recommendation.scored_model,
        "affordability": _affordability_dict(advice.recommendation.affordability),
        "tier_models": {name: _affordability_dict(checked)
                        for name, checked in advice.recommendation.tier_models},
        "rules": {"spread": SPREAD_RULE, "tie_break": TIE_BREAK_RULE,
                  "affordability": AFFORDABILITY_RULE},
    }


def _affordability_dict(checked: Affordability | None) -> dict[str, object] | None:
    return None if checked is None else asdict(checked)


def advice_json(advice: Advice) -> str:
    """The advice as indented JSON (see :func:`advice_dict`)."""
    return json.dumps(advice_dict(advice), indent=2, ensure_ascii=False)
