"""The six-factor model choice of §11: score, sum and recommend a touch model.

ACV, complexity, segment, margin, competition and growth stage score 1–5 each; the total
(6–30) and the spread of the scores decide between high-, low-, tech-touch and hybrid.

``scoring`` holds the per-factor cut points, ``choice`` the bands, the mixed rule and the
band-edge rule, ``facts`` what a scenario tells, ``assess`` where each input comes from and
``render`` the text and JSON output::

    from sim.advisor import AdviceRequest, advise
    advice = advise(AdviceRequest(acv=45_000, complexity="medium", customers=180))
    advice.total, advice.recommendation.model
"""

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
from sim.advisor.choice import MIXED_RULE, TIE_BREAK_RULE, Recommendation, recommend
from sim.advisor.facts import ScenarioFacts, scenario_facts
from sim.advisor.render import advice_dict, advice_json, advice_text
from sim.advisor.scoring import COMPETITIONS, SEGMENTS, STAGE_NAMES
from sim.scenario import COMPLEXITIES

__all__ = ["COMPETITIONS", "COMPLEXITIES", "DEFAULT_COMPETITION", "DEFAULT_MARGIN", "FACTORS",
           "MIXED_RULE", "SEGMENTS", "STAGE_NAMES", "TIE_BREAK_RULE", "Advice", "AdviceRequest",
           "FactorScore", "Recommendation", "ScenarioFacts", "advice_dict", "advice_json",
           "advice_text", "advise", "recommend", "request_from_flags", "scenario_facts"]
