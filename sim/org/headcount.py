"""Who is on staff: putting people on and off a pool, the CSM headcount and the leaders it derives.

The moves of work that follow a join or a departure (accounts, renewal work, onboardings) are in
``sim.work.staffing``.
"""

from __future__ import annotations

from sim.org.pools import Person, Pool
from sim.org.run import OrgRun
from sim.scenario.vocabulary import CSM


def new_person(world: OrgRun, pool: Pool, hired_day: float) -> Person:
    """A new person of a pool with the next staff id and a random stream of their own."""
    person = Person(world.next_person_id, pool, hired_day,
                    world.streams.for_person(world.next_person_id))
    world.next_person_id += 1
    world.people[person.id] = person
    return person


def add_member(world: OrgRun, pool: Pool, person: Person) -> None:
    """Put a person on a pool's staff: members, headcount level and the derived leaders."""
    pool.members.append(person)
    pool.track(person)
    pool.changes += 1
    world.headcount_level.change(pool.index, +1, world.now)
    if pool.role == CSM:
        follow_csm_headcount(world)


def remove_member(world: OrgRun, pool: Pool, person: Person) -> None:
    """Take a person off a pool's staff: members, headcount level and the derived leaders."""
    pool.members.remove(person)
    pool.changes += 1
    world.headcount_level.change(pool.index, -1, world.now)
    if pool.role == CSM:
        follow_csm_headcount(world)


def csm_headcount(world: OrgRun) -> int:
    """People on staff in all CSM pools."""
    return sum(len(pool.members) for pool in world.pools_with_role(CSM))


def follow_csm_headcount(world: OrgRun) -> None:
    """Update the derived layers after the CSM headcount changed (no-op unless derived)."""
    if world.leadership.derived:
        world.leadership.follow(csm_headcount(world), world.now)
