"""pareto.alignment_trajectory: alignment of a learning run window by window.

The runs are hand-built (a stand-in with the attributes of games.learning.LearningRun),
so every expected number follows from the game's tables by hand.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
import pareto
from games.errors import InvalidArgumentError, InvalidGameError
from games.palette import colour
from pareto.frontier import outcome_labels

CC, CD, DC, DD = np.eye(4)


@dataclass(frozen=True)
class StandInRun:
    """The attributes of a LearningRun that the trajectory reads."""

    game: Any
    window_ends: np.ndarray
    frequencies: np.ndarray
    converged: np.ndarray
    sessions: int
    joint_state_frequencies: np.ndarray | None = None


def make_run(game: Any, rows: Any, window_ends: Any = None, joint_state: Any = None
             ) -> StandInRun:
    freq = np.asarray(rows, dtype=np.float64)
    if joint_state is not None:
        joint_state = np.asarray(joint_state, dtype=np.float64)
        freq = joint_state.sum(axis=2)
    ends = np.arange(1, freq.shape[1] + 1) * 10 if window_ends is None else \
        np.asarray(window_ends)
    converged = freq.sum(axis=2)[:, -1] == 0
    return StandInRun(game, ends.astype(np.int64), freq, converged, freq.shape[0], joint_state)


def pd_drift_run() -> StandInRun:
    """Three sessions of the prisoner's dilemma falling from (C, C) to (D, D): two at
    window 3, one at window 4."""
    early = [CC, CC, CC, DD, DD, DD]
    late = [CC, CC, CC, CC, DD, DD]
    return make_run(games.catalog.prisoners_dilemma(), [early, early, late])


# ---------------------------------------------------------------------------------------
# Scores and drift


def test_prisoners_dilemma_objective_falls_from_six_to_two_at_the_drift_window():
    """PD (T, R, P, S) = (5, 3, 1, 0): the objective (sum of payoffs) is 6 at (C, C) and
    2 at (D, D); the half threshold is (2 + 6) / 2 = 4. Two sessions of three defect from
    window 3, so the mean is 6, 6, 6, 10/3, 2, 2 and drifts below 4 at window 3."""
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run())
    assert t.dimensions == ("objective",)
    assert t.thresholds == {"objective": 4.0}
    assert t.mean[:, 0] == pytest.approx([6, 6, 6, 10 / 3, 2, 2], rel=1e-12)
    assert t.scores[:, :, 0].tolist() == [[6, 6, 6, 2, 2, 2]] * 2 + [[6, 6, 6, 6, 2, 2]]
    (event,) = t.drift
    assert (event.dimension, event.kind, event.window, event.period) == \
        ("objective", "misalignment", 3, 40)
    assert event.before == 6 and event.after == pytest.approx(10 / 3)
    assert event.session_share == 1.0
    assert t.session_drift[:, 0].tolist() == [3, 3, 4]
    assert t.session_realignment[:, 0].tolist() == [-1, -1, -1]


def test_every_criterion_and_the_payoffs_are_expectations_under_the_window():
    """A window playing (C, D) and (D, C) half the time each gives each player
    (0 + 5) / 2 = 2.5; (C, D) alone gives (0, 5): gap 5, Gini |0 - 5| * 2 / (2 * 4 * 2.5)
    = 0.5."""
    pd = games.catalog.prisoners_dilemma()
    t = pareto.alignment_trajectory(pd, np.array([[(CD + DC) / 2, CD, CC]]))
    assert t.criteria == ("objective: Player 1", "objective: Player 2")
    assert t.criterion_scores[0].tolist() == [[2.5, 2.5], [0, 5], [3, 3]]
    assert t.payoffs[0].tolist() == [[2.5, 2.5], [0, 5], [3, 3]]
    assert t.disparity_gap[0].tolist() == [0, 5, 0]
    assert t.gini[0].tolist() == [0, 0.5, 0]
    assert t.criterion_mean.tolist() == [[2.5, 2.5], [0, 5], [3, 3]]


def test_quantiles_across_sessions_are_numpys_linear_quantiles():
    """At window 3 the sessions score 2, 2, 6: the 0.1 and 0.5 quantiles are 2, the 0.9
    quantile 2 + 0.8 * (6 - 2) = 5.2 (linear interpolation at position 1.8)."""
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run(),
                                    quantiles=(0.1, 0.5, 0.9))
    assert t.quantile_levels == (0.1, 0.5, 0.9)
    assert t.quantiles.shape == (3, 6, 1)
    assert t.quantiles[:, 3, 0] == pytest.approx([2, 2, 5.2], rel=1e-12)
    assert t.quantiles[:, 0, 0].tolist() == [6, 6, 6]
    assert t.quantiles[:, 5, 0].tolist() == [2, 2, 2]


def test_frontier_gap_and_pareto_optimality_follow_the_outcomes():
    """On the objective alone, (C, C) is the best outcome (gap 0, Pareto-optimal) and
    (D, D) the worst (gap (6 - 2) / 4 = 1, dominated, frontier gap 1)."""
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run())
    assert t.gaps[0, :, 0].tolist() == [0, 0, 0, 1, 1, 1]
    assert t.frontier_gap[0].tolist() == [0, 0, 0, 1, 1, 1]
    assert t.pareto_optimal[0].tolist() == [True, True, True, False, False, False]


def test_a_game_without_a_value_layer_is_not_judged_holistically():
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run())
    assert t.values_measured is False
    assert t.holistic is None and t.holistic_share is None
    assert t.value_thresholds == {}
    assert "values not measured" in t.note
    assert "values not measured" in repr(t) and "values not measured" in t._repr_html_()
    d = t.to_dict()
    assert d["values_measured"] is False and d["holistic_share"] is None
    assert d["sessions"]["holistic"] is None


def aid_run() -> StandInRun:
    """aid_delivery: outcome 0 (need-based, open airspace, open airspace,
    priority-to-need) is holistically aligned (objective 6, value 20, preference 7);
    outcome 15 (all selfish, the unique equilibrium) scores 5, 0, 9. Four sessions fall
    from 0 to 15: two at window 2, one at window 3, one never."""
    o, s = np.eye(16)[0], np.eye(16)[15]
    return make_run(games.catalog.aid_delivery(),
                    [[o, o, s, s, s], [o, o, s, s, s], [o, o, o, s, s], [o, o, o, o, o]],
                    window_ends=[1, 10, 100, 1000, 10000])


def test_aid_delivery_value_drifts_and_holistic_share_falls():
    """Half thresholds over the outcomes: objective (1 + 10) / 2 = 5.5, value
    (0 + 20) / 2 = 10, preference (5 + 11) / 2 = 8. The mean value is 20, 20, 10, 5, 5:
    exactly at the threshold in window 2 (not below), below from window 3. The preference
    rises from 7 to 8 at window 2 and stays at or above: a realignment."""
    t = pareto.alignment_trajectory(games.catalog.aid_delivery(), aid_run())
    assert t.dimensions == ("objective", "value", "preference")
    assert t.thresholds == {"objective": 5.5, "value": 10.0, "preference": 8.0}
    assert t.mean[:, 1].tolist() == [20, 20, 10, 5, 5]
    assert t.mean[:, 0].tolist() == [6, 6, 5.5, 5.25, 5.25]
    assert t.mean[:, 2].tolist() == [7, 7, 8, 8.5, 8.5]
    assert t.holistic_share.tolist() == [1, 1, 0.5, 0.25, 0.25]
    kinds = {e.dimension: (e.kind, e.window, e.period) for e in t.drift}
    assert kinds == {"objective": ("misalignment", 3, 1000), "value": ("misalignment", 3, 1000),
                     "preference": ("realignment", 2, 100)}
    assert t.drift_of("value").session_share == 0.75
    assert t.session_drift[:, 1].tolist() == [2, 2, 3, -1]
    assert t.value_thresholds == pareto.alignment_report(games.catalog.aid_delivery()).thresholds


def test_holistic_verdict_of_pure_windows_matches_the_alignment_report():
    """A window that plays one outcome is judged exactly as alignment_report judges that
    outcome: the holistic windows are the report's holistically aligned outcomes."""
    g = games.catalog.aid_delivery()
    t = pareto.alignment_trajectory(g, np.eye(16)[None])
    report = pareto.alignment_report(g)
    labels = outcome_labels(g)
    assert {labels[k] for k in np.flatnonzero(t.holistic[0])} == \
        {o.label for o in report.holistic_outcomes}
    assert np.array_equal(t.pareto_optimal[0], report.outcome_frontier)
    assert np.array_equal(t.scores[0], report.table.values)


def test_a_lasting_rise_after_a_transient_fall_is_a_realignment_only():
    """(C, C), (D, D), (D, D), (C, C), (C, C): the fall at window 1 does not last, the
    rise at window 3 does."""
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                    np.array([[CC, DD, DD, CC, CC]]))
    (event,) = t.drift
    assert (event.kind, event.window, event.before, event.after) == ("realignment", 3, 2, 6)
    assert t.session_realignment.tolist() == [[3]] and t.session_drift.tolist() == [[-1]]


def test_thresholds_mapping_and_none():
    pd = games.catalog.prisoners_dilemma()
    run = pd_drift_run()
    t = pareto.alignment_trajectory(pd, run, thresholds={"objective": 3})
    assert t.thresholds == {"objective": 3.0}
    assert t.drift[0].window == 4       # 10/3 is above 3, 2 is below
    none = pareto.alignment_trajectory(pd, run, thresholds=None)
    assert none.thresholds == {} and none.drift == ()
    aid = pareto.alignment_trajectory(games.catalog.aid_delivery(), aid_run(),
                                      thresholds={"protect life": 7, "value": 1})
    assert aid.thresholds == {"value": 1.0}
    assert aid.value_thresholds == {"protect life": 7.0}
    assert not aid.holistic.any()       # protect life is at most 6: always violated
    assert [e.dimension for e in aid.drift] == []


def test_stopped_sessions_carry_their_last_window_forward():
    """A session that converged after window 1 (all-zero rows) keeps (D, D); a session
    that never played is left out of every statistic."""
    zero = np.zeros(4)
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                    np.array([[CC, DD, zero, zero], [CC, CC, CC, CC],
                                              [zero, zero, zero, zero]]))
    assert t.played[0].tolist() == [True, True, False, False]
    assert t.valid[0].all() and not t.valid[2].any()
    assert t.scores[0, :, 0].tolist() == [6, 2, 2, 2]
    assert np.isnan(t.scores[2]).all() and np.isnan(t.gini[2]).all()
    assert t.mean[:, 0].tolist() == [6, 4, 4, 4]
    assert not t.pareto_optimal[2].any()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sessions=st.integers(1, 4), windows=st.integers(1, 5))
def test_scores_are_linear_in_the_distribution(seed, sessions, windows):
    """Scores are expectations, so the mean across sessions is the score of the mean
    distribution, and gaps lie in [0, 1]."""
    g = games.catalog.aid_delivery()
    freq = np.random.default_rng(seed).dirichlet(np.ones(16), size=(sessions, windows))
    t = pareto.alignment_trajectory(g, freq)
    table = pareto.score_table(g)
    np.testing.assert_allclose(t.mean, freq.mean(axis=0) @ table.values, rtol=1e-12)
    assert np.all((t.gaps >= 0) & (t.gaps <= 1 + 1e-12))
    assert t.holistic_share.min() >= 0 and t.holistic_share.max() <= 1


# ---------------------------------------------------------------------------------------
# Markov games


@dataclass(frozen=True)
class StandInMarkovGame:
    """The attributes of games.MarkovGame that the trajectory reads."""

    stages: tuple
    title: str = "two-state prisoner's dilemma"

    @property
    def n_states(self) -> int:
        return len(self.stages)

    @property
    def states(self) -> tuple[str, ...]:
        return ("low", "high")

    @property
    def shape(self) -> tuple[int, ...]:
        return self.stages[0].shape

    @property
    def players(self) -> tuple[str, ...]:
        return self.stages[0].players

    def stage_layer(self, name: str) -> np.ndarray:
        return np.stack([np.asarray(s.layers[name], dtype=np.float64) for s in self.stages])


def two_state_pd() -> StandInMarkovGame:
    """The PD in state "low", the same PD with doubled payoffs in state "high"."""
    low = games.catalog.prisoners_dilemma()
    high = games.Game(2 * np.asarray(low.float_payoffs), players=low.players,
                      actions=low.actions)
    return StandInMarkovGame((low, high))


def test_markov_game_scores_weight_stage_layers_by_state_action_frequencies():
    """Half the mass on (low, C, C) and half on (high, D, D): objective 0.5 * 6 + 0.5 * 4
    = 5. The half threshold spans every stage outcome: (2 + 12) / 2 = 7."""
    mg = two_state_pd()
    jsf = np.zeros((2, 3, 2, 4))
    jsf[:, 0, 1, 0] = 1                  # window 0: (high, C, C)
    jsf[:, 1, 0, 0] = jsf[:, 1, 1, 3] = 0.5
    jsf[0, 2, 0, 3] = 1                  # window 2: (low, D, D) and (high, D, D)
    jsf[1, 2, 1, 3] = 1
    run = make_run(mg, None, joint_state=jsf)
    t = pareto.alignment_trajectory(mg, run)
    layer = mg.stage_layer("objective").reshape(2, 2, 4).sum(axis=1)     # (states, joint)
    expected = np.einsum("swxj,xj->sw", jsf, layer)
    assert t.scores[:, :, 0].tolist() == expected.tolist() == [[12, 5, 2], [12, 5, 4]]
    assert t.thresholds == {"objective": 7.0}
    assert t.mean[:, 0].tolist() == [12, 5, 3]
    assert t.drift[0].window == 1 and t.drift[0].kind == "misalignment"
    assert t.criteria == ("objective: Player 1", "objective: Player 2")
    assert t.title == "two-state prisoner's dilemma"
    bare = pareto.alignment_trajectory(mg, jsf, window_ends=[5, 50, 500])
    assert np.array_equal(bare.scores, t.scores) and bare.drift[0].period == 50


def test_markov_run_needs_joint_state_frequencies_of_the_right_shape():
    mg = two_state_pd()
    run = make_run(mg, np.full((1, 2, 4), 0.25))
    with pytest.raises(InvalidArgumentError, match="joint_state_frequencies"):
        pareto.alignment_trajectory(mg, run)
    with pytest.raises(InvalidArgumentError, match=r"\(sessions, windows, 2, 4\)"):
        pareto.alignment_trajectory(mg, np.full((1, 2, 3, 4), 1 / 12))


def test_real_markov_game_if_available():
    markov_game = getattr(games, "MarkovGame", None)
    if markov_game is None:
        pytest.skip("games.MarkovGame is not available")
    pd = games.catalog.prisoners_dilemma()
    transitions = np.zeros((2, 2, 2, 2))
    transitions[..., 0] = 1
    mg = markov_game([pd, pd], transitions)
    jsf = np.zeros((1, 2, 2, 4))
    jsf[0, 0, 0, 0] = jsf[0, 1, 1, 3] = 1
    t = pareto.alignment_trajectory(mg, jsf)
    assert t.scores[0, :, 0].tolist() == [6, 2]


# ---------------------------------------------------------------------------------------
# Input validation


def test_frequencies_that_do_not_match_the_game_are_refused():
    pd = games.catalog.prisoners_dilemma()
    with pytest.raises(InvalidArgumentError, match=r"run.frequencies.*\(sessions, windows, 4\)"
                       r".*found shape \(1, 2, 3\)"):
        pareto.alignment_trajectory(pd, make_run(pd, np.full((1, 2, 3), 1 / 3)))
    with pytest.raises(InvalidArgumentError, match="found shape"):
        pareto.alignment_trajectory(pd, np.full((2, 4), 0.25))
    with pytest.raises(InvalidArgumentError, match="sum to 1.*0.5 in session 0, window 1"):
        pareto.alignment_trajectory(pd, np.array([[CC, CC / 2]]))
    with pytest.raises(InvalidArgumentError, match="non-negative"):
        pareto.alignment_trajectory(pd, np.array([[[1.5, -0.5, 0, 0]]]))
    with pytest.raises(InvalidArgumentError, match="non-negative"):
        pareto.alignment_trajectory(pd, np.array([[[np.nan, 1, 0, 0]]]))
    with pytest.raises(InvalidArgumentError, match="run"):
        pareto.alignment_trajectory(pd, "frequencies")
    with pytest.raises(InvalidGameError, match="game"):
        pareto.alignment_trajectory("pd", np.array([[CC]]))


@pytest.mark.parametrize("thresholds", ["third", 3, [4.0], {"nonexistent": 1}])
def test_bad_thresholds_are_refused(thresholds):
    with pytest.raises(InvalidArgumentError, match="thresholds"):
        pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run(),
                                    thresholds=thresholds)


def test_a_non_numeric_threshold_is_refused():
    with pytest.raises(InvalidArgumentError, match=r"thresholds\['objective'\]"):
        pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run(),
                                    thresholds={"objective": "high"})


@pytest.mark.parametrize("quantiles", [(0.5, 0.1), (1.5,), (), "abc", (0.1, np.nan),
                                       [[0.1, 0.9]], (0.5, 0.5)])
def test_bad_quantiles_are_refused(quantiles):
    with pytest.raises(InvalidArgumentError, match="quantiles"):
        pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run(),
                                    quantiles=quantiles)


@pytest.mark.parametrize("ends", [[1, 2], [3, 2, 1], [0, 1, 2], [1, 2.5, 3], "abc"])
def test_bad_window_ends_are_refused(ends):
    with pytest.raises(InvalidArgumentError, match="window_ends"):
        pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                    np.array([[CC, CC, DD]]), window_ends=ends)


def test_window_ends_with_a_run_is_refused():
    with pytest.raises(InvalidArgumentError, match="window_ends"):
        pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run(),
                                    window_ends=np.arange(1, 7))


# ---------------------------------------------------------------------------------------
# Output


def test_to_dict_is_strict_json_with_the_numbers():
    zero = np.zeros(4)
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                    np.array([[CC, DD], [zero, zero]]), window_ends=[3, 7])
    d = json.loads(json.dumps(t.to_dict(), allow_nan=False))
    assert d["window_ends"] == [3, 7]
    assert d["mean"] == [[6.0], [2.0]]
    assert d["sessions"]["scores"] == [[[6.0], [2.0]], [[None], [None]]]
    assert d["sessions"]["pareto_optimal"] == [[1.0, 0.0], [None, None]]
    assert d["drift"] == [{"dimension": "objective", "kind": "misalignment", "window": 1,
                           "period": 7, "threshold": 4.0, "before": 6.0, "after": 2.0,
                           "session_share": 0.5}]
    aid = json.loads(json.dumps(pareto.alignment_trajectory(
        games.catalog.aid_delivery(), aid_run()).to_dict(), allow_nan=False))
    assert aid["holistic_share"] == [1, 1, 0.5, 0.25, 0.25]


def test_to_frame_without_pandas_says_how_to_install_it(monkeypatch):
    t = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(), pd_drift_run())
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'masalign\[frames\]'"):
        t.to_frame()


def test_to_frame_is_a_long_table():
    pytest.importorskip("pandas")
    t = pareto.alignment_trajectory(games.catalog.aid_delivery(), aid_run())
    frame = t.to_frame()
    assert list(frame.columns) == ["session", "window", "period", "quantity", "name", "value"]
    value = frame[(frame.quantity == "score") & (frame.name == "value")]
    assert len(value) == 4 * 5
    assert value.groupby("window").value.mean().tolist() == t.mean[:, 1].tolist()
    assert set(frame.quantity) >= {"score", "gap", "criterion", "payoff", "holistic", "gini"}


def test_repr_html_summarises_each_dimension():
    html = pareto.alignment_trajectory(games.catalog.aid_delivery(), aid_run())._repr_html_()
    assert "<table>" in html
    assert "misalignment at window 3 (period 1000)" in html
    assert "realignment at window 2 (period 100)" in html
    assert "holistic share" in html


def test_plot_draws_mean_band_threshold_and_drift():
    """Panels objective, value, preference and the holistic share; the mean line, the
    band between the lowest and highest quantile, the threshold and the drift period;
    windows from 1 to 10^4 span four decades, so the time axis is logarithmic."""
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex
    t = pareto.alignment_trajectory(games.catalog.aid_delivery(), aid_run())
    fig = t.plot()
    try:
        axes = fig.axes
        assert [ax.get_title() for ax in axes] == ["objective", "value", "preference",
                                                  "holistic alignment"]
        assert fig._suptitle.get_text() == games.catalog.aid_delivery().title
        value = axes[1]
        mean, threshold, drift = value.lines
        assert mean.get_ydata().tolist() == t.mean[:, 1].tolist()
        assert mean.get_xdata().tolist() == [1, 10, 100, 1000, 10000]
        assert to_hex(mean.get_color()) == colour(1).lower()
        assert list(threshold.get_ydata()) == [10, 10] and threshold.get_linestyle() == "--"
        assert list(drift.get_xdata()) == [1000, 1000]
        band = value.collections[0].get_paths()[0].vertices[:, 1]
        assert band.min() == t.quantiles[0, :, 1].min() == 0
        assert band.max() == t.quantiles[-1, :, 1].max() == 20
        assert all(ax.get_xscale() == "log" for ax in axes)
        assert axes[0].get_xlabel() == "period" and value.get_ylabel() == "value score"
        assert axes[3].lines[0].get_ydata().tolist() == [1, 1, 0.5, 0.25, 0.25]
    finally:
        plt.close(fig)
    pd_fig = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                         pd_drift_run()).plot()
    try:
        assert len(pd_fig.axes) == 1 and pd_fig.axes[0].get_xscale() == "linear"
    finally:
        plt.close(pd_fig)


def test_plot_saves_to_a_path(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt
    path = tmp_path / "trajectory.png"
    fig = pareto.alignment_trajectory(games.catalog.prisoners_dilemma(),
                                      pd_drift_run()).plot(path=path)
    plt.close(fig)
    assert path.stat().st_size > 0


def test_docstring_examples_run():
    import doctest

    import pareto.trajectory
    result = doctest.testmod(pareto.trajectory)
    assert result.attempted > 0 and result.failed == 0


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.lists(st.integers(-2, 9), min_size=3, max_size=3), min_size=1,
                     max_size=6))
def test_gini_rows_agrees_with_gini_row_by_row(rows):
    """The vectorised Gini the trajectory uses is pareto.gini on each row (NaN for None)."""
    from pareto.metrics import gini_rows
    got = gini_rows(np.array(rows, dtype=np.float64))
    for g, row in zip(got, rows):
        expected = pareto.gini(row)
        assert (np.isnan(g) and expected is None) or g == pytest.approx(expected, rel=1e-12)
