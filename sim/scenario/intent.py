"""Warnings (not errors) for a valid scenario that probably does not say what its author meant.

- In the generalist model a tier's CSMs onboard its customers whenever they have onboarding
  slots (the default, 3 each), even if an implementation pool exists that would onboard the
  tier: the pool then sits idle for that tier. Either the CSMs should leave onboarding to it
  (``onboarding_slots: 0``) or the model should be ``specialist``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from sim.core.errors import ScenarioWarning
from sim.scenario.routes import (
    NONE,
    csm_pool_index,
    implementation_pool_index,
    region_scopes,
    run_org_models,
)

if TYPE_CHECKING:
    from sim.scenario.sections import ScenarioFields as Scenario


def author_warnings(scenario: Scenario, source: str) -> list[str]:
    """One line per probable mistake: file, field path, value, what happens and the way out.

    Only the generalist model throughout the run, and only CSM pools left at the default
    onboarding slots: a pool whose slots the author set, or a strategy that moves to another
    model (for which the implementation pool waits), says what was meant.
    """
    if run_org_models(scenario) != ("generalist",):
        return []
    onboarded: dict[int, list[str]] = {}
    implementers: dict[int, str] = {}
    for tier in scenario.tiers:
        if not (tier.human_onboarding_share or 0) > 0:
            continue
        for scope in region_scopes(scenario):
            csm = csm_pool_index(scenario, tier.name, scope)
            implementation = implementation_pool_index(scenario, tier.name, scope, "generalist")
            if (csm == NONE or implementation == NONE
                    or scenario.pools[csm].onboarding_slots is not None):
                continue
            if tier.name not in onboarded.setdefault(csm, []):
                onboarded[csm].append(tier.name)
            implementers.setdefault(csm, scenario.pools[implementation].name)
    return [f"{source}: pools[{csm}].onboarding_slots = null (default 3): in the generalist "
            f"model the CSMs of {scenario.pools[csm].name!r} onboard tier(s) "
            f"{', '.join(tiers)}, and the implementation pool {implementers[csm]!r} onboards "
            f"none of them; set onboarding_slots: 0 to leave onboarding to it, or "
            "org_model: specialist" for csm, tiers in onboarded.items()]


def warn_author(scenario: Scenario, source: str) -> None:
    """Issue each warning as a ``ScenarioWarning`` (the CLI prints ``warning: LINE``)."""
    for line in author_warnings(scenario, source):
        warnings.warn(line, ScenarioWarning, stacklevel=3)
