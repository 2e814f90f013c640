"""Round-robin tournaments: Axelrod's numbers, reproducibility across executors, the
meta-game."""

from __future__ import annotations

import json
import pathlib
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import games
from games import InvalidArgumentError, InvalidGameError
from games.catalog import prisoners_dilemma, stag_hunt
from games.repeated import match, tournament
from games.repeated import strategies as S

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "repeated_axelrod.json"
PD = prisoners_dilemma()
TEN = [S.Cooperator(), S.Defector(), S.TitForTat(), S.Grudger(), S.WinStayLoseShift(),
       S.Alternator(), S.SuspiciousTitForTat(), S.TitForTwoTats(), S.GenerousTitForTat(),
       S.Random()]


def test_tournament_of_deterministic_strategies_equals_axelrods():
    """Fixture from axelrod 4.14: payoff matrix, normalised scores, wins, cooperation
    ratings and ranking of the 8 deterministic strategies, 200 turns, 2 repetitions."""
    data = json.loads(FIXTURE.read_text())
    ref = data["tournament"]
    result = tournament([getattr(S, n)() for n in data["strategies"]], PD, turns=200,
                        repetitions=ref["repetitions"], seed=1)
    assert np.allclose(result.payoff_matrix, ref["payoff_matrix"], rtol=0, atol=1e-12)
    assert np.allclose(result.normalised_scores.T, ref["normalised_scores"], rtol=0, atol=1e-12)
    assert result.wins.tolist() == [sum(w) for w in ref["wins"]]
    assert np.allclose(result.cooperation_rates, ref["cooperating_rating"], rtol=0, atol=1e-12)
    assert list(result.ranked_names) == ref["ranked_names"]


def test_tournament_scores_are_the_mean_of_the_pairwise_matches():
    result = tournament(TEN[:8], PD, turns=50, repetitions=3, seed=0)
    for i, si in enumerate(TEN[:8]):
        for j, sj in enumerate(TEN[:8]):
            m = match(si, sj, PD, turns=50)
            assert result.payoff_matrix[i, j] == pytest.approx(float(m.mean_payoffs[0]))
            assert result.cooperation[i, j] == pytest.approx(float(m.cooperation[0]))


def test_same_seed_gives_identical_numbers_serially_and_on_processes():
    kwargs = dict(turns=60, repetitions=4, noise=0.05, seed=2026)
    serial = tournament(TEN, PD, executor="serial", **kwargs)
    threads = tournament(TEN, PD, executor=ThreadPoolExecutor(max_workers=3), **kwargs)
    processes = tournament(TEN, PD, executor="processes", **kwargs)
    for other in (threads, processes):
        assert np.array_equal(serial.payoffs, other.payoffs)
        assert np.array_equal(serial.cooperation, other.cooperation)
        assert serial.ranking == other.ranking
    different = tournament(TEN, PD, executor="serial", **{**kwargs, "seed": 7})
    assert not np.array_equal(serial.payoffs, different.payoffs)


def test_repetitions_of_stochastic_pairs_differ_and_deterministic_ones_do_not():
    result = tournament([S.TitForTat(), S.Random(), S.Grudger()], PD, turns=100,
                        repetitions=5, seed=3)
    tft_grudger = result.payoffs[:, 0, 2]
    assert np.all(tft_grudger == tft_grudger[0])
    assert len(set(result.payoffs[:, 0, 1].tolist())) > 1


def test_meta_game_is_symmetric_with_the_tournament_payoffs():
    result = tournament(TEN, PD, turns=100, repetitions=3, noise=0.01, seed=1)
    meta = result.meta_game()
    assert isinstance(meta, games.Game) and meta.shape == (10, 10)
    assert np.array_equal(meta.payoffs[0], result.payoff_matrix)
    assert np.array_equal(meta.payoffs[1], result.payoff_matrix.T)
    assert meta.actions[0] == tuple(s.name for s in TEN)
    # every solver applies: Defector against everyone is a pure equilibrium without noise
    clean = tournament([S.Defector(), S.Cooperator(), S.TitForTat()], PD, turns=50,
                       repetitions=1).meta_game()
    profiles = [e.profile for e in games.pure_equilibria(clean)]
    assert (0, 0) in profiles and (2, 2) in profiles


def test_ranks_wins_and_summary_are_consistent():
    result = tournament(TEN, PD, turns=200, repetitions=2, seed=5)
    assert sorted(result.ranking) == list(range(10))
    assert [result.ranks[i] for i in result.ranking] == list(range(10))
    assert result.wins[1] == 2 * 8  # Defector beats all but itself and Suspicious TFT (ties)
    assert result.wins.sum() == result.win_matrix.sum()
    text = result.summary()
    assert text.splitlines()[1].split()[1] == result.names[result.ranking[0]].split()[0]
    assert "TournamentResult" in repr(result) and "<table>" in result._repr_html_()
    assert json.dumps(result.to_dict())


def test_without_self_play_the_diagonal_is_unknown_and_the_meta_game_refused():
    result = tournament(TEN[:4], PD, turns=20, repetitions=1, self_play=False)
    assert np.isnan(np.diag(result.payoff_matrix)).all()
    assert np.isfinite(result.scores).all()
    with pytest.raises(InvalidArgumentError, match="self_play"):
        result.meta_game()


def test_continuation_tournaments_have_random_lengths():
    result = tournament([S.TitForTat(), S.Alternator()], PD, turns=None, continuation=0.9,
                        repetitions=50, seed=4)
    assert np.isfinite(result.payoff_matrix).all()
    assert result.turns is None and result.continuation == 0.9


def test_any_symmetric_stage_game_works():
    result = tournament([S.TitForTat(), S.Defector(), S.Cooperator()], stag_hunt(), turns=10,
                        repetitions=1)
    assert result.payoff_matrix.shape == (3, 3)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(strategies=[S.TitForTat()]), InvalidArgumentError, "at least two"),
    (dict(strategies="TitForTat"), InvalidArgumentError, "sequence of strategies"),
    (dict(repetitions=0), InvalidArgumentError, "repetitions"),
    (dict(noise=-0.1), InvalidArgumentError, "noise"),
    (dict(turns=1.5), InvalidArgumentError, "turns"),
    (dict(stage=games.Game.from_bimatrix([[1, 2], [3, 4]], [[0, 0], [0, 0]])), InvalidGameError,
     "symmetric"),
    (dict(strategies=[S.TitForTat(), 3]), InvalidGameError, r"strategies\[1\]"),
])
def test_bad_tournament_arguments_are_rejected(kwargs, error, message):
    args = dict(strategies=TEN[:3], stage=PD, turns=10, repetitions=1)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        tournament(**args)


def test_an_unknown_executor_is_an_argument_error():
    with pytest.raises(InvalidArgumentError, match="executor"):
        tournament(strategies=TEN[:3], stage=PD, turns=10, repetitions=1, executor="cluster")


def test_a_checkpointed_tournament_resumes_to_the_same_scores(tmp_path):
    """A noisy tournament checkpointed pair by pair: rerunning it from a checkpoint that
    holds only some pairs gives the scores of an uninterrupted run."""
    strategies = [S.TitForTat(), S.Cooperator(), S.Defector()]
    stage = prisoners_dilemma()
    path = tmp_path / "t.ckpt"
    kwargs = dict(turns=50, repetitions=3, noise=0.05, seed=4, executor="serial")
    whole = tournament(strategies, stage, **kwargs)
    tournament(strategies, stage, checkpoint=path, **kwargs)
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    data["chunks"] = {k: v for k, v in data["chunks"].items() if k < 2}   # "killed" early
    with open(path, "wb") as fh:
        pickle.dump(data, fh)
    resumed = tournament(strategies, stage, checkpoint=path, **kwargs)
    assert np.array_equal(resumed.scores, whole.scores, equal_nan=True)
