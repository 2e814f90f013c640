"""``python -m papers.carichon2025_aid_delivery``."""

from papers.common import module_main

module_main("carichon2025_aid_delivery")()
