"""``python -m papers.ohtsuki2006_networks``."""

from papers.common import module_main

module_main("ohtsuki2006_networks")()
