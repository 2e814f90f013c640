"""``python -m papers.axelrod1984_ecology``."""

from papers.common import module_main

module_main("axelrod1984_ecology")()
