"""Scenario schema of hiring triggers, CS Ops productivity and leadership layers.

Hiring triggers (§7.1, §8) are per pool; which one applies follows from the pool's
role. CS Ops productivity (§7.1, §9.1) and leadership layers from spans of control (§7.3) are
scenario sections. The trigger fields of each role are in ``sim.scenario.roles``; cross-field
rules in ``sim.scenario.rules``.
"""

from __future__ import annotations

import math

from pydantic import Field, model_validator

from sim.scenario.base import MAX_HEADCOUNT, Model, plausible

CSM_TRIGGER_DEFAULTS: dict[str, float] = {"high": 12.0, "low": 60.0}
"""Accounts per CSM above which a CSM pool hires, by the touch model of its tiers: enterprise
CSMs "consistently at 12+", mid-market at "60+" (§7.1, §8). Tech-touch CSMs hire on
health-score capacity (§7.1), which is not modelled: no default for them. At the modelled touch
and renewal hours either book fills a CSM's productive week (docs/hiring.md)."""

TRIGGER_DEFAULTS: dict[str, float] = {
    "backlog_months": 3.0,
    "target_utilisation": 0.8,
    "sla_breach_share": 0.1,
    "first_cs_ops_at_csms": 8.0,
    "csms_per_cs_ops": 8.0,
}
"""Role defaults of the other triggers (§7.1, §8, §15.3; the derivation of the
utilisation and breach defaults is in docs/hiring.md); see ``HiringTrigger``."""

LAYERS: tuple[str, ...] = ("team_lead", "manager", "director", "vp")
"""Leadership layers, from the first line up (§7.3)."""


class HiringTrigger(Model):
    """When a hiring policy adds to this pool (§7.1, §8).

    Only the fields of the pool's role apply; unset ones take the role default. The policy
    hires up to the smallest headcount n with metric / n at or below the threshold.
    """

    enabled: bool = True
    """Whether the hiring policy reviews this pool at all (staffing plans and backfill apply
    either way)."""
    accounts_per_csm: float | None = Field(None, gt=0)
    """csm pools: live accounts per CSM above which to hire. Default by the touch model of each
    of the pool's tiers, each tier's accounts counted against its own threshold: 12 high-touch
    ("consistently at 12+"), 60 low-touch ("60+"); tech-touch accounts count only when this is
    set (§7.1: they hire on health-score capacity, not modelled)."""
    backlog_months: float | None = Field(None, gt=0)
    """implementation pools: months of queued onboarding work at the pool's slot capacity
    above which to hire (default 3, §7.1 "3+ month backlog")."""
    target_utilisation: float | None = Field(None, gt=0, le=1)
    """support and renewals pools: share of the team's productive hours (after admin) that the
    modelled work may fill before the policy hires (default 0.8; plausible 0.7-0.9; assumption: a
    queue's waits grow steeply as its servers approach full load). Support work: the hours of the
    tickets routed to the pool per week over `hiring.rate_window_days` plus its open ticket hours
    spread over `support.backlog_clear_weeks` and the lead time (a hire opened now arrives after
    it); the proactive trend is taken of the first part only; renewals work: the renewal hours due
    in the next 12 months that are routed to the pool. With the default hours that is ~3.6 tickets
    per engineer per working day, and 355 low-touch or 89 high-touch renewals per specialist a year
    (derivation in docs/hiring.md)."""
    tickets_per_engineer_day: float | None = Field(None, gt=0)
    """support pools: if set, the volume is read in tickets instead of hours: tickets routed to the
    pool per engineer per working day (5 a week) over `hiring.rate_window_days`, plus its open
    tickets spread over `support.backlog_clear_weeks` and the lead time, above which to hire (§7.1
    gives 20-30, a figure for quick tickets; at the default 1.5 hours a ticket an engineer fills at
    ~4.5). Unset: hours against `target_utilisation`."""
    sla_breach_share: float | None = Field(None, gt=0, le=1)
    """support pools: SLA breaches the pool's queue caused in the last `hiring.rate_window_days`
    (tickets that waited in it, or still wait, past their tier's SLA; not those late only by
    the uncovered-region delay, which hiring into this pool cannot shorten) over the tickets
    routed to it, above which the policy adds one engineer to those on staff, whatever the
    volume says (default 0.1; plausible 0.05-0.2; §7.1 "or SLAs start slipping", the share is
    an assumption)."""
    first_response_hours: float | None = Field(None, gt=0)
    """support pools: mean hours the tickets the pool started in the last
    `hiring.rate_window_days` waited in its queue (the first response less any uncovered-region
    delay), above which the policy adds one engineer to those on staff (default null: not read;
    plausible: the tiers' SLA hours; assumption)."""
    renewals_per_specialist: float | None = Field(None, gt=0)
    """renewals pools: if set, the trigger counts renewals instead of hours: renewals due in the
    next 12 months per specialist above which to hire (§7.1 "headcount ≈ renewals in next 12
    months / 100", 80-150 a year). Unset: hours against `target_utilisation`."""
    first_cs_ops_at_csms: int | None = Field(None, ge=1, le=MAX_HEADCOUNT)
    """cs_ops pools: CSM headcount at which the first CS Ops person is hired (default 8; §7.1,
    §8: 8-10)."""
    csms_per_cs_ops: float | None = Field(None, gt=0)
    """cs_ops pools: then one CS Ops person per this many CSMs (default 8; §7.1: 5-10, mature
    15-20)."""
    max_headcount: int | None = Field(None, ge=0, le=MAX_HEADCOUNT)
    """Headcount the policy never hires beyond (null: no limit); plans and backfill ignore it."""

    def threshold(self, name: str) -> float:
        """A trigger's threshold: the value set here, or its role default."""
        value = getattr(self, name)
        return float(TRIGGER_DEFAULTS[name] if value is None else value)

    def optional(self, name: str) -> float | None:
        """A trigger read only when set (None: not read)."""
        value = getattr(self, name)
        return None if value is None else float(value)


class CsOps(Model):
    """CS Ops as a force multiplier on CSMs' productive hours (§7.1, §9.1).

    "One CS Ops person makes ten CSMs 30% more productive" (§7.1); how the effect compounds is
    not in the sources (§15.3). Coverage c = CS Ops headcount (each hire counted by their ramp
    factor) x `csms_per_person` / CSM headcount; the gain saturates:
    gain(c) = max_gain x (1 - exp(-k c)), with k chosen so that gain(1) = gain_at_full_coverage.
    Every CSM's productive hours are multiplied by 1 + gain. No CS Ops pool: gain 0.
    """

    gain_at_full_coverage: float = Field(
        0.30, ge=0, json_schema_extra=plausible(0.1, 0.4, "§7.1 (30%); range: assumption"))
    """Gain when each CSM is covered once (one person per `csms_per_person` CSMs; §7.1: 30%).
    0 switches the effect off."""
    csms_per_person: float = Field(
        10.0, gt=0, json_schema_extra=plausible(6.0, 14.0, "§7.1 (ten); range: assumption"))
    """CSMs one CS Ops person covers at full coverage (§7.1: ten)."""
    max_gain: float = Field(0.45, gt=0, json_schema_extra=plausible(0.45, 0.6))
    """Ceiling of the gain however many CS Ops people there are (assumption: diminishing
    returns, §15.3 "how much CS Ops productivity compounds" is not in the sources)."""

    @model_validator(mode="after")
    def _saturates(self) -> CsOps:
        if 0 < self.max_gain <= self.gain_at_full_coverage:
            raise ValueError(f"max_gain = {self.max_gain:g}: must exceed gain_at_full_coverage "
                             f"({self.gain_at_full_coverage:g}) for the gain to saturate")
        return self

    def gain(self, coverage: float) -> float:
        """Productivity gain of the CSMs at a coverage (0 at 0, rising to `max_gain`)."""
        if self.gain_at_full_coverage <= 0 or coverage <= 0:
            return 0.0
        rate = -math.log(1.0 - self.gain_at_full_coverage / self.max_gain)
        return self.max_gain * (1.0 - math.exp(-rate * coverage))


class Leadership(Model):
    """Leadership layers derived from the CSM headcount by spans of control (§7.3).

    With `derive`, each period's workforce table gets one row per layer (role
    `leadership`) and their cost is part of CS cost, shared over all tiers like other
    non-CSM staff. Counts from N CSMs (people on staff): team leads ceil(N / team_lead_span),
    managers ceil(N / manager_span), directors ceil(managers / director_span) from
    `director_from_csms` CSMs, one VP from `vp_from_csms` CSMs. Only CSM leadership is derived
    (the sources give spans in CSMs); leaders of other teams are `leader` pools, which cannot be
    combined with `derive` (they would count leadership twice).
    """

    derive: bool = False
    """Whether to derive the layers (off by default: the shipped scenarios model their leaders
    as `leader` pools)."""
    team_lead_span: int | None = Field(4, ge=1)
    """CSMs per team lead (§7.3: 3-5); null: no team-lead layer (e.g. when team leads are
    senior CSMs carrying their own accounts, §7.3 "often")."""
    manager_span: int = Field(8, ge=1)
    """CSMs per manager (§7.3: 5-10)."""
    director_span: int = Field(4, ge=1)
    """Managers per director (§7.3: 2-4)."""
    director_from_csms: int = Field(15, ge=1)
    """CSM headcount from which there are directors (§7.3: a director spans 15-30 CSMs)."""
    vp_from_csms: int = Field(30, ge=1)
    """CSM headcount from which there is a VP of CS (§7.3: 30-100+)."""
    team_lead_cost: float = Field(140000.0, gt=0)
    """Fully loaded annual cost of a team lead, USD (assumption: top of the $120K-$150K CSM
    band, §15.3)."""
    manager_cost: float = Field(170000.0, gt=0)
    """Fully loaded annual cost of a manager, USD (assumption)."""
    director_cost: float = Field(210000.0, gt=0)
    """Fully loaded annual cost of a director, USD (assumption)."""
    vp_cost: float = Field(250000.0, gt=0)
    """Fully loaded annual cost of a VP of CS, USD (assumption)."""

    def counts(self, csms: int) -> tuple[int, int, int, int]:
        """Team leads, managers, directors and VPs for a CSM headcount."""
        if csms <= 0:
            return 0, 0, 0, 0
        leads = math.ceil(csms / self.team_lead_span) if self.team_lead_span else 0
        managers = math.ceil(csms / self.manager_span)
        directors = (math.ceil(managers / self.director_span)
                     if csms >= self.director_from_csms else 0)
        return leads, managers, directors, int(csms >= self.vp_from_csms)

    def costs(self) -> tuple[float, float, float, float]:
        """Annual cost per person of each layer, in the order of ``LAYERS``."""
        return self.team_lead_cost, self.manager_cost, self.director_cost, self.vp_cost

    def annual_cost(self, csms: int) -> float:
        """Annual cost of the derived layers for a CSM headcount (0 unless `derive`)."""
        if not self.derive:
            return 0.0
        return sum(count * cost for count, cost in zip(self.counts(csms), self.costs(),
                                                        strict=True))
