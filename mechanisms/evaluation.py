"""Measuring mechanisms: before and after (:func:`evaluate`), the critical strength at
which a condition starts to hold (:func:`threshold`), and parameter sweeps (:func:`sweep`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games import Game, InvalidGameError
from mechanisms.base import COST_LAYER, Mechanism, exact_number

__all__ = ["evaluate", "Evaluation", "compare", "Comparison", "Snapshot", "threshold", "Threshold", "sweep",
           "SweepResult", "CONDITIONS"]

#: Conditions understood by :func:`threshold` (a callable ``game -> bool`` works too).
CONDITIONS = ("equilibrium", "strict-equilibrium", "dominant", "holistic")


# ---------------------------------------------------------------------------------------
# Before and after


@dataclass(frozen=True)
class Snapshot:
    """One side of an evaluation.

    Attributes
    ----------
    game : Game
    setting : games.Setting
    report : pareto.AlignmentReport
        Scores, frontier gaps, price of anarchy, disparity and the holistic verdict.
    cooperation : float or None
        Mean probability, over players and equilibria, of each player's first action (the
        cooperative one in the catalogue's dilemmas); None without equilibria.
    cost : list of float
        The operator's expected net payment at each equilibrium (0 without a cost layer).
    """

    game: Game
    setting: Any
    report: Any
    cooperation: float | None
    cost: list[float]

    @property
    def holistic(self) -> bool:
        return bool(self.report.aligned_equilibria)

    def summary(self) -> dict[str, Any]:
        r = self.report
        best = max(r.equilibria, key=lambda e: sum(e.scores.values()), default=None)
        return {
            "setting": self.setting.kind,
            "equilibria": [e.label for e in r.equilibria],
            "cooperation": self.cooperation,
            "scores of the best equilibrium": None if best is None else best.scores,
            "price of anarchy": None if r.price is None else r.price.anarchy,
            "price of stability": None if r.price is None else r.price.stability,
            "gini between players": None if best is None or best.players is None else best.players.gini,
            "cost at equilibrium": self.cost,
            "holistically aligned equilibrium": self.holistic,
        }


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A mechanism measured before and after: :attr:`before`, :attr:`after` (each a
    :class:`Snapshot`), and the mechanism."""

    mechanism: Mechanism
    before: Snapshot
    after: Snapshot

    @property
    def cost(self) -> list[float]:
        """The operator's expected net payment at each equilibrium after the change."""
        return self.after.cost

    @property
    def restores_alignment(self) -> bool:
        """True when some equilibrium is holistically aligned after but none was before."""
        return self.after.holistic and not self.before.holistic

    def to_dict(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism.to_dict(), "before": _jsonable(self.before.summary()),
                "after": _jsonable(self.after.summary()),
                "report_before": self.before.report.to_dict(),
                "report_after": self.after.report.to_dict(),
                "restores_alignment": self.restores_alignment}

    def to_text(self) -> str:
        before, after = self.before.summary(), self.after.summary()
        width = max(len(k) for k in before)
        lines = [f"Mechanism: {self.mechanism!r} ({self.mechanism.name}; {self.mechanism.reference})",
                 f"{'':{width}}  before  ->  after"]
        for key in before:
            lines.append(f"{key:{width}}  {_show(before[key])}  ->  {_show(after[key])}")
        verdict = ("restores holistic alignment" if self.restores_alignment else
                   "keeps a holistically aligned equilibrium" if self.after.holistic else
                   "does not reach holistic alignment")
        lines.append(f"Verdict: the mechanism {verdict}.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"Evaluation({self.mechanism!r}: holistic {self.before.holistic} -> "
                f"{self.after.holistic}, cooperation {_show(self.before.cooperation)} -> "
                f"{_show(self.after.cooperation)})")

    def _repr_html_(self) -> str:
        before, after = self.before.summary(), self.after.summary()
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(_show(before[k]))}</td>"
                       f"<td>{html.escape(_show(after[k]))}</td></tr>" for k in before)
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr><th></th><th>before</th>"
                f"<th>after</th></tr>{rows}</table>")

    def plot(self, path: Any = None) -> Any:
        """Bars of the best equilibrium's score on each alignment axis, before and after.
        Returns the matplotlib Figure (saved atomically when ``path`` is given)."""
        import matplotlib.pyplot as plt

        before = self.before.summary()["scores of the best equilibrium"] or {}
        after = self.after.summary()["scores of the best equilibrium"] or {}
        axes = list(dict.fromkeys(list(before) + list(after)))
        fig, ax = plt.subplots(figsize=(6, 3.5))
        x = np.arange(len(axes))
        ax.bar(x - 0.2, [before.get(a, 0) for a in axes], 0.4, label="before")
        ax.bar(x + 0.2, [after.get(a, 0) for a in axes], 0.4, label="after")
        ax.set_xticks(x, axes)
        ax.set_title(repr(self.mechanism), fontsize=9)
        ax.legend()
        fig.tight_layout()
        if path is not None:
            from pareto.plot import save_figure

            save_figure(fig, path)
        return fig


def _show(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + "; ".join(_show(v) for v in x) + "]"
    return str(x)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.floating, Fraction)):
        return float(x)
    return x


def _snapshot(game: Game, solver: Callable[[Game], Any] | None, thresholds: Any) -> Snapshot:
    import games
    import pareto

    equilibria = None if solver is None else list(solver(game))
    report = pareto.alignment_report(game, equilibria=equilibria, thresholds=thresholds)
    found = report.sources if report.sources else (equilibria or [])
    cooperation = None
    costs: list[float] = []
    strategies = [e.strategies for e in found if hasattr(e, "strategies")]
    if strategies:
        cooperation = float(np.mean([[float(s[0]) for s in profile] for profile in strategies]))
        if COST_LAYER in game.layers:
            scored = game.replace(payoffs=np.stack([game.layers[COST_LAYER][0]] * game.n_players),
                                  layers={}, criteria={})
            costs = [float(scored.expected_payoffs(profile)[0]) for profile in strategies]
        else:
            costs = [0.0] * len(strategies)
    return Snapshot(game=game, setting=games.classify(game), report=report,
                    cooperation=cooperation, cost=costs)


def evaluate(game: Any, mechanism: Mechanism, solver: Callable[[Game], Any] | None = None,
             thresholds: Any = "half") -> Evaluation:
    """The game before and after ``mechanism``, side by side: equilibria, setting,
    cooperation level, each alignment dimension, price of anarchy and stability,
    disparity, the mechanism's cost at equilibrium, and whether some equilibrium becomes
    holistically aligned (:func:`pareto.alignment_report`). A
    :class:`games.bayesian.BayesianGame` is measured through its strategic form.

    Parameters
    ----------
    solver : callable, optional
        ``solver(game)`` returning equilibria; default every pure equilibrium and, for two
        players, every extreme mixed one.
    thresholds :
        Value thresholds, as in :func:`pareto.alignment_report`.
    """
    if not isinstance(mechanism, Mechanism):
        raise InvalidGameError(f"mechanism: expected a Mechanism, found {type(mechanism).__name__}")
    after = mechanism.apply(game)
    before = game.normal_form() if hasattr(game, "normal_form") else game  # private types
    return Evaluation(mechanism, _snapshot(before, solver, thresholds),
                      _snapshot(after, solver, thresholds))


# ---------------------------------------------------------------------------------------
# Critical strength


@dataclass(frozen=True)
class Threshold:
    """The critical strength of a mechanism family.

    Attributes
    ----------
    value : number or None
        The smallest parameter in ``bounds`` at which the condition holds (None if it
        holds nowhere in ``bounds``).
    holds_at_value : bool
        Whether the condition holds at ``value`` itself (weak inequality) or only above it.
    interval : tuple or None
        Every parameter in ``bounds`` where the condition holds, ``(low, high)``, when the
        condition is linear in the parameter (exact); None for bisection.
    exact : bool
        True when found exactly from linear conditions; False for a bisection bracket.
    bracket : tuple
        ``(fails, holds)``: parameters at which the condition was checked to fail and hold.
    method : str
    """

    value: Any
    holds_at_value: bool
    interval: tuple[Any, Any] | None
    exact: bool
    bracket: tuple[Any, Any]
    method: str
    condition: str

    def __repr__(self) -> str:
        v = "none in bounds" if self.value is None else str(self.value)
        kind = ">=" if self.holds_at_value else ">"
        return f"Threshold({self.condition}: parameter {kind} {v}, {self.method})"


def _family_game(game: Game | None, family: Any, parameter: str | None, theta: Any,
                 fixed: dict[str, Any]) -> Game:
    if isinstance(family, type) and issubclass(family, Mechanism):
        if parameter is None:
            raise InvalidGameError("parameter: name the mechanism's parameter to vary")
        made = family(**{parameter: theta}, **fixed)
    else:
        made = family(theta)
    if isinstance(made, Mechanism):
        if game is None:
            raise InvalidGameError("game: a mechanism family needs a game to apply it to")
        return made.apply(game)
    if isinstance(made, Game):
        return made
    raise InvalidGameError(f"family: expected a Mechanism class or a callable returning a "
                           f"Mechanism or a Game, found one returning {type(made).__name__}")


def _profile_index(game: Game, profile: Sequence[Any]) -> tuple[int, ...]:
    if profile is None or isinstance(profile, str) or len(profile) != game.n_players:
        raise InvalidGameError(f"profile: expected one action per player ({game.n_players}), "
                               f"found {profile!r}")
    return tuple(game.action_index(i, a) for i, a in enumerate(profile))


def _gains(game: Game, profile: Sequence[Any], condition: str) -> np.ndarray:
    """The margins whose non-negativity (positivity for strict conditions) is the
    condition: for each player and alternative action, how much the profile's action
    beats it (against the profile, or against every profile of the others for
    "dominant")."""
    index = _profile_index(game, profile)
    u = game.payoffs
    out = []
    for i in range(game.n_players):
        own = np.moveaxis(u[i], i, 0)
        if condition == "dominant":
            rows = own.reshape(game.shape[i], -1)
        else:
            others = index[:i] + index[i + 1:]
            rows = own[(slice(None), *others)].reshape(game.shape[i], 1)
        chosen = rows[index[i]]
        for b in range(game.shape[i]):
            if b != index[i]:
                out.extend(chosen - rows[b])
    return np.array(out, dtype=object if game.exact else np.float64)


def _holds(game: Game, condition: Any, profile: Any, strict: bool) -> bool:
    if callable(condition):
        return bool(condition(game))
    if condition == "holistic":
        import pareto

        return bool(pareto.alignment_report(game).aligned_equilibria)
    gains = _gains(game, profile, condition)
    return bool((gains > 0).all() if strict else (gains >= 0).all())


def threshold(game: Game | None, family: Any, parameter: str | None = None,
              condition: Any = "equilibrium", profile: Sequence[Any] | None = None,
              bounds: tuple[Any, Any] = (0, 1), fixed: dict[str, Any] | None = None,
              tolerance: float = 1e-9) -> Threshold:
    """The critical strength at which a condition starts to hold.

    On a :class:`games.symbolic.SymbolicGame` (``family`` ignored) the answer is exact and
    symbolic: the relation the parameter must satisfy, e.g. ``r >= c/b`` (give
    ``fixed={"positive": ["T - P"]}`` for signs the parameters' positivity does not
    imply).

    Parameters
    ----------
    game : Game or None
        The game the mechanisms apply to (None when ``family`` returns games).
    family : Mechanism class or callable
        ``family(**{parameter: theta}, **fixed)`` for a class, else ``family(theta)``,
        returning a Mechanism (applied to ``game``) or a Game.
    condition : str or callable
        ``"equilibrium"`` (``profile`` is a Nash equilibrium), ``"strict-equilibrium"``,
        ``"dominant"`` (each action of ``profile`` is a dominant strategy: weakly at the
        threshold, strictly above), ``"holistic"`` (some equilibrium is holistically
        aligned), or ``game -> bool``.
    bounds : (low, high)
        The parameter range searched.

    Method: for the profile conditions the margins are evaluated at three parameters; when
    they are affine in the parameter (checked exactly on exact games) the set where they
    are all non-negative is an interval found exactly. Otherwise, and for other
    conditions, the boundary is bisected to ``tolerance`` between a parameter where the
    condition fails and one where it holds (assumed to hold from some point on).

    Examples
    --------
    Hamilton's rule on the donation game: cooperation dominant from r = c/b.

    >>> import games, mechanisms
    >>> t = threshold(games.catalog.prisoners_dilemma(b=4, c=1), mechanisms.Kinship,
    ...               "relatedness", condition="dominant", profile=("C", "C"))
    >>> t.value, t.exact
    (Fraction(1, 4), True)
    """
    from games.symbolic import SymbolicGame, solve_threshold

    if isinstance(game, SymbolicGame):
        if condition not in ("equilibrium", "strict-equilibrium") or parameter is None:
            raise InvalidGameError("condition: a symbolic game gives exact thresholds for "
                                   "'equilibrium' or 'strict-equilibrium' in a named parameter")
        strict = condition == "strict-equilibrium"
        relation = solve_threshold(game, parameter, profile, strict=strict,
                                   positive=tuple((fixed or {}).get("positive", ())))
        return Threshold(relation, not strict, None, True, (None, None),
                         "symbolic: the equilibrium conditions solved exactly", condition)
    fixed = dict(fixed or {})
    low, high = bounds
    if not low < high:
        raise InvalidGameError(f"bounds: expected low < high, found {bounds!r}")
    name = condition if isinstance(condition, str) else getattr(condition, "__name__", "condition")
    if isinstance(condition, str) and condition not in CONDITIONS:
        raise InvalidGameError(f"condition: expected one of {CONDITIONS} or a callable, found {condition!r}")
    strict = condition == "strict-equilibrium"
    if isinstance(condition, str) and condition != "holistic":
        linear = _linear_threshold(game, family, parameter, condition, profile, low, high, fixed,
                                   strict)
        if linear is not None:
            return linear
    return _bisect(game, family, parameter, condition, profile, low, high, fixed, strict,
                   tolerance, name)


def _linear_threshold(game, family, parameter, condition, profile, low, high, fixed, strict):
    exact = exact_number(low) and exact_number(high)
    lo = Fraction(low) if exact else float(low)
    hi = Fraction(high) if exact else float(high)
    # Sample inside the range (a family may be undefined at an end, e.g. w = 1).
    t0, t1, t2 = lo + (hi - lo) / 4, lo + 3 * (hi - lo) / 4, (lo + hi) / 2
    samples = [_gains(_family_game(game, family, parameter, t, fixed), profile, condition)
               for t in (t0, t1, t2)]
    s0, s1, s2 = samples
    if not (s0.shape == s1.shape == s2.shape):
        return None
    slope = (s1 - s0) / (t1 - t0)
    predicted = s0 + slope * (t2 - t0)
    if s0.dtype == object and s1.dtype == object and s2.dtype == object:
        if any(p != m for p, m in zip(predicted, s2)):
            return None
        is_exact = True
    else:
        scale = max(1.0, float(np.abs(np.asarray(samples, dtype=float)).max()))
        if np.abs(np.asarray(predicted, dtype=float) - np.asarray(s2, dtype=float)).max() > 1e-9 * scale:
            return None
        is_exact = False
    g0 = s0 - slope * (t0 - lo)     # the margins at lo
    # Each margin a + s (t - lo) >= 0 (or > 0): intersect half-lines with [lo, hi].
    start, end = lo, hi
    start_open = end_open = False
    for a, s in zip(g0, slope):
        if s == 0:
            if a < 0 or (strict and a == 0):
                return Threshold(None, False, None, is_exact, (hi, hi), "linear", condition)
            continue
        root = lo - a / s
        if s > 0:
            if root > start or (root == start and strict):
                start, start_open = max(start, root), strict or start_open
        else:
            if root < end or (root == end and strict):
                end, end_open = min(end, root), strict or end_open
    if start > end or (start == end and (start_open or end_open)):
        return Threshold(None, False, None, is_exact, (hi, hi), "linear", condition)
    holds_at = not start_open
    if condition == "dominant" and start > lo:
        # At the boundary a margin is 0: weakly dominant there, strictly above.
        holds_at = True
    return Threshold(start, holds_at, (start, end), is_exact, (lo if start > lo else start, start),
                     "linear: exact intersection of affine margins", condition)


def _bisect(game, family, parameter, condition, profile, low, high, fixed, strict, tolerance, name):
    def holds(t: Any) -> bool:
        return _holds(_family_game(game, family, parameter, t, fixed), condition, profile, strict)

    lo, hi = float(low), float(high)
    if holds(lo):
        return Threshold(low, True, None, False, (low, low), "bisection", name)
    if not holds(hi):
        return Threshold(None, False, None, False, (hi, hi), "bisection", name)
    for _ in range(200):
        if hi - lo <= tolerance * max(1.0, abs(hi)):
            break
        mid = (lo + hi) / 2
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return Threshold(hi, True, None, False, (lo, hi), "bisection (certified bracket)", name)


# ---------------------------------------------------------------------------------------
# Sweeps


@dataclass(frozen=True)
class SweepResult:
    """Measurements over a parameter grid, in grid order."""

    parameters: list[Any]
    values: list[Any]
    measure: str = field(default="")

    def __repr__(self) -> str:
        return f"SweepResult({len(self.parameters)} points of {self.measure})"

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": _jsonable(list(self.parameters)), "values": _jsonable(list(self.values)),
                "measure": self.measure}


def default_measure(game: Game, seed: Any = None) -> dict[str, Any]:
    """Pure equilibria, the cooperation level (mean share of first actions at them) and
    the welfare range at them."""
    import games

    found = games.pure_equilibria(game)
    profiles = [e.profile for e in found]
    welfare = [float(sum(e.payoffs)) for e in found]
    cooperation = float(np.mean([[a == 0 for a in p] for p in profiles])) if profiles else None
    return {"equilibria": [list(p) for p in profiles], "cooperation": cooperation,
            "welfare": [min(welfare), max(welfare)] if welfare else None}


@dataclass(frozen=True)
class _SweepTask:
    game: Game | None
    family: Any
    parameter: str | None
    fixed: dict[str, Any]
    measure: Callable[..., Any]
    seeded: bool

    def __call__(self, theta: Any, seed: Any = None) -> Any:
        g = _family_game(self.game, self.family, self.parameter, theta, self.fixed)
        return self.measure(g, seed) if self.seeded else self.measure(g)


def _run_sweep_task(item: tuple[_SweepTask, Any], seed: Any = None) -> Any:
    task, theta = item
    return task(theta, seed)


def sweep(game: Game | None, family: Any, grid: Sequence[Any], parameter: str | None = None,
          measure: Callable[..., Any] | None = None, fixed: dict[str, Any] | None = None,
          executor: Any = None, seed: Any = None, progress: bool | None = None) -> SweepResult:
    """Apply a mechanism family at every parameter of ``grid`` and measure the result,
    through :func:`games.parallel.run_tasks` (any ``concurrent.futures.Executor``: a local
    process pool by default for long sweeps, ``dask.distributed.Client().get_executor()``
    unchanged), with a progress bar on long runs.

    ``measure(game)`` (or ``measure(game, seed)`` when ``seed`` is given: a
    :class:`numpy.random.SeedSequence` child per grid point, so results are identical on
    one worker or many) defaults to :func:`default_measure`.
    """
    from games.parallel import run_tasks

    grid = list(grid)
    if not grid:
        raise InvalidGameError("grid: expected at least one parameter value, found none")
    seeded = seed is not None
    task = _SweepTask(game, family, parameter, dict(fixed or {}), measure or default_measure,
                      seeded)
    values = run_tasks(_run_sweep_task, [(task, theta) for theta in grid], seed=seed,
                       seeded=seeded, executor=executor, progress=progress,
                       description="mechanism sweep")
    return SweepResult(grid, values, getattr(task.measure, "__name__", "measure"))


@dataclass(frozen=True, eq=False)
class Comparison:
    """Several mechanisms evaluated on one game (:func:`compare`)."""

    evaluations: list[Evaluation]

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for e in self.evaluations:
            equilibria = e.after.report.equilibria
            out.append({"mechanism": repr(e.mechanism),
                        "holistic": e.after.holistic,
                        "equilibria": len(equilibria),
                        "best value score": max((q.scores.get("value", float("nan"))
                                                 for q in equilibria), default=None),
                        "cooperation": e.after.cooperation,
                        "cost at equilibrium": [float(c) for c in e.after.cost]})
        return out

    def to_text(self) -> str:
        rows = self.rows()
        if not rows:
            return "no mechanisms"
        lines = [f"{'mechanism':58}  holistic  equilibria  value  cooperation  cost"]
        for r in rows:
            name = r["mechanism"] if len(r["mechanism"]) <= 58 else r["mechanism"][:55] + "..."
            lines.append(f"{name:58}  {'yes' if r['holistic'] else 'no':8}  {r['equilibria']:10d}  "
                         f"{_show(r['best value score']):5}  {_show(r['cooperation']):11}  "
                         f"{_show(r['cost at equilibrium'])}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Comparison({len(self.evaluations)} mechanisms)"

    def _repr_html_(self) -> str:
        rows = self.rows()
        head = "".join(f"<th>{html.escape(k)}</th>" for k in rows[0]) if rows else ""
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_show(v))}</td>" for v in r.values())
                       + "</tr>" for r in rows)
        return f"<table><tr>{head}</tr>{body}</table>"

    def to_dict(self) -> dict[str, Any]:
        return {"mechanisms": _jsonable(self.rows())}


def compare(game: Any, mechanisms: Sequence[Mechanism], solver: Callable[[Game], Any] | None = None,
            thresholds: Any = "half") -> Comparison:
    """Evaluate each mechanism on ``game`` (:func:`evaluate`) and tabulate which ones make
    an equilibrium holistically aligned, and at what cost to the operator."""
    return Comparison([evaluate(game, m, solver=solver, thresholds=thresholds) for m in mechanisms])
