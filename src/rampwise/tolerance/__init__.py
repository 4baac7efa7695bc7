"""Tolerances: ISO 286 limits and fits, ISO 2768 general tolerances, stack-ups.

:mod:`~rampwise.tolerance.spec` holds the one parser for tolerances written by people.
"""
