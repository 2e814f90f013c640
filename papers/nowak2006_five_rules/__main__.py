"""``python -m papers.nowak2006_five_rules``."""

from papers.common import module_main

module_main("nowak2006_five_rules")()
