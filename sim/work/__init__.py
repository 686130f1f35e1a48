"""Where staff meet customers.

Onboarding and support desks, touches, renewal and trigger tasks, borrowing, a pool's week.
"""
