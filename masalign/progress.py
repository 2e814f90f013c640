"""A status line on standard error for analyses that take more than a moment."""

from __future__ import annotations

import sys
import threading
import time
from typing import IO

__all__ = ["Status", "PROGRESS_DELAY"]

#: Seconds an analysis runs before its status line appears (short runs stay quiet).
PROGRESS_DELAY = 1.0


class Status:
    """The current step of a long computation, shown on ``stream`` once it has run for
    ``delay`` seconds: rewritten in place on a terminal, one line a step elsewhere.

    ``Status(enabled=False)`` shows nothing; use it as a context manager (the line is
    cleared at the end).
    """

    def __init__(self, enabled: bool = True, stream: IO[str] | None = None,
                 delay: float | None = None) -> None:
        self.enabled = enabled
        self.stream = sys.stderr if stream is None else stream
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.step = ""
        self.detail = ""
        self._start = time.monotonic()
        self._shown = False
        self._printed_step = ""
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __enter__(self) -> Status:
        self._start = time.monotonic()
        if self.enabled and self.delay > 0:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._shown and self._tty:
                self.stream.write("\r\033[K")
                self.stream.flush()
            self.enabled = False

    def set(self, step: str, detail: str = "") -> None:
        """Start a new step (``detail``: e.g. ``"label 3 of 400"``)."""
        self.step, self.detail = step, detail
        self._maybe_show()

    def update(self, detail: str) -> None:
        """Progress within the current step."""
        self.detail = detail
        self._maybe_show()

    def _maybe_show(self) -> None:
        if self.enabled and time.monotonic() - self._start >= self.delay:
            self._show()

    def _show(self) -> None:
        with self._lock:
            if not self.enabled or not self.step:
                return
            self._shown = True
            elapsed = time.monotonic() - self._start
            if self._tty:
                detail = f" ({self.detail})" if self.detail else ""
                self.stream.write(f"\r\033[Kmasalign: {self.step}{detail}... {elapsed:.0f}s")
            elif self.step != self._printed_step:
                self.stream.write(f"masalign: {self.step}...\n")
                self._printed_step = self.step
            else:
                return
            self.stream.flush()
