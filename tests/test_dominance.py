"""Iterated elimination of strictly dominated strategies."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

import games
from games import Game
from tests.strategies import game_objects


def test_prisoners_dilemma_is_dominance_solvable():
    g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[("C", "D"), ("C", "D")])
    r = games.eliminate_dominated(g)
    assert r.solved and r.game.actions == (("D",), ("D",)) and r.kept == ((1,), (1,))
    assert [(e.player, e.action, e.margin) for e in r.order] == [(0, "C", 1), (1, "C", 1)]


def test_an_action_dominated_only_by_a_mixture_is_removed_with_its_certificate():
    """M is worse than 1/2 T + 1/2 B against both columns, but better than each alone
    against one of them (Fudenberg & Tirole 1991, section 2.1)."""
    g = Game.from_bimatrix([[3, 0], [1, 1], [0, 3]], [[1, 0], [0, 1], [1, 0]],
                           actions=[("T", "M", "B"), ("L", "R")])
    pure_only = games.eliminate_dominated(g, mixed=False)
    assert pure_only.game.shape == (3, 2) and not pure_only.order
    r = games.eliminate_dominated(g)
    first = r.order[0]
    assert (first.round, first.player, first.action) == (1, 0, "M")
    assert first.by_mixed and first.dominated_by == {"T": Fraction(1, 2), "B": Fraction(1, 2)}
    assert first.margin == Fraction(1, 2)
    assert r.solved and r.game.actions == (("T",), ("L",))


def test_float_game_gives_the_same_reduction():
    g = Game.from_bimatrix([[3, 0], [1, 1], [0, 3]], [[1, 0], [0, 1], [1, 0]])
    exact, approximate = games.eliminate_dominated(g), games.eliminate_dominated(g.to_float())
    assert exact.kept == approximate.kept
    assert approximate.order[0].margin == pytest.approx(0.5)


def test_duplicate_and_weakly_dominated_actions_survive_strict_elimination():
    g = Game.from_bimatrix([[1, 1], [1, 1], [1, 0]], [[0, 0], [0, 0], [0, 0]])
    assert games.eliminate_dominated(g).game.shape == (3, 2)


def test_three_player_elimination_runs_to_the_end():
    rng = np.random.default_rng(0)
    u = rng.integers(0, 10, size=(3, 3, 3, 3))
    u[0, 2] = u[0, 0] + 1            # player 0: action 2 dominates action 0
    r = games.eliminate_dominated(Game(u))
    assert 0 not in r.kept[0]


@settings(max_examples=80, deadline=None)
@given(game_objects(min_players=2, max_players=3))
def test_elimination_keeps_every_pure_equilibrium(g):
    """Strict dominance never removes an action used in a Nash equilibrium, and the
    reduced game's pure equilibria are exactly the original ones."""
    r = games.eliminate_dominated(g)
    original = [e.profile for e in games.pure_equilibria(g)]
    reduced = sorted(tuple(r.kept[i][a] for i, a in enumerate(e.profile))
                     for e in games.pure_equilibria(r.game))
    assert reduced == original
    for e in r.order:
        assert e.margin > 0


@settings(max_examples=60, deadline=None)
@given(game_objects(min_players=2, max_players=3))
def test_every_certificate_is_a_true_domination_in_the_game_where_it_happened(g):
    r = games.eliminate_dominated(g)
    current = g
    for round_number in sorted({e.round for e in r.order}):
        for e in (x for x in r.order if x.round == round_number):
            u = np.moveaxis(current.payoffs[e.player], e.player, 0)
            u = u.reshape(current.shape[e.player], -1)
            names = current.actions[e.player]
            mix = sum(p * u[names.index(b)] for b, p in e.dominated_by.items())
            assert (mix - u[names.index(e.action)]).min() == pytest.approx(e.margin) \
                if not g.exact else (mix - u[names.index(e.action)]).min() == e.margin
        dropped = {(e.player, e.action) for e in r.order if e.round == round_number}
        keep = [[a for a in current.actions[i] if (i, a) not in dropped]
                for i in range(current.n_players)]
        current = current.restrict(keep)
    assert current == r.game


def test_reduction_reports_itself():
    g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    r = games.eliminate_dominated(g)
    assert "dominance solvable" in repr(r) and "<table>" in r._repr_html_()
    assert r.to_dict()["solved"] is True
