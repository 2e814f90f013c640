"""``python -m papers.press_dyson2012_zd``."""

from papers.common import module_main

module_main("press_dyson2012_zd")()
