"""pareto.attribution: Shapley shares of a layer's loss (Shapley 1953).

The axioms are checked with hypothesis against a brute-force Shapley value (the mean of
each agent's marginal contribution over every order of arrival), and the aid-delivery
example by hand.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import games
import pareto
from games.errors import InvalidArgumentError, InvalidGameError
from games.learning import RegretMatching, simulate
from tests.strategies import shapes

NASH = ("visibility", "citizens first", "citizens first", "cost-efficient")
ALIGNED = ("need-based", "open airspace", "open airspace", "priority-to-need")


@st.composite
def layered_games(draw, max_criteria: int = 3):
    """An exact game with a random value layer, a pure profile and a pure reference."""
    shape = draw(shapes(min_players=1, max_players=4, max_actions=3, max_profiles=36))
    n = len(shape)
    k = draw(st.integers(1, max_criteria))
    size = k * int(np.prod(shape))
    values = draw(st.lists(st.integers(-5, 5), min_size=size, max_size=size))
    layer = np.array([Fraction(v, 2) for v in values], dtype=object).reshape((k, *shape))
    payoffs = np.zeros((n, *shape), dtype=int)
    game = games.Game(payoffs, layers={"value": layer})
    profile = tuple(draw(st.integers(0, a - 1)) for a in shape)
    reference = tuple(draw(st.integers(0, a - 1)) for a in shape)
    return game, profile, reference


def brute_force_shapley(game, profile, reference, row):
    """Shapley values by averaging marginal contributions over all n! orders."""
    n = game.n_players
    layer = game.layers["value"][row]

    def score(coalition):
        return layer[tuple(reference[i] if i in coalition else profile[i] for i in range(n))]

    shares = [Fraction(0)] * n
    orders = list(itertools.permutations(range(n)))
    for order in orders:
        before = set()
        for i in order:
            shares[i] += score(before | {i}) - score(before)
            before.add(i)
    return [s / len(orders) for s in shares]


@settings(max_examples=60, deadline=None)
@given(layered_games())
def test_shares_are_the_brute_force_shapley_values_and_sum_to_the_loss(case):
    game, profile, reference = case
    result = pareto.attribution(game, profile, reference, criterion="each")
    layer = game.layers["value"]
    assert result.exact
    assert sum(result.shares) == result.loss  # efficiency, exactly
    assert result.loss == layer[(slice(None), *reference)].sum() - \
        layer[(slice(None), *profile)].sum()
    for row in range(layer.shape[0]):
        assert list(result.criterion_shares[row]) == \
            brute_force_shapley(game, profile, reference, row)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.lists(st.integers(-6, 6), min_size=6, max_size=6))
def test_symmetric_agents_get_equal_shares(n, by_count):
    # The score depends only on how many agents play action 1: every agent is symmetric.
    counts = np.indices((2,) * n).sum(axis=0)
    layer = np.vectorize(lambda c: Fraction(by_count[c]), otypes=[object])(counts)
    game = games.Game(np.zeros((n,) + (2,) * n, dtype=int), layers={"value": layer})
    result = pareto.attribution(game, (1,) * n, (0,) * n)
    assert len(set(result.shares)) == 1
    assert result.shares[0] * n == result.loss == by_count[0] - by_count[n]


@settings(max_examples=60, deadline=None)
@given(layered_games(), st.data())
def test_an_agent_whose_switch_never_changes_the_score_gets_zero(case, data):
    game, profile, reference = case
    null = data.draw(st.integers(0, game.n_players - 1))
    # Make the layer ignore the null agent's action: copy its first action's slice.
    layer = np.array(game.layers["value"])
    first = np.take(layer, [0], axis=1 + null)
    layer = np.broadcast_to(first, layer.shape).copy()
    game = games.Game(np.zeros((game.n_players, *game.shape), dtype=int),
                      layers={"value": layer})
    result = pareto.attribution(game, profile, reference, criterion="each")
    assert result.shares[null] == 0
    assert all(row[null] == 0 for row in result.criterion_shares)


@settings(max_examples=60, deadline=None)
@given(layered_games())
def test_additive_over_criteria(case):
    game, profile, reference = case
    total = pareto.attribution(game, profile, reference)
    each = pareto.attribution(game, profile, reference, criterion="each")
    names = game.criteria["value"]
    singles = [pareto.attribution(game, profile, reference, criterion=c) for c in names]
    assert list(total.shares) == list(each.shares)
    assert list(total.shares) == [sum(s.shares[i] for s in singles)
                                  for i in range(game.n_players)]
    for row, single in zip(each.criterion_shares, singles):
        assert list(row) == list(single.shares)
    assert total.loss == sum(s.loss for s in singles) == sum(each.criterion_losses)


def test_aid_delivery_by_hand():
    """From the selfish equilibrium to the aligned outcome of Carichon et al. (2025).

    protect life = 2n + 2p + a + b is additive in the aligned indicators, so each agent's
    share is its own term: NGO 2, each government 1, logistics 2 (loss 6 - 0).
    The objective D = 1 + 2a + 2b + ab + n' + 2p' + n'p' has interactions: the
    governments split the ab bonus (2 + 1/2 each); the NGO loses n' and half of n'p'
    (-1 - 1/2), logistics 2p' and the other half (-2 - 1/2); loss 6 - 5 = 1.
    """
    g = games.catalog.aid_delivery()
    life = pareto.attribution(g, NASH, ALIGNED, criterion="protect life")
    assert (life.score_profile, life.score_reference, life.loss) == (0, 6, 6)
    assert list(life.shares) == [2, 1, 1, 2]
    assert life.most_responsible() == ("NGO", "Logistics")
    task = pareto.attribution(g, NASH, ALIGNED, layer="objective")
    assert (task.score_profile, task.score_reference) == (5, 6)
    assert list(task.shares) == [Fraction(-3, 2), Fraction(5, 2), Fraction(5, 2),
                                 Fraction(-5, 2)]
    values = pareto.attribution(g, NASH, ALIGNED, criterion="each")
    assert list(values.shares) == [6, 5, 5, 4] and values.loss == 20
    assert "'NGO' is the most responsible" in values.text()


@settings(max_examples=30, deadline=None)
@given(layered_games(max_criteria=2), st.data())
def test_mixed_profiles_in_expectation_equal_the_average_over_pure_profiles(case, data):
    game, _, _ = case

    def mixture(a):
        weights = data.draw(st.lists(st.integers(0, 3), min_size=a, max_size=a)
                            .filter(lambda w: sum(w) > 0))
        return [Fraction(w, sum(weights)) for w in weights]

    profile = [mixture(a) for a in game.shape]
    reference = [mixture(a) for a in game.shape]
    mixed = pareto.attribution(game, profile, reference)
    assert mixed.exact and mixed.profile_kind in ("mixed", "pure")
    expected = [Fraction(0)] * game.n_players
    loss = Fraction(0)
    for p in itertools.product(*[range(a) for a in game.shape]):
        for r in itertools.product(*[range(a) for a in game.shape]):
            weight = Fraction(1)
            for i in range(game.n_players):
                weight *= profile[i][p[i]] * reference[i][r[i]]
            if weight:
                pure = pareto.attribution(game, p, r)
                expected = [e + weight * s for e, s in zip(expected, pure.shares)]
                loss += weight * pure.loss
    assert list(mixed.shares) == expected
    assert mixed.loss == loss


def test_learning_run_with_a_product_final_window_matches_the_mixed_attribution():
    g = games.catalog.aid_delivery()
    p = [np.array([0.25, 0.75]), np.array([0.5, 0.5]), np.array([0.1, 0.9]),
         np.array([0.0, 1.0])]
    joint = p[0][:, None, None, None] * p[1][:, None, None] * p[2][:, None] * p[3]
    # Two sessions: the first stopped after window 0 (later windows all zero).
    frequencies = np.zeros((2, 3, 16))
    frequencies[0, 0] = joint.reshape(-1) * 100
    frequencies[1, 2] = joint.reshape(-1) * 40
    frequencies[1, 0] = np.eye(16)[0] * 40  # an earlier window, ignored
    run = SimpleNamespace(frequencies=frequencies)
    from_run = pareto.attribution(g, run, ALIGNED, criterion="each")
    mixed = pareto.attribution(g, p, ALIGNED, criterion="each")
    assert from_run.profile_kind == "learning run" and not from_run.exact
    np.testing.assert_allclose(from_run.criterion_shares,
                               np.array(mixed.criterion_shares, dtype=float), atol=1e-12)
    assert from_run.loss == pytest.approx(mixed.loss)


def test_learning_run_keeps_the_correlation_of_the_agents_that_do_not_switch():
    # Two agents, score 1 when they match. The run plays (0,0) and (1,1) half the time each:
    # correlated, score 1. Reference (0, 1) scores 0. Alone, an agent switching to its
    # reference action keeps the other's marginal (1/2, 1/2): score 1/2, v = -1/2 each.
    layer = np.array([[1, 0], [0, 1]])
    g = games.Game(np.zeros((2, 2, 2), dtype=int), layers={"value": layer})
    run = SimpleNamespace(frequencies=np.array([[[0.5, 0, 0, 0.5]]]))
    result = pareto.attribution(g, run, (0, 1))
    assert result.score_profile == pytest.approx(1) and result.loss == pytest.approx(-1)
    np.testing.assert_allclose(result.shares.astype(float), [-0.5, -0.5])
    assert "above the reference" in result.text()


def test_results_render_and_serialise():
    g = games.catalog.aid_delivery()
    result = pareto.attribution(g, NASH, ALIGNED, criterion="each")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["shares"] == [6, 5, 5, 4] and data["criteria"][0] == "protect life"
    assert "\n" not in repr(result) and "NGO 6" in repr(result)
    html = result._repr_html_()
    assert "<th>% of loss</th>" in html and "<td>30%</td>" in html
    assert result.percent() == [30.0, 25.0, 25.0, 20.0]
    none = pareto.attribution(g, NASH, NASH)
    assert none.loss == 0 and none.most_responsible() == () and "No loss" in none.text()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for r in (result, pareto.attribution(g, NASH, ALIGNED, criterion="transparency")):
        ax = r.plot()
        assert [t.get_text() for t in ax.get_xticklabels()] == list(g.players)
        plt.close(ax.figure)


def test_invalid_arguments_and_profiles():
    g = games.catalog.aid_delivery()
    with pytest.raises(InvalidArgumentError, match="layer"):
        pareto.attribution(g, NASH, ALIGNED, layer="values")
    with pytest.raises(InvalidArgumentError, match="criterion"):
        pareto.attribution(g, NASH, ALIGNED, criterion="honesty")
    with pytest.raises(InvalidArgumentError, match="criterion"):
        pareto.attribution(g, NASH, ALIGNED, criterion=4)
    with pytest.raises(InvalidGameError, match="profile"):
        pareto.attribution(g, NASH[:3], ALIGNED)
    with pytest.raises(InvalidGameError, match="reference"):
        pareto.attribution(g, NASH, ("need-based", "open", "open airspace", 0))
    with pytest.raises(InvalidGameError, match="profile"):
        pareto.attribution(g, [[0.5, 0.6]] * 4, ALIGNED)
    with pytest.raises(InvalidGameError, match="frequencies"):
        pareto.attribution(g, SimpleNamespace(frequencies=np.ones((1, 1, 3))), ALIGNED)
    with pytest.raises(InvalidGameError, match="no played window"):
        pareto.attribution(g, SimpleNamespace(frequencies=np.zeros((1, 1, 16))), ALIGNED)
    with pytest.raises(InvalidGameError, match="game"):
        pareto.attribution("aid", NASH, ALIGNED)
    big = games.Game(np.zeros((13,) + (1,) * 13, dtype=int))
    with pytest.raises(InvalidArgumentError, match="at most 12 agents"):
        pareto.attribution(big, (0,) * 13, (0,) * 13, layer="objective")


def test_a_real_learning_run_is_attributed_from_its_final_window():
    # Self-serving actions strictly dominate in the aid game, so regret matching (Hart &
    # Mas-Colell 2000) ends at the selfish equilibrium: the run's attribution is the pure one.
    g = games.catalog.aid_delivery()
    run = simulate(g, RegretMatching(), periods=2000, sessions=2, seed=1, window=500,
                   progress=False)
    from_run = pareto.attribution(g, run, ALIGNED)
    pure = pareto.attribution(g, NASH, ALIGNED)
    assert from_run.profile_kind == "learning run"
    assert sum(from_run.shares) == pytest.approx(from_run.loss)
    np.testing.assert_allclose(from_run.shares.astype(float),
                               np.array(pure.shares, dtype=float), atol=0.05)


# -- the incentive view ----------------------------------------------------------------


def aid_terms():
    """The aid game's secondary objectives (catalogue docstring): NGO 3n', Gov 4a' / 4b',
    Logistics 3p' (each 1 on the self-serving action), so payoffs - terms = D for all."""
    out = {}
    for name, player, size in [("publicity", 0, 3), ("leverage A", 1, 4),
                               ("leverage B", 2, 4), ("profit", 3, 3)]:
        term = np.zeros((4, 2, 2, 2, 2), dtype=int)
        np.moveaxis(term[player], player, 0)[1] = size
        out[name] = term
    return out


def test_incentive_view_of_the_aid_game_by_hand():
    """Removing every secondary objective leaves the common task reward D, whose only
    equilibrium is 1001 (value (2, 2, 4, 2), sum 10, against 0 now and 20 aligned).
    Visibility and cost-efficiency raise D themselves, so publicity and profit change
    nothing and get 0; each government's leverage gets half (symmetry): 5 each. No single
    removal restores the aligned value: the other government still restricts."""
    g = games.catalog.aid_delivery()
    terms = aid_terms()
    d = g.layers["objective"][0]
    assert all((g.payoffs[i] - sum(t[i] for t in terms.values()) == d).all() for i in range(4))
    result = pareto.incentive_attribution(g, terms, ALIGNED)
    assert result.exact and result.equilibrium == NASH
    assert (result.score_equilibrium, result.score_reference, result.loss) == (0, 20, 20)
    assert result.recovered == 10 and list(result.shares) == [0, 5, 5, 0]
    assert not result.restores.any()
    assert "'leverage A' and 'leverage B' contribute most each" in result.text()
    law = pareto.incentive_attribution(g, {"leverage A": terms["leverage A"],
                                           "leverage B": terms["leverage B"]}, ALIGNED,
                                       criterion="international law")
    assert law.recovered == law.loss == 4 and list(law.shares) == [2, 2]
    assert json.loads(json.dumps(result.to_dict()))["shares"] == [0, 5, 5, 0]
    assert "\n" not in repr(result) and "<th>term</th>" in result._repr_html_()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ax = result.plot()
    assert [t.get_text() for t in ax.get_xticklabels()] == list(terms)
    plt.close(ax.figure)


def test_removing_the_prisoners_temptation_restores_cooperation():
    g = games.catalog.prisoners_dilemma()
    temptation = np.zeros((2, 2, 2), dtype=int)
    temptation[0, 1, :] = temptation[1, :, 1] = [3, 2]
    result = pareto.incentive_attribution(g, {"temptation": temptation}, ("C", "C"),
                                          layer="objective")
    assert result.restores.tolist() == [True] and result.recovered == result.loss == 4
    assert "alone restores" in result.text()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_incentive_shares_sum_to_what_removing_every_term_recovers(data):
    shape = data.draw(shapes(min_players=2, max_players=3, max_actions=2))
    n = len(shape)
    cells = st.lists(st.integers(-3, 3), min_size=n * int(np.prod(shape)),
                     max_size=n * int(np.prod(shape)))
    game = games.Game(np.array(data.draw(cells)).reshape((n, *shape)),
                      layers={"value": np.array(data.draw(cells)).reshape((n, *shape))})
    terms = {f"t{k}": np.array(data.draw(cells)).reshape((n, *shape))
             for k in range(data.draw(st.integers(1, 3)))}
    try:
        result = pareto.incentive_attribution(game, terms, (0,) * n)
    except InvalidArgumentError as error:
        assert "no pure equilibrium" in str(error)
        return
    assert sum(result.shares) == result.recovered


def test_incentive_view_rejects_malformed_terms():
    g = games.catalog.aid_delivery()
    with pytest.raises(InvalidArgumentError, match="terms"):
        pareto.incentive_attribution(g, [], ALIGNED)
    with pytest.raises(InvalidArgumentError, match=r"terms\['x'\].*shape"):
        pareto.incentive_attribution(g, {"x": np.zeros((2, 2))}, ALIGNED)
    with pytest.raises(InvalidArgumentError, match="at most 10 terms"):
        pareto.incentive_attribution(g, {str(k): np.zeros((4, 2, 2, 2, 2)) for k in range(11)},
                                     ALIGNED)
    with pytest.raises(InvalidArgumentError, match="each"):
        pareto.incentive_attribution(g, aid_terms(), ALIGNED, criterion="each")
    mp = games.catalog.matching_pennies()
    with pytest.raises(InvalidArgumentError, match="no pure equilibrium"):
        pareto.incentive_attribution(mp, {"x": np.zeros((2, 2, 2))}, (0, 0), layer="objective")
