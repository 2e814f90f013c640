"""Calvano et al. (2020): Q-learning pricing algorithms learn to collude."""

import numpy as np
import pytest

import games
import papers
import pareto
from games.errors import InvalidArgumentError
from games.learning import QLearning, simulate
from games.palette import colour
from papers.calvano2020_algorithmic_collusion import MID_RUN, figure
from papers.calvano2020_algorithmic_collusion.model import (
    OverchargeFine,
    analyse,
    joint_actions,
    learn,
    market,
)
from tests.plotstyle import check_colours_unique, check_style, hex_colour

NAME = "calvano2020_algorithmic_collusion"


@pytest.fixture(scope="module")
def reduced(tmp_path_factory):
    return papers.run(NAME, seed=0, out=tmp_path_factory.mktemp("calvano"))


def test_baseline_market_has_calvanos_grid_and_benchmarks():
    """Calvano et al. (2020), Section III: 15 prices from about 1.4277 to 1.9702,
    p^N = 1.47293, p^M = 1.92498, 225 states."""
    mk = market()
    assert isinstance(mk.game, games.Game) and mk.game is mk.market_game
    assert mk.m == 15 and mk.n_states == 225 and mk.profits.shape == (225, 2)
    assert mk.prices[0] == pytest.approx(1.42772, abs=1e-5)
    assert mk.prices[-1] == pytest.approx(1.97019, abs=1e-5)
    assert (mk.nash_price, mk.monopoly_price) == pytest.approx((1.47293, 1.92498), abs=1e-5)
    assert (mk.nash_profit, mk.monopoly_profit) == pytest.approx((0.22293, 0.33749), abs=1e-5)
    assert mk.learner == QLearning(alpha=0.15, discount=0.95, beta=4e-6, initial="uniform")


def test_the_value_layer_is_the_logit_consumer_surplus():
    """CS = mu log(sum_j exp((a_j - p_j)/mu) + exp(a_0/mu)) with a = 2, a_0 = 0, mu = 1/4."""
    mk = market()
    surplus = np.asarray(mk.game.layers["value"][0])
    for a, b in [(0, 0), (3, 11), (14, 2)]:
        p = mk.prices[[a, b]]
        expected = 0.25 * np.log(np.exp((2 - p) / 0.25).sum() + 1.0)
        assert surplus[a, b] == pytest.approx(expected, rel=1e-12)


def test_initial_q_is_the_discounted_payoff_against_a_uniform_rival():
    """Their eq. (8): Q_0(s, a) = sum_b pi(a, b) / ((1 - delta) m), the same in every
    state, so before learning every state's greedy price is the argmax of the row means."""
    mk = market()
    run = simulate(mk.game, mk.learner, periods=1, seed=0, memory=1, progress=False)
    best = int(np.argmax(mk.profits[:, 0].reshape(15, 15).mean(axis=1)))
    assert best != 0 and run.final_greedy.shape == (1, 2, 225)
    # one period updated one state's Q-value of each firm at most
    assert (run.final_greedy[0] == best).sum(axis=1).min() >= 224


def test_a_session_is_reproducible_and_ends_on_a_cycle_of_its_greedy_strategies():
    mk = market(beta=4e-4, window=2_000)
    a = analyse(mk, learn(mk, 2, 3, progress=False))
    b = analyse(mk, learn(mk, 2, 3, progress=False))
    c = analyse(mk, learn(mk, 2, 4, progress=False))
    assert all(r.converged for r in a) and a == b
    assert [(r.periods, r.cycle) for r in a] != [(r.periods, r.cycle) for r in c]
    for r in a:
        assert 1 <= len(r.cycle) <= 225
        gains = (np.array(r.cycle_profits) - mk.nash_profit) \
            / (mk.monopoly_profit - mk.nash_profit)
        assert r.profit_gain == pytest.approx(gains.mean())
        assert r.impulse_prices[0] == r.cycle[0]                 # tau = 0: before the shock


def test_the_deviation_is_the_static_best_response_to_the_rivals_planned_price():
    mk = market(beta=4e-4, window=2_000)
    for r in analyse(mk, learn(mk, 2, 5, progress=False)):
        rival = r.impulse_prices[1][1]
        j = int(np.argmin(np.abs(mk.prices - rival)))
        best = int(np.argmax(mk.profits[np.arange(15) * 15 + j, 0]))
        assert r.impulse_prices[1][0] == pytest.approx(mk.prices[best])


def test_overcharge_fine_is_charged_only_above_the_nash_price_and_collected():
    mk = market(fine=2.0, detection=0.5)
    assert isinstance(mk.mechanism, OverchargeFine)
    prices = mk.prices[joint_actions(15, 2)]
    charged = (mk.market_game.float_payoffs - mk.game.float_payoffs).reshape(2, -1).T
    assert np.all(charged[prices[:, 0] <= mk.nash_price, 0] == 0)
    expected = 0.5 * 2.0 * (prices[:, 0] - mk.nash_price) * mk.profits[:, 0] \
        / (prices[:, 0] - 1.0)
    above = prices[:, 0] > mk.nash_price
    assert charged[above, 0] == pytest.approx(expected[above])
    cost = np.asarray(mk.game.layers["cost"][0]).ravel()
    assert cost == pytest.approx(-charged.sum(axis=1))
    # switched on mid-run: the firms start in the market game, the fine is scheduled
    late = market(fine=2.0, detection=0.5, switch_on=1000)
    assert late.game is late.market_game and late.switch_on == 1000


def test_cap_and_three_firms_change_the_grid_and_the_state_space():
    capped = market(price_cap=1.6)
    assert capped.prices.max() <= 1.6 and capped.m < 15 and capped.n_states == capped.m ** 2
    assert market(n_firms=3).n_states == 15 ** 3


@pytest.mark.parametrize("kwargs, field", [
    ({"alpha": 0}, "alpha"), ({"delta": 1}, "delta"), ({"beta": 0}, "beta"),
    ({"detection": 2}, "detection"), ({"price_cap": 1.0}, "price_cap"),
    ({"window": 10, "max_periods": 5}, "window"), ({"fine": -1}, "fine"),
    ({"switch_on": -1}, "switch_on"),
])
def test_bad_learning_constants_are_rejected_naming_the_field(kwargs, field):
    with pytest.raises(InvalidArgumentError, match=field):
        market(**kwargs)


def test_reduced_run_matches_the_paper_within_the_reduced_tolerances(reduced):
    """Baseline Delta 0.849 (sd 0.112); n = 3: about 0.64; delta = 0.35: about 0.16
    (Calvano et al. 2020)."""
    rows = {r["quantity"]: r for r in reduced["comparison"]}
    for key in ("delta", "delta_sd", "delta_three_firms", "delta_impatient",
                "median_return_period", "punishment_above_nash"):
        assert rows[key]["within"], rows[key]
    assert 0.5 < reduced["quantities"]["delta"] < 1.0


def test_reduced_run_shows_punishment_then_return(reduced):
    exp = reduced["details"]["experiments"]["baseline"]
    ir = np.array(exp["impulse_mean_prices"])
    assert ir[1, 0] < ir[0, 0]                # the deviation undercuts
    assert ir[2, 1] < ir[0, 1]                # the rival punishes the next period
    assert abs(ir[-1] - ir[0]).max() < 0.05   # and prices return
    assert exp["punishment_above_nash"] and exp["share_returned"] >= 0.8


def test_mechanisms_bring_delta_toward_zero(reduced):
    exps = reduced["details"]["experiments"]
    base = exps["baseline"]["delta"]
    strong = exps["penalty (fine 2x overcharge, detection 0.5)"]["delta"]
    cap = next(v for k, v in exps.items() if k.startswith("price cap"))
    assert strong < base - 0.5 and exps[MID_RUN]["delta"] < base - 0.5
    assert cap["delta"] <= cap["delta_ceiling"] + 1e-12 < base
    assert exps["three firms"]["delta"] < base
    assert exps["impatient firms (delta = 0.35)"]["delta"] < base - 0.3


def test_consumer_surplus_falls_with_collusion_and_recovers_under_the_mid_run_fine(reduced):
    """Collusion is paid by consumers: the value layer falls toward its level at p^M as
    the firms learn; the fine switched on mid-run brings it back near its level at p^N."""
    details = reduced["details"]
    bench = details["benchmarks"]
    base, fined = details["consumer_surplus"]["baseline"], details["consumer_surplus"][MID_RUN]
    nash, monopoly = bench["consumer_surplus_nash"], bench["consumer_surplus_monopoly"]
    assert monopoly < base["final"] < (nash + monopoly) / 2
    assert base["mean"][0] > base["final"] + 0.05           # it falls while they learn
    assert fined["final"] > (nash + monopoly) / 2 > base["final"]
    assert len(base["window_ends"]) == len(base["mean"]) == len(base["q10"])
    assert reduced["figures"] and all(str(f).endswith(".png") for f in reduced["figures"])


def test_alignment_trajectory_measures_the_value_layer_of_a_run():
    mk = market(beta=4e-4, window=2_000)
    run = learn(mk, 2, 1, trajectory_window=5_000, progress=False)
    trajectory = pareto.alignment_trajectory(mk.game, run)
    k = trajectory.criteria.index("value: consumer surplus")
    surplus = np.asarray(mk.game.layers["value"][0]).ravel()
    expected = run.frequencies[:, 0] @ surplus
    assert trajectory.criterion_scores[:, 0, k] == pytest.approx(expected)


def test_figure_keeps_the_house_style_with_periods_on_a_log_axis(reduced):
    """Four labelled panels, palette colours used once per axes, titles from names; the
    learning curves run over millions of periods: a log axis. The baseline and the
    mid-run fine keep their colours across panels."""
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    details = reduced["details"]
    fig = figure(details["experiments"], details["consumer_surplus"], market())
    try:
        check_style(fig, NAME)
        check_colours_unique(fig, NAME)
        histogram, impulse, deltas, surplus = fig.axes
        assert surplus.get_xscale() == "log" and "log" in surplus.get_xlabel()
        assert "marginal cost" in impulse.get_ylabel() and "Delta" in deltas.get_xlabel()
        curves = {line.get_label(): hex_colour(line.get_color())
                  for line in surplus.get_lines()}
        assert curves["baseline (mean)"] == hex_colour(histogram.patches[0].get_facecolor()) \
            == hex_colour(deltas.patches[0].get_facecolor()) == colour(0).upper()
        assert curves["fine, mid-run (mean)"] == colour(1).upper()
        labels = [t.get_text() for t in deltas.get_yticklabels()]
        assert len(labels) == len(details["experiments"]) == len(set(labels))
        for ax in fig.axes:                                  # legends under the axes
            legend = ax.get_legend()
            assert legend is None or legend.get_bbox_to_anchor().y0 < ax.bbox.y0
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_full_run_delta_is_within_005_of_the_paper():
    result = papers.run(NAME, full=True, seed=0)
    rows = {r["quantity"]: r for r in result["comparison"]}
    assert rows["delta"]["within"] and rows["delta_three_firms"]["within"]
    assert rows["delta_sd"]["within"] and rows["delta_impatient"]["within"]
