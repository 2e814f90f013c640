"""``python -m papers.axelrod1984_ecology``."""

from papers._common import module_main

module_main("axelrod1984_ecology")()
