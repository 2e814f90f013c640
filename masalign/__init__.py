"""The application layer of masalign: the command line and reports (builds on games,
pareto and mechanisms)."""

from games import __version__ as __version__  # one version for the distribution
