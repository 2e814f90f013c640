"""The application layer of masalign: the command line and reports (builds on games,
pareto and mechanisms)."""

from games import __version__ as __version__  # one version for the distribution
from masalign.document import (
    Report,
    game_report,
    report_html,
    scenario_report,
    testbed_report,
)

__all__ = ["Report", "game_report", "scenario_report", "testbed_report", "report_html"]
