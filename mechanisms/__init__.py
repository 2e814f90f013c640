"""Realignment mechanisms: interventions that change a game's incentives, measured
before and after on every alignment dimension (builds on :mod:`games` and :mod:`pareto`).
"""
