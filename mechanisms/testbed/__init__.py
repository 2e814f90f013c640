"""The misalignment testbed: one measured scenario per risk, the mechanisms that may
realign it, and who is accountable for what remains (:func:`run`).

>>> import mechanisms.testbed as T
>>> "aid_delivery" in T.scenarios()
True
"""

from mechanisms.testbed.runner import TestbedResult, TestbedRow, measure, run
from mechanisms.testbed.scenario import (
    NO_MECHANISM,
    Scenario,
    register,
    scenario,
    scenarios,
    unregister,
)

__all__ = ["Scenario", "register", "unregister", "scenario", "scenarios", "run",
           "measure", "TestbedResult", "TestbedRow", "NO_MECHANISM"]
