"""Advice as plain text for people and as JSON for programs."""

from __future__ import annotations

import json
from dataclasses import asdict

from sim.advisor.assess import FACTOR_LABELS, Advice
from sim.advisor.choice import MIXED_RULE, TIE_BREAK_RULE

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
    bases = [f"  {FACTOR_LABELS[factor.factor]} ({factor.source}): {factor.basis}"
             for factor in advice.factors if factor.basis]
    if bases:
        lines += ["", "Inputs not given:", *bases]
    lines += ["", "Rules:", f"  {MIXED_RULE}", f"  {TIE_BREAK_RULE}"]
    return "\n".join(lines) + "\n"


def advice_dict(advice: Advice) -> dict[str, object]:
    """The advice as plain data: factors, total, model, reason and the rules."""
    return {
        "scenario": advice.scenario,
        "factors": [asdict(factor) for factor in advice.factors],
        "total": advice.total,
        "model": advice.recommendation.model,
        "reason": advice.recommendation.reason,
        "rules": {"mixed": MIXED_RULE, "tie_break": TIE_BREAK_RULE},
    }


def advice_json(advice: Advice) -> str:
    """The advice as indented JSON (see :func:`advice_dict`)."""
    return json.dumps(advice_dict(advice), indent=2, ensure_ascii=False)
