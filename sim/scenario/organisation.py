"""The organisation section of a scenario: handoffs, pods and regions (§9).

The organisation model itself is ``Scenario.org_model``; this section holds what the specialist,
pod and geographic models need beyond the staff pools. Cross-field rules are in
``sim.scenario.rules``; who serves whom in ``sim.scenario.routes``.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.base import MAX_NAME_LENGTH, NAME_PATTERN, Model, plausible


class Pod(Model):
    """A cross-functional team serving some tiers with its own CSMs and implementation staff.

    §9.2 pod model: e.g. an enterprise pod of 3 CSMs + 1 implementation specialist serving
    50-100 customers, a mid-market pod of 5 CSMs + 2 implementation specialists serving 200-400;
    renewals, support and CS Ops are shared services outside the pods.
    """

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Pod name (lower-case identifier)."""
    tiers: tuple[str, ...] = Field(min_length=1)
    """Tiers the pod serves; a tier belongs to at most one pod."""
    pools: tuple[str, ...] = Field(min_length=1)
    """Names of the pod's own csm and implementation pools (each in one pod only)."""


class Region(Model):
    """A geographic region of the customer base (§9.2 geographic model)."""

    name: str = Field(pattern=NAME_PATTERN, max_length=MAX_NAME_LENGTH)
    """Region name (lower-case identifier), used by pools' `region` and in the outputs."""
    share: float = Field(ge=0, le=1)
    """Share of customers (initial book, backlog and new arrivals) in this region; shares over
    regions sum to 1 (assumption, per scenario)."""
    global_hours_overlap: bool = False
    """Whether the global (non-regional) teams' working hours cover this region's business day
    (e.g. the head-office region): its tickets answered by a global support pool then wait no
    extra delay."""


class Organisation(Model):
    """Handoffs, pods and regions of the organisation models (§9.2)."""

    handoff_delay_days: float = Field(7.0, ge=0, json_schema_extra=plausible(3.0, 21.0))
    """Specialist and geographic models: days from go-live until a CSM takes the account over
    from the implementation specialist; meanwhile nobody owns it and no touches fall due
    (assumption; §9.2 handoff friction)."""
    handoff_churn_factor: float = Field(1.10, gt=0, json_schema_extra=plausible(1.0, 1.3))
    """Churn odds x this at the first renewal of a customer handed off from an implementation
    specialist to a CSM (assumption; §9.2 "customers feel passed around")."""
    pod_handoff_delay_days: float = Field(3.0, ge=0, json_schema_extra=plausible(1.0, 7.0))
    """Pod model: handoff delay inside a pod (assumption; §9.2 less handoff friction inside a
    pod). A customer onboarded by a borrowed slot of another pod is handed off with
    `handoff_delay_days` and `handoff_churn_factor`."""
    pod_handoff_churn_factor: float = Field(1.05, gt=0,
                                            json_schema_extra=plausible(1.0, 1.15))
    """Pod model: churn odds x this at the first renewal after a handoff inside the pod
    (assumption; §9.2)."""
    pods: tuple[Pod, ...] = Field((), max_length=100)
    """Pod model: the pods (§9.2 pod structure)."""
    allow_pod_borrowing: bool = False
    """Pod model: whether a waiting customer may be onboarded by a free implementation slot of
    another pod when its own pod has none (§9.2 con: pods compete for resources)."""
    regions: tuple[Region, ...] = Field((), max_length=100)
    """Geographic model: the regions; each customer is drawn into one."""
    uncovered_response_delay_hours: float = Field(8.0, ge=0,
                                                  json_schema_extra=plausible(4.0, 12.0))
    """Geographic model: a ticket answered by a support pool that is neither of the customer's
    region nor covering its hours cannot get its first response before this many hours after it
    opened (assumption; §9.2 time-zone alignment for real-time support)."""
    min_customers_per_region: int = Field(50, ge=0)
    """Geographic model: customers under contract a region needs to justify a regional team;
    the time series counts regions with a regional team below it (§9.2: at least 50+ customers
    per region)."""
