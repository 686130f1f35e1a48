"""The lowest layer, with no domain imports.

Clock and calendar, named random streams, distributions, counters and level monitors, errors.
"""
