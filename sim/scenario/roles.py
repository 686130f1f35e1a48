"""What each role means to a scenario: one row per role, read by validation and routing.

A row says which pool fields the role uses (tiers, skill, onboarding slots, fixed load), which
hiring-trigger fields apply to it, how its cost is shared over the tiers and whether pods hold
it. What the engine does with a role (its week of work, its hiring reading) is in
``sim.work.roles``, which holds one row per role too. Both tables are checked at import: a role
of ``sim.scenario.vocabulary.Role`` without a row stops the program with one line naming it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from sim.scenario.vocabulary import (
    CS_OPS,
    CSM,
    IMPLEMENTATION,
    LEADER,
    RENEWALS,
    ROLES,
    SUPPORT,
    Role,
)

CostShare = Literal["own_tiers", "own_or_pod_tiers", "all_tiers"]
"""How a pool's staff cost is shared over the tiers (in proportion to their customer days):
over the tiers it names; over those, else its pod's, else all; over all tiers."""


class MissingRoleError(RuntimeError):
    """A role of the vocabulary has no row in a role table (a programming error)."""


@dataclass(frozen=True)
class RoleFacts:
    """What one role means to a scenario."""

    title: str
    """Display name of a member of the role."""
    names_tiers: bool = False
    """The pool may name tiers (`tiers`): the accounts it owns or the customers it onboards."""
    needs_tiers: bool = False
    """The pool must name tiers (or overflow tiers)."""
    skilled: bool = False
    """The pool has a `skill`: the highest ticket level it answers."""
    onboarding_slots: int = 0
    """Concurrent onboardings per person when the pool does not say (0: does not onboard)."""
    needs_slots: bool = False
    """The pool's onboarding slots must be above 0."""
    fixed_load: bool = False
    """Its week is a fixed share of work not modelled here (`fixed_load`)."""
    triggers: tuple[str, ...] = ()
    """The hiring-trigger fields that apply to it (none: never hired by a policy)."""
    cost_share: CostShare = "all_tiers"
    """How its staff cost is shared over the tiers."""
    in_pods: bool = False
    """Pods hold pools of the role (the rest are shared services outside pods)."""


ROLE_FACTS: dict[Role, RoleFacts] = {
    CSM: RoleFacts("CSM", names_tiers=True, needs_tiers=True, onboarding_slots=3,
                   triggers=("accounts_per_csm",), cost_share="own_tiers", in_pods=True),
    IMPLEMENTATION: RoleFacts("implementation specialist", names_tiers=True, onboarding_slots=10,
                              needs_slots=True, triggers=("backlog_months",),
                              cost_share="own_or_pod_tiers", in_pods=True),
    SUPPORT: RoleFacts("support engineer", skilled=True,
                       triggers=("target_utilisation", "tickets_per_engineer_day",
                                 "sla_breach_share", "first_response_hours")),
    RENEWALS: RoleFacts("renewals specialist",
                        triggers=("target_utilisation", "renewals_per_specialist")),
    CS_OPS: RoleFacts("CS Ops", fixed_load=True,
                      triggers=("first_cs_ops_at_csms", "csms_per_cs_ops")),
    LEADER: RoleFacts("leader", fixed_load=True),
}
"""One row per role. Onboarding slots: implementation specialists 10 (8-15, §7.1), generalist
CSMs 3 (assumption)."""


def check_complete(table: Collection[str], where: str, roles: Iterable[str]) -> None:
    """Raise ``MissingRoleError`` naming the first role without a row in ``table``."""
    for role in roles:
        if role not in table:
            raise MissingRoleError(f"role {role!r} has no row in {where}: add one "
                                   "(docs/development.md, adding a role)")


check_complete(ROLE_FACTS, "sim.scenario.roles.ROLE_FACTS", ROLES)


def roles_where(flag: str) -> tuple[Role, ...]:
    """The roles whose facts have ``flag`` set, in vocabulary order."""
    return tuple(role for role in ROLES if getattr(ROLE_FACTS[role], flag))


def listing(words: Iterable[str], conjunction: str) -> str:
    """Words as an English list: ``a``, ``a and b``, ``a, b and c``."""
    items = list(words)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}" if len(items) > 1 else items[0]


def roles_with_trigger(name: str) -> tuple[Role, ...]:
    """The roles a hiring-trigger field applies to."""
    return tuple(role for role in ROLES if name in ROLE_FACTS[role].triggers)


TRIGGER_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(
    name for role in ROLES for name in ROLE_FACTS[role].triggers))
"""Every hiring-trigger field."""
