"""The non-dominated filter and the hypervolume indicator."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import games
from pareto import _dominance_kernels as kernels
from pareto import dominates, hypervolume, nondominated

FIXTURE = Path(__file__).parent / "fixtures" / "hypervolume_moocore.json"


def brute_force_nondominated(x: np.ndarray, strict: bool = False) -> np.ndarray:
    """O(N^2 d) reference, maximising every column."""
    ge = np.all(x[:, None, :] >= x[None, :, :], axis=2)     # ge[j, i]: x_j >= x_i
    gt_any = np.any(x[:, None, :] > x[None, :, :], axis=2)
    gt_all = np.all(x[:, None, :] > x[None, :, :], axis=2)
    dominated = (gt_all if strict else ge & gt_any).any(axis=0)
    return ~dominated


@st.composite
def point_sets(draw, max_points=60):
    d = draw(st.integers(1, 6))
    n = draw(st.integers(0, max_points))
    ties = draw(st.booleans())
    elements = st.integers(0, 3).map(float) if ties else \
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    x = draw(arrays(np.float64, (n, d), elements=elements))
    if n and draw(st.booleans()):  # duplicate some rows
        idx = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n))
        x = np.vstack([x, x[idx]])
    return x


@settings(max_examples=150, deadline=None)
@given(point_sets(), st.booleans())
def test_nondominated_equals_the_brute_force_reference(x, strict):
    assert np.array_equal(nondominated(x, strict=strict), brute_force_nondominated(x, strict))


@settings(max_examples=40, deadline=None)
@given(point_sets(max_points=120))
def test_large_inputs_through_the_prefilter_equal_the_reference(x):
    big = np.vstack([x, x * 0.5, x - 1.0]) if len(x) else x
    for strict in (False, True):
        assert np.array_equal(nondominated(big, strict=strict),
                              brute_force_nondominated(big, strict))


@settings(max_examples=100, deadline=None)
@given(point_sets(), st.data())
def test_minimising_a_column_equals_maximising_its_negation(x, data):
    flags = data.draw(st.lists(st.booleans(), min_size=x.shape[1], max_size=x.shape[1]))
    signs = np.where(flags, 1.0, -1.0)
    assert np.array_equal(nondominated(x, maximize=flags), nondominated(x * signs))


def test_duplicates_are_all_kept_or_only_the_first():
    x = [[1, 2], [2, 1], [1, 2], [0, 0], [2, 1]]
    assert nondominated(x).tolist() == [True, True, True, False, True]
    assert nondominated(x, keep_duplicates=False).tolist() == [True, True, False, False, False]


def test_strict_dominance_keeps_weakly_optimal_points():
    x = [[1, 1], [1, 0], [0, 0]]
    assert nondominated(x).tolist() == [True, False, False]
    assert nondominated(x, strict=True).tolist() == [True, True, False]
    assert dominates([1, 1], [1, 0]) and not dominates([1, 1], [1, 0], strict=True)


def test_every_column_is_maximised_by_default_and_minimised_on_request():
    x = np.array([[0, 0, 0], [1, 1, 1], [1, 1, 1]])
    assert nondominated(x).tolist() == [False, True, True]
    assert nondominated(x, maximize=False).tolist() == [True, False, False]


def test_kernels_agree_without_compilation(monkeypatch):
    rng = np.random.default_rng(3)
    for d in (2, 3, 5):
        x = rng.integers(0, 5, size=(300, d)).astype(float)
        for strict in (False, True):
            expected = brute_force_nondominated(x, strict)
            pivots = kernels.pivot_points.py_func(x, kernels.pivot_weights(d))
            keep = kernels.pivot_keep.py_func(x, pivots, strict)
            assert not np.any(expected & ~keep)  # the prefilter never drops an optimal point
            if d == 2:
                order = kernels.lexsort_descending(x)
                got = np.empty(len(x), bool)
                got[order] = kernels.sweep2_kernel.py_func(x[order], strict)
            elif d == 3:
                order = kernels.lexsort_descending(x)
                got = np.empty(len(x), bool)
                got[order] = kernels.sweep3_kernel.py_func(x[order], strict)
            else:
                order = np.argsort(-x.sum(axis=1), kind="stable")
                got = np.empty(len(x), bool)
                got[order] = kernels.sort_filter.py_func(np.ascontiguousarray(x[order]), strict)
            assert np.array_equal(got, expected)


@pytest.mark.parametrize("bad, message", [
    ([[1.0, np.nan]], "nan at row 0, column 1"),
    ([[1.0, np.inf], [0, 0]], "inf at row 0, column 1"),
    (np.zeros((2, 2, 2)), "(N, d)"),
    ([["a", "b"]], "expected an (N, d) array of finite numbers (one row per point), found "
                   "strings ('a')"),
])
def test_bad_points_are_rejected_with_the_problem_named(bad, message):
    with pytest.raises(games.InvalidArgumentError, match=None) as err:
        nondominated(bad)
    assert message in str(err.value)


def test_bad_maximize_flags_are_rejected():
    with pytest.raises(games.InvalidArgumentError, match="one per column"):
        nondominated([[1, 2]], maximize=[True])


def test_empty_input_gives_an_empty_mask():
    assert nondominated(np.zeros((0, 3))).shape == (0,)


# ---------------------------------------------------------------------------------------
# Hypervolume


def test_hypervolume_closed_forms():
    # one box: the product of its sides
    assert hypervolume([[2, 3, 4]], [0, 0, 0]) == 24.0
    # a staircase in 2-D: 1*3 + 1*2 + 1*1
    assert hypervolume([[1, 3], [2, 2], [3, 1]], [0, 0]) == 6.0
    # a dominated point and a duplicate add nothing
    assert hypervolume([[1, 3], [2, 2], [3, 1], [1, 1], [2, 2]], [0, 0]) == 6.0
    # the unit simplex corners in d dimensions: d boxes of volume 1 overlapping in the
    # box of side... each corner e_j + small: union of [0, e_j + eps] boxes
    eps = 0.5
    for d in (2, 3, 4, 5):
        pts = np.full((d, d), eps) + np.eye(d) * (1 - eps)
        # inclusion-exclusion: d boxes of volume eps^(d-1), pairwise overlaps eps^d, ...
        expected = d * eps ** (d - 1) - (d - 1) * eps ** d
        assert hypervolume(pts, np.zeros(d)) == pytest.approx(expected, rel=1e-12)
    # minimisation: the reference above
    assert hypervolume([[0, 0]], [1, 2], maximize=False) == 2.0
    # points not beating the reference contribute nothing
    assert hypervolume([[-1, 5]], [0, 0]) == 0.0


@settings(max_examples=60, deadline=None)
@given(point_sets(max_points=12))
def test_hypervolume_equals_a_grid_count_on_integer_points(x):
    d = x.shape[1]
    if d > 4:
        return
    x = np.clip(np.round(np.abs(x)) % 4, 0, 3)
    # count the unit cells [c, c+1]^d (c in 0..2) below some point, reference 0
    cells = np.stack(np.meshgrid(*[np.arange(3)] * d, indexing="ij"), -1).reshape(-1, d) + 1
    covered = np.any(np.all(x[None, :, :] >= cells[:, None, :], axis=2), axis=1) if len(x) else []
    assert hypervolume(x, np.zeros(d)) == pytest.approx(float(np.sum(covered)))


def test_hypervolume_matches_moocore_fixture():
    data = json.loads(FIXTURE.read_text())
    assert len(data["cases"]) == 24
    for case in data["cases"]:
        pts = np.array(case["points"])
        got = hypervolume(pts, case["reference"], maximize=False)
        assert got == pytest.approx(case["hypervolume"], rel=1e-10, abs=1e-12)
        assert nondominated(pts, maximize=False).tolist() == case["nondominated_min"]
        assert nondominated(pts, maximize=False, keep_duplicates=False).tolist() == \
            case["nondominated_min_first"]


def test_hypervolume_matches_moocore_live():
    moocore = pytest.importorskip("moocore")
    rng = np.random.default_rng(5)
    for d in (2, 3, 4):
        pts = rng.random((40, d))
        ref = np.full(d, 1.2)
        assert hypervolume(pts, ref, maximize=False) == pytest.approx(
            moocore.hypervolume(pts, ref=ref), rel=1e-10)


def test_hypervolume_rejects_a_reference_of_the_wrong_length():
    with pytest.raises(games.InvalidArgumentError,
                       match=r"reference: expected 2 finite numbers .*, found shape \(3,\)"):
        hypervolume([[1, 2]], [0, 0, 0])


def sort_filter_reference(x: np.ndarray, strict: bool) -> np.ndarray:
    """The plain compiled sort-filter on the whole input (no pre-filter, no tree), itself
    checked against the brute force above on small inputs."""
    order = np.argsort(-x.sum(axis=1), kind="stable")
    out = np.empty(len(x), dtype=bool)
    out[order] = kernels.sort_filter(np.ascontiguousarray(x[order]), strict)
    return out


@pytest.mark.parametrize("d", [2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["integers", "sphere"])
def test_grid_prefilter_and_tree_paths_equal_the_reference(d, kind):
    """Large enough inputs to go through the grid pre-filter (> 4096 candidates) and the
    k-d tree (> 512 candidates in d > 3), with ties (integers) or big fronts (sphere)."""
    rng = np.random.default_rng(d)
    n = 6000
    if kind == "integers":
        x = rng.integers(0, 12, size=(n, d)).astype(float)
    else:
        v = np.abs(rng.standard_normal((n, d)))
        x = v / np.linalg.norm(v, axis=1, keepdims=True) * (1 + 0.01 * rng.standard_normal((n, 1)))
        x[::7] = x[::5][: len(x[::7])]  # duplicates
    for strict in (False, True):
        assert np.array_equal(nondominated(x, strict=strict), sort_filter_reference(x, strict))


@pytest.mark.slow
def test_large_sphere_front_equals_the_brute_force():
    rng = np.random.default_rng(0)
    v = np.abs(rng.standard_normal((5000, 5)))
    x = v / np.linalg.norm(v, axis=1, keepdims=True)
    keep = np.ones(len(x), dtype=bool)
    for i in range(len(x)):
        keep[i] = not np.any(np.all(x >= x[i], axis=1) & np.any(x > x[i], axis=1))
    assert np.array_equal(nondominated(x), keep)


def test_sweep_tree_kernel_without_compilation_equals_the_reference():
    rng = np.random.default_rng(11)
    x = rng.integers(0, 4, size=(700, 4)).astype(float)
    order = kernels.order_descending(x)
    for strict in (False, True):
        got = np.empty(len(x), bool)
        keep, *tree = kernels.sweep_tree.py_func(np.ascontiguousarray(x[order]), strict, 4)
        got[order] = keep
        assert np.array_equal(got, brute_force_nondominated(x, strict))
        # the finished tree answers lookups of points below every kept point's first
        # coordinate: dominated exactly when a kept point is >= in the other columns
        probes = rng.integers(0, 5, size=(300, 4)).astype(float)
        probes[:, 0] = -1.0
        found = kernels.tree_dominated.py_func(probes, strict, *tree)
        front = x[got]
        if strict:
            expected = [(front[:, 1:] > p[1:]).all(axis=1).any() for p in probes]
        else:
            expected = [(front[:, 1:] >= p[1:]).all(axis=1).any() for p in probes]
        assert found.tolist() == expected and 0 < sum(expected) < len(probes)


@st.composite
def point_sets_for_the_sweep(draw, max_points=150):
    """Two to six columns, with few distinct values (ties, equal first coordinates),
    duplicated rows, huge magnitudes up to the largest float, signed zeros, or
    neighbouring floats (degenerate midpoints, strict comparisons one ulp apart)."""
    d = draw(st.integers(2, 6))
    n = draw(st.integers(1, max_points))
    kind = draw(st.sampled_from(["ties", "floats", "huge", "adjacent"]))
    if kind == "ties":
        elements = st.integers(0, 3).map(float)
    elif kind == "floats":
        elements = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    elif kind == "huge":
        big = np.finfo(np.float64).max
        elements = st.sampled_from([-big, -1.7e308, -1.0, -0.0, 0.0, 1.0, 1.7e308, big])
    else:
        elements = st.sampled_from([1.0, np.nextafter(1.0, 2.0), np.nextafter(1.0, 0.0)])
    x = draw(arrays(np.float64, (n, d), elements=elements))
    if draw(st.booleans()):
        idx = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n))
        x = np.vstack([x, x[idx]])
    return x


@settings(max_examples=150, deadline=None)
@given(point_sets_for_the_sweep(), st.booleans(), st.sampled_from([1, 2, 3, 16]))
def test_orthant_sweep_equals_the_brute_force_reference(x, strict, leaf):
    """The d > 3 method (first-column sweep with a k-d tree of the kept points) on its
    own, with tiny leaves so that the tree is deep even on small inputs."""
    assert np.array_equal(kernels.sweep_orthant(x, strict, leaf),
                          brute_force_nondominated(x, strict))


@settings(max_examples=150, deadline=None)
@given(point_sets_for_the_sweep(), st.booleans(), st.sampled_from([1, 2, 16]))
def test_two_thread_orthant_sweep_equals_the_brute_force_reference(x, strict, leaf):
    """The sweep split in two halves (each swept, then the lower half's survivors
    queried against the upper half's front), forced on small inputs: ties in the first
    column around the cut, duplicates and an all-equal first column included."""
    assert np.array_equal(kernels.sweep_orthant(x, strict, leaf, parallel_above=0),
                          brute_force_nondominated(x, strict))


def test_two_thread_orthant_sweep_equals_one_thread_on_a_big_front():
    rng = np.random.default_rng(4)
    v = np.abs(rng.standard_normal((60_000, 5)))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v = np.round(v * (1 + 0.01 * rng.standard_normal((60_000, 1))), 3)   # ties
    for strict in (False, True):
        one = kernels.sweep_orthant(v, strict, parallel_above=10**9)
        two = kernels.sweep_orthant(v, strict, parallel_above=0)
        assert 1000 < one.sum() < len(v) and np.array_equal(one, two)


@settings(max_examples=60, deadline=None)
@given(point_sets_for_the_sweep(), st.booleans())
def test_pipeline_with_the_tree_on_small_inputs_equals_the_reference(x, strict):
    """Pre-filters followed by the orthant sweep (forced below its usual size)."""
    if x.shape[1] < 4:
        return
    assert np.array_equal(kernels.nondominated_mask(x, strict, tree_above=0),
                          brute_force_nondominated(x, strict))


def test_orthant_sweep_on_points_with_identical_projections():
    """Equal last d - 1 coordinates and distinct first ones: a chain under weak
    dominance (only the top point is kept), an antichain under strict dominance."""
    x = np.zeros((3000, 5))
    x[:, 0] = np.arange(3000.0)
    weak = kernels.sweep_orthant(x, False)
    assert weak.sum() == 1 and weak[-1]
    assert kernels.sweep_orthant(x, True).all()
    assert np.array_equal(nondominated(x), weak)


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("rounded", [False, True])
def test_sample_pivot_pass_on_small_fronts_equals_the_reference(d, rounded):
    """Large inputs with small fronts, where the pivots of a sample do the first pass
    over all the points (the test checks that they leave under 10% of the sample)."""
    rng = np.random.default_rng(7 + d)
    x = rng.random((20000, d))
    if rounded:  # ties and duplicates
        x = np.round(x * 50) / 50
    sample = x[:: len(x) // 4096]
    pivots = kernels.pivot_points(sample, kernels.pivot_weights(d))
    assert kernels.pivot_keep(sample, pivots, False).mean() < 0.1
    for strict in (False, True):
        assert np.array_equal(nondominated(x, strict=strict), sort_filter_reference(x, strict))
