"""Pareto dominance on point sets: the non-dominated filter and the hypervolume indicator.

Conventions: a point set is an ``(N, d)`` array, one row per point; every column is
maximised unless ``maximize`` says otherwise (a bool for all columns or one per column).
``a`` *dominates* ``b`` when ``a >= b`` in every column and ``a > b`` in at least one
(Pareto dominance); ``a`` *strictly dominates* ``b`` when ``a > b`` in every column.

Each function checks its input (:mod:`pareto.points`), runs the algorithm
(:mod:`pareto._dominance_kernels`, compiled on first call) and checks the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from games.arguments import check_flag
from games.errors import SolverError
from pareto._dominance_kernels import first_occurrences, hypervolume_positive, nondominated_mask
from pareto.points import as_points, as_vector, column_signs, oriented

__all__ = ["nondominated", "hypervolume", "dominates"]

#: Relative slack of the hypervolume's bounds check (float rounding of the sums).
HYPERVOLUME_CHECK_SLACK = 1e-9


def dominates(a: Any, b: Any, maximize: bool | Sequence[bool] = True,
              strict: bool = False) -> bool:
    """Whether point ``a`` (Pareto-)dominates point ``b``; strictly when ``strict``.

    Examples
    --------
    >>> dominates([2, 1], [1, 1]), dominates([2, 1], [1, 1], strict=True)
    (True, False)
    """
    x = as_vector(a, "a")
    y = as_vector(b, "b", len(x), " (as many as a)")
    strict = check_flag(strict, "strict")
    signs = column_signs(maximize, len(x))
    x, y = x * signs, y * signs
    if strict:
        return bool(np.all(x > y))
    return bool(np.all(x >= y) and np.any(x > y))


def nondominated(points: Any, maximize: bool | Sequence[bool] = True, strict: bool = False,
                 keep_duplicates: bool = True) -> np.ndarray:
    r"""Boolean mask of the non-dominated rows of an ``(N, d)`` array.

    Row ``i`` is kept when no row dominates it: with ``strict=False`` (Pareto optimality)
    no row ``j`` has :math:`x_j \ge x_i` everywhere and :math:`x_j > x_i` somewhere; with
    ``strict=True`` (weak Pareto optimality, a larger set) no row has :math:`x_j > x_i`
    in every column. Identical rows never dominate each other, so duplicates of a
    non-dominated point are all kept, unless ``keep_duplicates=False`` keeps only the
    first occurrence.

    Method: exact pre-filters first remove most dominated points: the points dominated
    by a few pivots (each pivot maximises a strictly positive weighted sum, so it is
    itself non-dominated) and, on large inputs, a grid filter (below); a sample decides
    which runs first, whether the pivots are worth a pass at all, and whether the
    sample's own pivots can do the first pass (when they leave few points; the exact
    pivots are then found among the survivors). Then

    - d = 1: the maximum;
    - d = 2: sort on the first coordinate (descending) and one sweep keeping the best
      second coordinate seen, a group of equal first coordinates at a time: O(N log N);
    - d = 3: sort on the first coordinate and sweep with a sorted staircase of the
      (y, z) projections of the points kept so far (binary search; Kung, Luccio &
      Preparata 1975): O(N log N) comparisons;
    - d > 3, up to 512 candidates: sort by the coordinate sum (a dominator never has a
      smaller float sum, since rounded addition is monotone) and compare each point only
      with the non-dominated points found so far (the sort-filter-skyline idea, Chomicki
      et al. 2003), compiled;
    - d > 3, beyond: a sweep down the first coordinate (sorted lexicographically, so
      every dominator comes first; Kung, Luccio & Preparata 1975): a point is dominated
      exactly when a point kept earlier is at least as large in the other d - 1
      coordinates (strictly larger for strict dominance, with a group of equal first
      coordinates added only once all of it is answered). That (d - 1)-dimensional
      orthant query runs on a k-d tree over the last d - 1 coordinates, built once over
      all the candidates (midpoint splits of the cell on its widest axis, leaves of 32);
      each node holds the coordinate-wise maximum of the kept points below it and each
      leaf its kept points contiguously. A query starts at the point's own leaf and
      climbs to the root, searching only the sibling subtrees whose maximum could hold a
      dominator (nearby ones first). Runs of identical points share one query.
      From 50,000 candidates on, when the process may use two or more CPUs, the sweep
      runs on two threads: the candidates with the largest first coordinates (about
      55%, ties kept together) and the rest are sorted and swept at once, then the
      survivors of the rest are looked up, in two parts at once, in the upper part's
      finished tree (top-down).

    The grid filter (inputs beyond 4096 points): a point is dropped when a
    grid cell strictly above its own in the first d - 1 axes holds a point at least as
    large in the last one (one binning pass and a suffix maximum over the cells).
    Memory: the oriented float64 copy of the points, a sorted copy of the candidates and
    O(N d) for the tree; never an N x N matrix.

    Parameters
    ----------
    points : array_like, shape (N, d)
        Finite numbers (integers and fractions are compared as float64).
    maximize : bool or sequence of bool
        Maximise every column (default), minimise every column, or one flag per column.
    strict : bool
        Use strict dominance (keep the weakly Pareto-optimal rows).
    keep_duplicates : bool
        Keep every copy of a non-dominated row (default) or the first only.

    Returns
    -------
    ndarray of bool, shape (N,)

    Raises
    ------
    InvalidArgumentError
        Values that are not numbers, NaN or infinite values, a shape that is not (N, d),
        a bad ``maximize``, ``strict`` or ``keep_duplicates``.
    SolverError
        The mask fails its check (the lexicographically largest point, never dominated,
        must be kept).

    References
    ----------
    Kung, H. T., Luccio, F. & Preparata, F. P. (1975). On finding the maxima of a set of
    vectors. Journal of the ACM 22(4), 469-476.

    Examples
    --------
    >>> nondominated([[1, 2], [2, 1], [1, 1], [2, 1]]).tolist()
    [True, True, False, True]
    >>> nondominated([[1, 2], [2, 1], [1, 1]], maximize=False).tolist()
    [False, False, True]
    """
    x = oriented(points, maximize)
    strict = check_flag(strict, "strict")
    keep_duplicates = check_flag(keep_duplicates, "keep_duplicates")
    mask = nondominated_mask(x, strict)
    if not keep_duplicates and mask.any():
        mask = first_occurrences(x, mask)
    _check_mask(x, mask)
    return mask


def _check_mask(x: np.ndarray, mask: np.ndarray) -> None:
    """The lexicographically largest row (its first copy) is never dominated: it must be
    kept."""
    if len(x) == 0:
        return
    rows = np.arange(len(x))
    for j in range(x.shape[1]):
        rows = rows[x[rows, j] == x[rows, j].max()]
    if not mask[rows[0]]:
        raise SolverError(
            f"nondominated: the lexicographically largest point (row {int(rows[0])}) was "
            f"dropped; please report this input")


def hypervolume(points: Any, reference: Any, maximize: bool | Sequence[bool] = True) -> float:
    r"""The hypervolume indicator: the measure of the region dominated by ``points`` and
    bounded by ``reference``.

    .. math:: HV(P, r) = \lambda\Big(\bigcup_{p \in P} [r, p]\Big)

    for maximisation (boxes from the reference up to each point; for a minimised column
    the box runs from the point up to the reference). Points that do not strictly beat the
    reference in every column contribute nothing.

    Method: exact for every d. d = 1: a length; d = 2: sort and sum rectangles,
    O(N log N); d = 3: a sweep over the third coordinate keeping the 2-D staircase and its
    area, compiled; d > 3: hypervolume by slicing objectives (While, Hingston, Barone &
    Bolton 2006): sort on the last coordinate and sum the (d - 1)-dimensional volumes of
    the slabs, recursively down to the 3-D sweep (exponential in d in the worst case,
    fine for the front sizes of games).

    Parameters
    ----------
    points : array_like, shape (N, d)
    reference : array_like, shape (d,)
        A point every counted point beats (below every maximised column).
    maximize : bool or sequence of bool

    Returns
    -------
    float

    Raises
    ------
    InvalidArgumentError
        Malformed points, a reference that is not d finite numbers, a bad ``maximize``.
    SolverError
        The volume falls outside its bounds (at least the largest single box, at most
        the box from the reference to the ideal point).

    References
    ----------
    While, L., Hingston, P., Barone, L. & Huband, S. (2006). A faster algorithm for
    calculating hypervolume. IEEE Transactions on Evolutionary Computation 10(1), 29-38.
    Beume, N., Fonseca, C. M., Lopez-Ibanez, M., Paquete, L. & Vahrenhold, J. (2009). On
    the complexity of computing the hypervolume indicator. IEEE TEC 13(5), 1075-1082.

    Examples
    --------
    >>> hypervolume([[1, 2], [2, 1]], reference=[0, 0])
    3.0
    >>> hypervolume([[1, 1, 1]], reference=[0, 0, 0])
    1.0
    """
    x = as_points(points)
    n, d = x.shape
    ref = as_vector(reference, "reference", d or None, " (one per column of points)")
    signs = column_signs(maximize, len(ref))
    if n == 0:
        return 0.0
    # maximisation form relative to the reference: lengths (p - r) * sign > 0
    rel = (x - ref) * signs
    rel = rel[np.all(rel > 0, axis=1)]
    if len(rel) == 0:
        return 0.0
    rel = rel[nondominated_mask(rel, False)]
    volume = float(hypervolume_positive(rel))
    _check_volume(rel, volume)
    return volume


def _check_volume(rel: np.ndarray, volume: float) -> None:
    """The volume is at least the largest single box and at most the box of the ideal
    point (both against the reference)."""
    largest_box = float(np.prod(rel, axis=1).max())
    ideal_box = float(np.prod(rel.max(axis=0)))
    slack = HYPERVOLUME_CHECK_SLACK
    if not largest_box * (1 - slack) <= volume <= ideal_box * (1 + slack):
        raise SolverError(
            f"hypervolume: expected a volume between {largest_box:g} (the largest box) and "
            f"{ideal_box:g} (the ideal point's box), found {volume:g}")
