"""The README's tour runs as written: every ```python block is a doctest."""

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_produce_the_output_shown():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}
    for k, block in enumerate(blocks):
        if ">>>" not in block:
            continue
        test = parser.get_doctest(block, globs, f"README block {k}", str(README), 0)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)          # DocTest copies its globals: carry them forward
    assert runner.failures == 0, f"{runner.failures} README examples do not match their output"


def test_ci_runs_exactly_the_readme_test_command():
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"```\n(python3 -m pip install[^\n]*)\n```", text)
    assert len(commands) == 2, commands          # the main job and the test command
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == next(c for c in commands if "pytest" in c)
