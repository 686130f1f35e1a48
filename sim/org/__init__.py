"""Staff and who serves whom.

Pools and people, routing look-ups, staffing, budget, CS Ops and leadership.
"""
