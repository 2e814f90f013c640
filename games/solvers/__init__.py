"""Equilibrium solvers, one algorithm family per module."""
