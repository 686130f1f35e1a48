"""Service profiles: how each tier is served, by profile; every customer is on one profile.

Profile 0 is the scenario as written. A strategy change adds a profile (the previous one with the
change applied) and moves customers onto it over its pilot and rollout, so during a transition
customers of one tier can be served two ways at once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from sim.scenario.schema import Scenario
from sim.scenario.service import RenewalChange, ServiceNeed
from sim.scenario.strategies import TouchChange

FIELDS = {"interval": "touch_interval_days", "hours": "touch_hours",
          "renewal_hours": "renewal_hours", "human_share": "human_onboarding_share"}
"""Row of a profile -> the tier field it holds."""


@dataclass(frozen=True)
class TierTable:
    """Per-tier parameters as arrays indexed by tier, for vectorised work.

    Touch and renewal parameters live in the service profiles (``ServiceProfiles``), which a
    strategy can change during the run.
    """

    sla_hours: np.ndarray
    band_edges: list[float]
    band_tiers: list[int]
    needs: tuple[ServiceNeed, ...]
    """Each tier's service need (``Tier.service_need``), resolved once."""
    changes: tuple[RenewalChange, ...]
    """Each tier's expansion and contraction when fully served (``Tier.contract_change``)."""

    @classmethod
    def of(cls, scenario: Scenario) -> TierTable:
        """Build the table from a scenario."""
        tiers = scenario.tiers
        return cls(
            sla_hours=np.array([tier.sla_response_hours for tier in tiers]),
            band_edges=sorted(tier.acv_min for tier in tiers),
            band_tiers=sorted(range(len(tiers)), key=lambda index: tiers[index].acv_min),
            needs=tuple(tier.service_need() for tier in tiers),
            changes=tuple(tier.contract_change() for tier in tiers),
        )

    def tier_of(self, acv: float) -> int:
        """The tier whose band holds ``acv`` (bands are [acv_min, acv_max))."""
        position = bisect.bisect_right(self.band_edges, acv) - 1
        return self.band_tiers[max(position, 0)]


@dataclass(eq=False)
class ServiceProfiles:
    """Touch parameters by (profile, tier) and the org model of each profile."""

    interval: np.ndarray
    hours: np.ndarray
    renewal_hours: np.ndarray
    human_share: np.ndarray
    """Share of the customers signing on the profile that a person onboards."""
    pooled: np.ndarray
    org_models: list[str]
    names: list[str]
    for_new: int = 0
    """Profile new customers start on (the newest whose rollout is complete)."""

    @classmethod
    def of(cls, scenario: Scenario) -> ServiceProfiles:
        """Profile 0: the scenario's tiers and org model."""
        tiers = scenario.tiers

        def row(field: str) -> np.ndarray:
            return np.array([[getattr(tier, field) for tier in tiers]], dtype=float)

        return cls(
            interval=row("touch_interval_days"), hours=row("touch_hours"),
            renewal_hours=row("renewal_hours"), human_share=row("human_onboarding_share"),
            pooled=np.array([[tier.coverage == "pooled" for tier in tiers]]),
            org_models=[scenario.org_model],
            names=["base"],
        )

    @property
    def latest(self) -> int:
        """The newest profile."""
        return len(self.names) - 1

    def add(self, name: str, org_model: str | None, changes: dict[int, TouchChange]) -> int:
        """Add a profile: the newest one with the changes applied. Returns its index."""
        rows = {key: getattr(self, key)[-1].copy() for key in (*FIELDS, "pooled")}
        for tier, change in changes.items():
            _apply(rows, tier, change)
        for key, row in rows.items():
            setattr(self, key, np.vstack([getattr(self, key), row]))
        self.org_models.append(org_model or self.org_models[-1])
        self.names.append(name)
        return self.latest

    def human_tiers(self) -> np.ndarray:
        """Tiers with scheduled human touches in any profile."""
        return np.any(self.hours > 0, axis=0)


def _apply(rows: dict[str, np.ndarray], tier: int, change: TouchChange) -> None:
    """A tier's row after the change: every field follows a new touch model unless set."""
    for key, field in FIELDS.items():
        rows[key][tier] = change.applied(field, float(rows[key][tier]))
    if change.coverage is not None:
        rows["pooled"][tier] = change.coverage == "pooled"
