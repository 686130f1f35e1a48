"""The six-factor model choice of §11: score, sum and recommend a touch model.

ACV, complexity, segment, margin, competition and growth stage score 1–5 each; the total
(6–30) picks high-, low- or tech-touch, a check of each model's cost per customer against the
CS budget (margin × ACV) steps down to medium-, low- or tech-touch when the ACV cannot pay, and
a scenario whose tiers are spread over the ACV zones gets hybrid.

``scoring`` holds the per-factor cut points, ``choice`` the bands, the spread rule and the
band-edge rule, ``affordability`` the budget and the models' costs, ``facts`` what a scenario
tells, ``assess`` where each input comes from and ``render`` the text and JSON output::

    from sim.advisor import AdviceRequest, advise
    advice = advise(AdviceRequest(acv=45_000, complexity="medium", customers=180))
    advice.total, advice.recommendation.model
"""

from sim.advisor.affordability import MODEL_COSTS, cs_budget
from sim.advisor.assess import (
    DEFAULT_COMPETITION,
    DEFAULT_MARGIN,
    FACTORS,
    Advice,
    AdviceRequest,
    FactorScore,
    advise,
    request_from_flags,
)
from sim.advisor.choice import (
    AFFORDABILITY_RULE,
    SPREAD_RULE,
    TIE_BREAK_RULE,
    Recommendation,
    recommend,
)
from sim.advisor.facts import ScenarioFacts, scenario_facts
from sim.advisor.render import advice_dict, advice_json, advice_text
from sim.advisor.scoring import COMPETITIONS, SEGMENTS, STAGE_NAMES
from sim.scenario.vocabulary import COMPLEXITIES

__all__ = ["AFFORDABILITY_RULE", "COMPETITIONS", "COMPLEXITIES", "DEFAULT_COMPETITION",
           "DEFAULT_MARGIN", "FACTORS", "MODEL_COSTS", "SEGMENTS", "SPREAD_RULE", "STAGE_NAMES",
           "TIE_BREAK_RULE", "Advice", "AdviceRequest", "FactorScore", "Recommendation",
           "ScenarioFacts", "advice_dict", "advice_json", "advice_text", "advise", "cs_budget",
           "recommend", "request_from_flags", "scenario_facts"]
