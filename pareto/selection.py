"""Selection rules: which Pareto-optimal point to choose, and on what axioms.

Every rule chooses among the non-dominated points (so each satisfies Pareto
optimality); ties are broken by leximin, then by the lowest index, so the answer is
deterministic. Points are rows of an (N, d) array, every column maximised; a
:class:`pareto.Frontier` is accepted too (its labels are then returned).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from games.errors import InvalidArgumentError, SolverError
from pareto.dominance import nondominated
from pareto.frontier import Frontier
from pareto.points import as_points, as_vector

__all__ = ["select", "Selection", "RULES"]

#: The selection rules understood by :func:`select`.
RULES = ("utilitarian", "egalitarian", "leximin", "nash", "kalai-smorodinsky", "weighted",
         "values-first")

#: Scores within this fraction of the largest score magnitude tie (then leximin decides).
TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Selection:
    """The chosen point.

    Attributes
    ----------
    index : int
        Row of the chosen point in the input.
    point : ndarray
    rule : str
    value : float or tuple of float
        What the rule maximised at the chosen point (leximin: the sorted gains over the
        disagreement point).
    label : str or None
        Its label, when a Frontier was given.
    admissible : int
        How many points the rule could choose from (after thresholds).
    """

    index: int
    point: np.ndarray
    rule: str
    value: float | tuple[float, ...]
    label: str | None = None
    admissible: int = 0

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else float(self.value)
        return {"index": self.index, "point": [float(v) for v in self.point], "rule": self.rule,
                "value": value, "label": self.label, "admissible": self.admissible}

    def _repr_html_(self) -> str:
        esc = html.escape
        value = self.value if isinstance(self.value, tuple) else (self.value,)
        rows = [("rule", self.rule), ("index", str(self.index)),
                ("label", "" if self.label is None else self.label),
                ("point", ", ".join(f"{v:.6g}" for v in self.point)),
                ("value", ", ".join(f"{v:.6g}" for v in value)),
                ("admissible points", str(self.admissible))]
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        return f"<table><caption>Selection</caption>{body}</table>"


def _leximin_key(rows: np.ndarray) -> np.ndarray:
    """Order (best first) by the sorted-ascending vectors, compared lexicographically."""
    s = np.sort(rows, axis=1)
    return np.lexsort(tuple(-s[:, j] for j in range(s.shape[1] - 1, -1, -1)))


def select(points: Any, rule: str = "utilitarian", disagreement: Any = None,
           weights: Any = None, thresholds: Any = None, then: str = "leximin") -> Selection:
    r"""Choose one point by a social-choice or bargaining rule.

    Rules (x a point, d the disagreement point, all columns maximised):

    - ``"utilitarian"``: :math:`\max \sum_j x_j`. Axioms: Pareto, anonymity,
      independence of common origins; needs cardinal, unit-comparable scores
      (Harsanyi 1955; d'Aspremont & Gevers 1977).
    - ``"egalitarian"``: :math:`\max \min_j (x_j - d_j)` (Rawls 1971; Kalai 1977 for
      bargaining). Axioms: weak Pareto, anonymity, monotonicity; level-comparable scores.
    - ``"leximin"``: maximise the smallest gain, then the second smallest, ...
      Axioms: strong Pareto, anonymity, Hammond's equity (Sen 1970; Hammond 1976).
    - ``"nash"``: :math:`\max \prod_j (x_j - d_j)` over points strictly above ``d``.
      Axioms: Pareto, symmetry, invariance to positive affine rescaling of each axis,
      independence of irrelevant alternatives (Nash 1950).
    - ``"kalai-smorodinsky"``: maximise :math:`\min_j (x_j - d_j) / (I_j - d_j)` with
      :math:`I` the ideal point (best of each axis): the point closest along the ray from
      d to I. Axioms: Pareto, symmetry, scale invariance, individual monotonicity
      instead of IIA (Kalai & Smorodinsky 1975).
    - ``"weighted"``: :math:`\max \sum_j w_j x_j`, weights >= 0 not all 0. Axioms:
      Pareto (strong when all w > 0); every supported Pareto point is chosen by some w.
    - ``"values-first"``: lexicographic priority of values: a point below any of the
      ``thresholds`` (one per column, None for no threshold) is never selectable; among
      the others the rule ``then`` chooses (default leximin). Axioms: those of ``then``
      restricted to the admissible set; not continuous (a threshold is a hard
      constraint, as deontological value constraints are meant to be).

    Parameters
    ----------
    points : array_like (N, d) or Frontier
    rule : str
    disagreement : array_like (d,), optional
        The status-quo point for egalitarian, nash and kalai-smorodinsky (default: the
        componentwise minimum of the points).
    weights : array_like (d,), optional
        For ``"weighted"``.
    thresholds : array_like (d,), optional
        For ``"values-first"`` (None entries are unconstrained).
    then : str
        The rule applied after the thresholds of ``"values-first"``.

    Returns
    -------
    Selection

    Raises
    ------
    InvalidArgumentError
        An unknown rule, missing or malformed weights, thresholds or disagreement point,
        no points, points that are not finite numbers.
    SolverError
        No point meets the thresholds, or (nash) no point is strictly above ``d``.

    Examples
    --------
    >>> pts = [[4, 1], [3, 3], [1, 4], [2, 2]]
    >>> select(pts, "utilitarian").index, select(pts, "egalitarian").index
    (1, 1)
    >>> select(pts, "weighted", weights=[1, 0]).index
    0
    >>> select(pts, "values-first", thresholds=[None, 3.5]).index
    2
    """
    labels = None
    if isinstance(points, Frontier):
        labels = list(points.labels)
        points = points.points
    x = as_points(points)
    n, d = x.shape
    if n == 0:
        raise InvalidArgumentError("points: expected at least one point, found none")
    if not isinstance(rule, str) or rule not in RULES:
        raise InvalidArgumentError(f"rule: expected one of {RULES}, found {rule!r}")
    if disagreement is None:
        dpt = x.min(axis=0)
    else:
        dpt = as_vector(disagreement, "disagreement", d, " (one per column of points)")
    if rule == "values-first":
        lower = _thresholds(thresholds, d)
        if not isinstance(then, str) or then == "values-first" or then not in RULES:
            raise InvalidArgumentError(f"then: expected another rule of {RULES}, found {then!r}")
        ok = np.all(x >= lower, axis=1)
        if not ok.any():
            raise SolverError(
                f"values-first: no point meets the thresholds {list(thresholds)} (best per "
                f"column {x.max(axis=0).tolist()})")
        candidates = np.flatnonzero(ok)
        inner = select(x[candidates], then, disagreement, weights)
        k = int(candidates[inner.index])
        return Selection(k, x[k].copy(), f"values-first then {then}", inner.value,
                         None if labels is None else labels[k], len(candidates))
    w = None
    if rule == "weighted":
        if weights is None:
            raise InvalidArgumentError(
                "weights: the weighted rule needs one weight per column, found none")
        w = as_vector(weights, "weights", d, " (one per column of points)")
        if np.any(w < 0) or not np.any(w > 0):
            raise InvalidArgumentError(
                f"weights: expected {d} non-negative weights, not all zero, found {w.tolist()}")
    keep = nondominated(x)
    candidates = np.flatnonzero(keep)
    c = x[candidates]
    gains = c - dpt
    if rule == "utilitarian":
        score = c.sum(axis=1)
    elif rule == "egalitarian":
        score = gains.min(axis=1)
    elif rule == "leximin":
        order = _leximin_key(gains)
        k = int(candidates[order[0]])
        return Selection(k, x[k].copy(), rule, tuple(float(v) for v in np.sort(x[k] - dpt)),
                         None if labels is None else labels[k], len(candidates))
    elif rule == "nash":
        above = np.all(gains > 0, axis=1)
        if not above.any():
            raise SolverError("nash: no point is strictly better than the disagreement point "
                              f"{dpt.tolist()} on every axis")
        with np.errstate(divide="ignore"):
            score = np.where(above, np.sum(np.log(np.where(above[:, None], gains, 1.0)), axis=1),
                             -np.inf)
    elif rule == "kalai-smorodinsky":
        ideal = c.max(axis=0)
        span = ideal - dpt
        span = np.where(span > 0, span, 1.0)
        score = (gains / span).min(axis=1)
    else:  # weighted
        score = c @ w
    best = score.max()
    scale = float(np.abs(score[np.isfinite(score)]).max())
    tied = np.flatnonzero(score >= best - TIE_TOLERANCE * scale)
    pick = tied[_leximin_key(gains[tied])[0]] if len(tied) > 1 else tied[0]
    k = int(candidates[pick])
    value = float(np.exp(best)) if rule == "nash" else float(best)
    return Selection(k, x[k].copy(), rule, value, None if labels is None else labels[k],
                     len(candidates))


def _thresholds(thresholds: Any, d: int) -> np.ndarray:
    """The lower bounds of the values-first rule: one finite number or None per column."""
    if thresholds is None:
        raise InvalidArgumentError("thresholds: the values-first rule needs one threshold per "
                                   "column (None for an unconstrained column), found none")
    if isinstance(thresholds, (str, bytes)) or not hasattr(thresholds, "__len__"):
        raise InvalidArgumentError(
            f"thresholds: expected {d} entries (a number or None per column), "
            f"found {thresholds!r}")
    if len(thresholds) != d:
        raise InvalidArgumentError(f"thresholds: expected {d} entries (one per column), "
                                   f"found {len(thresholds)}")
    lower = np.full(d, -np.inf)
    for j, t in enumerate(thresholds):
        if t is None:
            continue
        lower[j] = as_vector(t, f"thresholds[{j}]", 1)[0]
    return lower
