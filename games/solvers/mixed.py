"""Mixed Nash equilibria of n-player games.

:func:`mixed_equilibria` dispatches to three families of methods:

* ``"logit"``: the principal branch of the logit quantal-response correspondence, traced
  from the centroid (rationality 0) by predictor-corrector path following in
  ``(lambda, log p)`` coordinates until it reaches a Nash equilibrium (Turocy 2005);
* ``"mclennan_tourky"``: the imitation-game iteration of McLennan & Tourky (2006), a
  globally convergent method for any game (each imitation game is solved by a
  lexicographic Lemke-Howson kernel);
* ``"enumpoly"``: support enumeration with the polynomial indifference system of every
  support profile (as Gambit's ``enumpoly``), exhaustive for small games.

Every answer is polished by Newton's method on the indifference equations of its
support and verified (:func:`games.results.make_equilibrium`): its certificate, the largest
gain from a unilateral deviation, is at most :func:`games.tolerance.float_tolerance`
(``1e-9`` of the payoff range, no absolute floor). Exact games
get exact (rational) equilibria whenever the polished profile rationalises to one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from games.arguments import check_integer, check_real, check_seed
from games.errors import InvalidArgumentError, InvalidGameError, SolverError
from games.model import Game
from games.results import Equilibrium, EquilibriumSet
from games.solvers._lemke_howson_kernels import lh_solve
from games.solvers.enumpoly import enumpoly_equilibria
from games.solvers.multilinear import Multilinear, polish
from games.solvers.quantal import logit_equilibrium

__all__ = ["mixed_equilibria", "polish", "METHODS"]

#: Imitation games tried by ``method="auto"`` before it traces the logit branch.
_QUICK_IMITATION_GAMES = 40

#: The methods of :func:`mixed_equilibria` (``"auto"`` tries them in turn).
METHODS = ("auto", "logit", "mclennan_tourky", "enumpoly")


def mixed_equilibria(game: Game, method: str = "auto", **options: Any) -> EquilibriumSet:
    r"""Mixed Nash equilibria of an n-player game.

    Parameters
    ----------
    game : Game
        Any number of players.
    method : {"auto", "logit", "mclennan_tourky", "enumpoly"}
        ``"logit"`` traces the logit quantal-response branch to one equilibrium;
        ``"mclennan_tourky"`` runs the imitation-game iteration to one equilibrium;
        ``"enumpoly"`` enumerates support profiles and solves each indifference system
        (every equilibrium of a nondegenerate game; see
        :func:`games.solvers.enumpoly.enumpoly_equilibria`); ``"auto"`` (default) tries
        a short ``"mclennan_tourky"`` run (at most 40 imitation games), then ``"logit"``,
        then a full ``"mclennan_tourky"`` run.
    **options
        Passed to the method (e.g. ``seed``, ``max_iter``, ``max_support``).

    Returns
    -------
    EquilibriumSet
        Verified equilibria (certificate at most ``1e-9`` of the payoff range, 0 for
        exact ones), with ``method``, ``parameters`` and ``complete``: True only when the
        method guarantees every equilibrium was found.

    Raises
    ------
    InvalidGameError
        An unknown method or option.
    SolverError
        The method did not reach a certified equilibrium.

    References
    ----------
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal
    response equilibrium correspondence. *Games and Economic Behavior* 51, 243-263.
    McLennan, A. & Tourky, R. (2006). From imitation games to Kakutani.
    McKelvey, R. D. & McLennan, A. (1997). The maximal number of regular totally mixed
    Nash equilibria. *J. Economic Theory* 72, 411-425.

    Examples
    --------
    >>> import games
    >>> g = games.catalog.matching_pennies()
    >>> eq = mixed_equilibria(g)[0]
    >>> [[float(p) for p in s] for s in eq.strategies], eq.regret
    ([[0.5, 0.5], [0.5, 0.5]], Fraction(0, 1))
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    if method not in METHODS:
        raise InvalidArgumentError(f"method: expected one of {METHODS}, found {method!r}")
    if method == "enumpoly":
        return enumpoly_equilibria(game, **options)
    if method == "mclennan_tourky":
        eq = mclennan_tourky(game, **options)
        return EquilibriumSet([eq], method="mclennan_tourky", complete=False,
                              parameters=options, game=game)
    if method == "logit":
        eq = logit_equilibrium(game, **options)
        return EquilibriumSet([eq], method="logit", complete=False, parameters=options,
                              game=game)
    if not options:
        # A short McLennan-Tourky run first: it certifies most games in a few imitation
        # games, far faster than tracing the logit branch; the branch is the fallback.
        try:
            eq = mclennan_tourky(game, max_iter=_QUICK_IMITATION_GAMES)
            return EquilibriumSet([eq], method="mclennan_tourky", complete=False,
                                  parameters={"requested": "auto"}, game=game)
        except SolverError:
            pass
    try:
        eq = logit_equilibrium(game, **options)
        used = "logit"
    except SolverError:
        eq = mclennan_tourky(game, **options)
        used = "mclennan_tourky"
    return EquilibriumSet([eq], method=used, complete=False,
                          parameters={"requested": "auto", **options}, game=game)


# ---------------------------------------------------------------------------------------
# McLennan-Tourky imitation games


def mclennan_tourky(game: Game, *, init: Any = None, epsilon: float = 1e-3,
                    max_iter: int = 500, seed: Any = None) -> Equilibrium:
    r"""One Nash equilibrium by McLennan & Tourky's imitation-game iteration, polished
    and certified.

    From points :math:`x_1..x_m` with best responses :math:`y_k = f(x_k)`, solve the
    imitation game :math:`(A, I)` with :math:`A_{kl} = -\|x_k - y_l\|^2` by Lemke-Howson;
    the imitator's equilibrium mixture :math:`x_{m+1} = \sum_l \tau_l y_l` is the next
    point. The iteration stops at an ``epsilon``-equilibrium (regret relative to the
    payoff range), which Newton's method then polishes.

    Parameters
    ----------
    init : profile, optional
        Starting profile (default the centroid; a random interior point with ``seed``).
    epsilon : float
        Regret (relative to the payoff range) at which the iteration hands over to Newton.
    max_iter : int
        Largest number of imitation games.

    Raises
    ------
    SolverError
        When no certified equilibrium is reached within ``max_iter`` imitation games.
    """
    if not isinstance(game, Game):
        raise InvalidGameError(f"game: expected a Game, found {type(game).__name__}")
    max_iter = check_integer(max_iter, "max_iter", minimum=1)
    check_real(epsilon, "epsilon", low=0, low_open=True)
    check_seed(seed)
    ml = Multilinear(game)
    span = float(ml.payoffs.max() - ml.payoffs.min()) or 1.0
    if init is not None:
        x = np.concatenate([np.asarray(s, dtype=np.float64) for s in game.strategies(init)])
    elif seed is not None:
        rng = np.random.default_rng(seed)
        x = np.concatenate([rng.dirichlet(np.ones(a)) for a in game.shape])
    else:
        x = np.concatenate([np.full(a, 1.0 / a) for a in game.shape])
    X = np.empty((max_iter + 1, ml.size))
    Y = np.empty((max_iter + 1, ml.size))
    X[0] = x
    Y[0] = ml.best_response(x)
    last_error: SolverError | None = None
    tried = np.inf
    for m in range(1, max_iter + 1):
        d = ((X[:m, None, :] - Y[None, :m, :]) ** 2).sum(axis=2)
        A = -d
        sigma, tau = _lemke_howson(A - A.min() + 1.0, np.eye(m) + 1.0, m - 1)
        x = tau @ Y[:m]
        r = ml.regret(x)
        # hand over to Newton at an epsilon-equilibrium, and also try at every halving of
        # the best regret seen below 5% of the payoff range (cheap next to the LH solves)
        if r <= epsilon * span or r <= ml.tol or (r <= 0.05 * span and r <= 0.5 * tried):
            tried = r
            try:
                return polish(game, ml.split(x), "mclennan_tourky", ml=ml)
            except SolverError as err:
                last_error = err
                if r <= epsilon * span:
                    epsilon = epsilon / 10
        X[m] = x
        Y[m] = ml.best_response(x)
    raise SolverError(f"mclennan_tourky: no certified equilibrium after {max_iter} imitation "
                      f"games (last regret {ml.regret(x):.3g})"
                      + (f"; {last_error}" if last_error else ""))


def _lemke_howson(A: np.ndarray, B: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray]:
    """A Nash equilibrium of the bimatrix game (A, B) by Lemke-Howson from ``label``."""
    x, y, pivots, *_ = lh_solve(np.ascontiguousarray(A, dtype=np.float64),
                                 np.ascontiguousarray(B, dtype=np.float64), label, 100000, 1e-12)
    if pivots < 0:
        raise SolverError("mclennan_tourky: Lemke-Howson did not terminate on an imitation game")
    return x, y
