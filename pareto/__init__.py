"""Pareto frontiers between alignment dimensions, selection rules and alignment metrics.

Builds on :mod:`games`: the frontier of objective, value and preference scores over the
outcomes or equilibria of a :class:`games.Game`, and the rules that choose among them.
"""
