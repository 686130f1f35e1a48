"""The words a scenario is written in, each spelled once.

Roles, organisation and touch models, ticket levels and implementation complexities. Everything
else imports these names (the engine compares with the constants below, never with a string of
its own). What each role means to the schema is in ``sim.scenario.roles``, what the
engine does with it in ``sim.work.roles``.
"""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["csm", "implementation", "support", "renewals", "cs_ops", "leader"]
"""What a staff pool does (§7)."""
ROLES: tuple[Role, ...] = get_args(Role)
CSM, IMPLEMENTATION, SUPPORT, RENEWALS, CS_OPS, LEADER = ROLES

ChangeableOrgModel = Literal["generalist", "specialist", "pod"]
"""The organisation models a strategy can change to (regions are fixed for the whole run)."""
OrgModel = Literal[ChangeableOrgModel, "geographic"]
"""The organisation models (§9)."""
ORG_MODELS: tuple[OrgModel, ...] = get_args(OrgModel)
GENERALIST, SPECIALIST, POD, GEOGRAPHIC = ORG_MODELS

TouchModel = Literal["high", "medium", "low", "tech"]
"""How a tier is served: high, medium and low touch by CSMs, tech touch automated (§2)."""
TOUCH_MODELS: tuple[TouchModel, ...] = get_args(TouchModel)

TicketLevel = Literal["T1", "T2", "T3"]
"""Support ticket levels, simplest first (§6.7)."""
TICKET_LEVELS: tuple[TicketLevel, ...] = get_args(TicketLevel)

Complexity = Literal["low", "medium", "high"]
"""Implementation complexity of a customer, simplest first."""
COMPLEXITIES: tuple[Complexity, ...] = get_args(Complexity)
