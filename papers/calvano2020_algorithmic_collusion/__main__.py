"""``python -m papers.calvano2020_algorithmic_collusion``."""

from papers.common import module_main

module_main("calvano2020_algorithmic_collusion")()
