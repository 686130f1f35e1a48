"""Timeouts with an explicit order among events due at the same instant.

At one instant SimPy handles events by priority, then by the order they were scheduled.
The support desk's day must close before the weekly accounting that reads it, and the period
recorder must run after everything else due at the period's end.
"""

from __future__ import annotations

import simpy
from simpy.core import NORMAL, URGENT, EventPriority

FIRST = EventPriority(URGENT)
"""Before ordinary events at the same instant."""
LAST = EventPriority(NORMAL + 1)
"""After ordinary events at the same instant."""


class OrderedTimeout(simpy.events.Timeout):
    """A timeout with a priority among events due at the same time.

    Args:
        env: the environment.
        delay: days from now.
        priority: ``FIRST`` or ``LAST``.
    """

    def __init__(self, env: simpy.Environment, delay: float, priority: EventPriority) -> None:
        if delay < 0:
            raise ValueError(f'"delay" must be >= 0, got {delay}')
        self.env = env
        self.callbacks = []
        self._value = None
        self._delay = delay
        self._ok = True
        env.schedule(self, priority, delay)
