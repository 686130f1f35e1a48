"""The customer book: every customer's attributes and state as columns of numpy arrays.

All customers of a run, the initial book included, are drawn when the run starts: arrivals do
not depend on the team, so drawing them up front gives every variant run with the same seed the
same customers, with the same latent churn probability and the same random numbers at each
renewal (common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.core.calendar import MONTH_DAYS, YEAR_DAYS
from sim.core.streams import Streams
from sim.scenario.book_file import STATUS_ONBOARDING, InitialBook, load_book
from sim.scenario.schema import Scenario
from sim.scenario.vocabulary import COMPLEXITIES

PENDING, WAITING, ONBOARDING, ACTIVE, CHURNED = range(5)
STATE_NAMES = ("pending", "waiting", "onboarding", "active", "churned")
NO_HANDOFF, HANDOFF, POD_HANDOFF = 0, 1, 2
"""Handoff kinds at go-live (``CustomerBook.handoff_kind``): none, from an implementation
specialist to a CSM, inside a pod."""
TIMES = ("onboarding_start_day", "golive_day", "churn_day", "wait_days", "next_touch",
         "last_touch", "handoff_day")
TOTALS = ("renewals_done", "touches_due", "touches_missed", "tickets", "breaches", "csm_changes",
          "renewals_missed")
CYCLE_COUNTERS = ("cycle_touches_due", "cycle_touches_missed", "cycle_tickets",
                  "cycle_breaches", "cycle_csm_changes")


@dataclass
class Signings:
    """Who signs when: arrival day, tier and whether the customer starts live."""

    arrival_day: np.ndarray
    tier: np.ndarray
    initial_live: np.ndarray
    tenure: np.ndarray


@dataclass
class CustomerBook:
    """Columns describing every customer of the run (index = customer id)."""

    arrival_day: np.ndarray
    initial_live: np.ndarray
    tier: np.ndarray
    initial_tier: np.ndarray
    acv: np.ndarray
    initial_acv: np.ndarray
    complexity: np.ndarray
    theta: np.ndarray
    onboarding_work: np.ndarray
    patience: np.ndarray
    onboarding_u: np.ndarray
    """Uniform draw deciding human or self-serve onboarding against the share of the profile
    the customer signs on (``journey``), so variants keep their draws."""
    self_serve_days: np.ndarray
    first_renewal_day: np.ndarray
    touch_phase: np.ndarray
    renewal_u: np.ndarray
    change_u: np.ndarray
    change_z: np.ndarray
    region: np.ndarray
    """Region index of each customer (all 0 without regions, see ``draw_regions``)."""
    state: np.ndarray = field(init=False)
    owner: np.ndarray = field(init=False)
    onboarding_start_day: np.ndarray = field(init=False)
    golive_day: np.ndarray = field(init=False)
    churn_day: np.ndarray = field(init=False)
    wait_days: np.ndarray = field(init=False)
    next_touch: np.ndarray = field(init=False)
    last_touch: np.ndarray = field(init=False)
    abandoned: np.ndarray = field(init=False)
    renewals_done: np.ndarray = field(init=False)
    touches_due: np.ndarray = field(init=False)
    touches_missed: np.ndarray = field(init=False)
    tickets: np.ndarray = field(init=False)
    breaches: np.ndarray = field(init=False)
    csm_changes: np.ndarray = field(init=False)
    renewals_missed: np.ndarray = field(init=False)
    cycle_touches_due: np.ndarray = field(init=False)
    cycle_touches_missed: np.ndarray = field(init=False)
    cycle_tickets: np.ndarray = field(init=False)
    cycle_breaches: np.ndarray = field(init=False)
    cycle_csm_changes: np.ndarray = field(init=False)
    profile: np.ndarray = field(init=False)
    """Service profile each customer is on (see ``sim.customers.profiles``)."""
    human: np.ndarray = field(init=False)
    """Whether a person onboards the customer, decided when it signs (``journey``)."""
    handoff_day: np.ndarray = field(init=False)
    """Day a handed-off account reaches its CSM (NaN without a handoff, ``sim.work.handoff``)."""
    handoff_kind: np.ndarray = field(init=False)
    """Kind of the account's handoff at go-live (``sim.org.routing.NO_HANDOFF`` and the others)."""
    cycle_human_hours: np.ndarray = field(init=False)
    """CSM hours of touches and answered interventions delivered since the last renewal
    (``sim.customers.coverage``)."""
    account_id: np.ndarray | None = None
    """Account ids of a real initial book (``growth.initial_book``; '' for later signings)."""
    owner_name: np.ndarray | None = None
    """The CSM each account of a real initial book names as its owner ('' for none)."""

    def __post_init__(self) -> None:
        n = len(self.arrival_day)
        self.state = np.full(n, PENDING, dtype=np.int8)
        self.owner = np.full(n, -1, dtype=np.int64)
        for name in TIMES:
            setattr(self, name, np.full(n, np.nan))
        for name in (*TOTALS, *CYCLE_COUNTERS):
            setattr(self, name, np.zeros(n, dtype=np.int64))
        self.abandoned = np.zeros(n, dtype=bool)
        self.profile = np.zeros(n, dtype=np.int64)
        self.human = np.zeros(n, dtype=bool)
        self.handoff_kind = np.zeros(n, dtype=np.int8)
        self.cycle_human_hours = np.zeros(n)

    @property
    def size(self) -> int:
        """Number of customers in the run."""
        return len(self.arrival_day)

    def paying(self) -> np.ndarray:
        """Mask of customers under contract (waiting, onboarding or live)."""
        return (self.state >= WAITING) & (self.state <= ACTIVE)

    def reset_cycle(self, customer: int) -> None:
        """Start a new renewal cycle's service counters for one customer."""
        self.cycle_touches_due[customer] = 0
        self.cycle_touches_missed[customer] = 0
        self.cycle_tickets[customer] = 0
        self.cycle_breaches[customer] = 0
        self.cycle_csm_changes[customer] = 0
        self.cycle_human_hours[customer] = 0.0


def draw_book(scenario: Scenario, streams: Streams) -> CustomerBook:
    """Draw every customer of the run: the initial book, the initial backlog and all arrivals."""
    initial = load_book(scenario)
    signings = _draw_signings(scenario, streams["arrivals"], initial)
    n = len(signings.arrival_day)
    horizon = scenario.horizon_months * MONTH_DAYS
    renewal_slots = math.ceil(horizon / YEAR_DAYS) + 1
    complexity = _draw_complexity(scenario, signings.tier, streams["arrivals"])
    acv = _draw_acv(scenario, signings.tier, streams["acv"])
    if initial is not None:
        _book_columns(initial, complexity, acv)
    onboarding_rng, churn_rng, renewal_rng = (streams[name] for name in
                                              ("onboarding", "churn", "renewal"))
    work, patience, onboarding_u, self_serve = _draw_onboarding(scenario, signings.tier,
                                                                complexity, onboarding_rng)
    first_renewal = signings.arrival_day + YEAR_DAYS
    live = signings.initial_live
    first_renewal[live] = churn_rng.uniform(0.0, YEAR_DAYS, live.sum()) + 1e-9
    book = CustomerBook(
        arrival_day=signings.arrival_day, initial_live=live, tier=signings.tier.copy(),
        initial_tier=signings.tier, acv=acv.copy(), initial_acv=acv, complexity=complexity,
        theta=_draw_theta(scenario, signings, churn_rng), onboarding_work=work,
        patience=patience, onboarding_u=onboarding_u, self_serve_days=self_serve,
        first_renewal_day=first_renewal,
        touch_phase=streams["engagement"].uniform(0.0, 1.0, n),
        renewal_u=churn_rng.uniform(0.0, 1.0, (n, renewal_slots)),
        change_u=renewal_rng.uniform(0.0, 1.0, (n, renewal_slots)),
        change_z=renewal_rng.standard_normal((n, renewal_slots)),
        region=draw_regions(scenario, n, streams["region"]),
    )
    if initial is not None:
        _book_timing(initial, book)
    return book


def draw_regions(scenario: Scenario, n: int, rng: np.random.Generator) -> np.ndarray:
    """Each customer's region index by the regions' shares (all 0 without regions).

    One uniform draw per customer from the run's own region stream, so the other streams are
    not shifted and a customer keeps its region across variants (common random numbers).
    """
    shares = np.array([region.share for region in scenario.org.regions])
    if len(shares) < 2:
        return np.zeros(n, dtype=np.int64)
    edges = np.cumsum(shares)[:-1] / shares.sum()
    return np.searchsorted(edges, rng.uniform(0.0, 1.0, n), side="right").astype(np.int64)


def _draw_signings(scenario: Scenario, rng: np.random.Generator,
                   initial: InitialBook | None = None) -> Signings:
    growth = scenario.growth
    names = [tier.name for tier in scenario.tiers]
    tier_indices = np.arange(len(names))
    live = np.repeat(tier_indices, [growth.initial_customers.get(name, 0) for name in names])
    backlog = np.repeat(tier_indices, [growth.initial_backlog.get(name, 0) for name in names])
    if initial is not None:
        live, backlog = initial.tier[initial.live], initial.tier[~initial.live]
    days, tiers = _draw_arrivals(scenario, rng)
    tenure = np.zeros(len(live) + len(backlog) + len(days), dtype=np.int64)
    if initial is None:
        tenure[: len(live)] = rng.integers(0, growth.initial_tenure_years_max + 1, len(live))
    else:
        tenure[: len(live)] = initial.renewals_survived[initial.live]
    return Signings(
        arrival_day=np.concatenate([np.zeros(len(live) + len(backlog)), days]),
        tier=np.concatenate([live, backlog, tiers]).astype(np.int64),
        initial_live=np.concatenate([np.ones(len(live), bool), np.zeros(len(backlog), bool),
                                     np.zeros(len(days), bool)]),
        tenure=tenure,
    )


def _draw_arrivals(scenario: Scenario, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Poisson arrivals, piecewise-constant rate, with the tier of each arrival."""
    horizon = scenario.horizon_months * MONTH_DAYS
    steps = scenario.growth.arrivals
    default_mix = np.array([tier.mix for tier in scenario.tiers])
    days, tiers = [], []
    for index, step in enumerate(steps):
        start = step.from_month * MONTH_DAYS
        end = steps[index + 1].from_month * MONTH_DAYS if index + 1 < len(steps) else horizon
        end = min(end, horizon)
        if end <= start:
            continue
        count = rng.poisson(step.customers_per_month * (end - start) / MONTH_DAYS)
        days.append(np.sort(rng.uniform(start, end, count)))
        mix = default_mix if step.mix is None else np.array(
            [step.mix.get(tier.name, 0.0) for tier in scenario.tiers])
        tiers.append(rng.choice(len(mix), size=count, p=mix / mix.sum()))
    if not days:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    return np.concatenate(days), np.concatenate(tiers)


def _draw_complexity(scenario: Scenario, tiers: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    complexity = np.zeros(len(tiers), dtype=np.int64)
    for index, tier in enumerate(scenario.tiers):
        members = np.flatnonzero(tiers == index)
        mix = tier.complexity_mix.model_dump()
        shares = np.array([mix[name] for name in COMPLEXITIES])
        complexity[members] = rng.choice(len(COMPLEXITIES), size=len(members), p=shares)
    return complexity


def _draw_acv(scenario: Scenario, tiers: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole-dollar ACVs drawn from each tier's distribution and clipped into its band."""
    acv = np.zeros(len(tiers), dtype=np.int64)
    for index, tier in enumerate(scenario.tiers):
        members = np.flatnonzero(tiers == index)
        values = tier.acv.sample(rng, len(members))
        upper = np.inf if tier.acv_max is None else math.ceil(tier.acv_max) - 1
        lower = max(math.ceil(tier.acv_min), 1)
        acv[members] = np.clip(np.rint(values), lower, upper).astype(np.int64)
    return acv


def _draw_theta(scenario: Scenario, signings: Signings, rng: np.random.Generator) -> np.ndarray:
    """Latent churn probability: Beta(α, β + renewals already survived)."""
    alpha = np.array([tier.churn.alpha for tier in scenario.tiers])[signings.tier]
    beta = np.array([tier.churn.beta for tier in scenario.tiers])[signings.tier]
    return rng.beta(alpha, beta + signings.tenure)


def _draw_onboarding(scenario: Scenario, tiers: np.ndarray, complexity: np.ndarray,
                     rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    n = len(tiers)
    work = np.zeros(n)
    durations = scenario.onboarding.durations
    for index, name in enumerate(COMPLEXITIES):
        members = np.flatnonzero(complexity == index)
        work[members] = getattr(durations, name).sample(rng, len(members))
    abandonment = scenario.onboarding.abandonment
    patience = abandonment.scale_days * rng.weibull(abandonment.shape, n)
    if not abandonment.enabled:
        patience[:] = np.inf
    onboarding_u = rng.uniform(0.0, 1.0, n)
    self_serve = np.zeros(n)
    for index, tier in enumerate(scenario.tiers):
        members = np.flatnonzero(tiers == index)
        self_serve[members] = tier.self_serve_onboarding_days.sample(rng, len(members))
    return work, patience, onboarding_u, self_serve


def _book_columns(initial: InitialBook, complexity: np.ndarray, acv: np.ndarray) -> None:
    """Put the book's complexity (where given) and ACV in place of the drawn ones."""
    count = initial.size
    given = initial.complexity >= 0
    complexity[:count][given] = initial.complexity[given]
    acv[:count] = initial.acv


def _book_timing(initial: InitialBook, book: CustomerBook) -> None:
    """The book's renewal dates, regions, work done, account ids and owners.

    An onboarding under way has the days since it began taken off its work; θ comes from the
    posterior Beta(α, β + renewals survived) (``_draw_theta``).
    """
    count = initial.size
    book.initial_acv[:count] = initial.acv
    book.acv[:count] = initial.acv
    book.first_renewal_day[:count] = initial.renewal_day
    given = initial.region >= 0
    book.region[:count][given] = initial.region[given]
    started = initial.status == STATUS_ONBOARDING
    work = book.onboarding_work[:count]
    work[started] = np.maximum(work[started] - initial.work_done_days[started], 0.0)
    n = book.size
    book.account_id = np.full(n, "", dtype=object)
    book.account_id[:count] = initial.account_id
    book.owner_name = np.full(n, "", dtype=object)
    book.owner_name[:count] = initial.owner
