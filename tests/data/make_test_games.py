"""Build the test games of ``tests/data/games``: the games of Gambit's example files,
rebuilt from their payoffs with masalign's own API and written by ``games.write_nfg``.

Run from the repository root after changing a game (the files are committed; tests only
read them)::

    python3 tests/data/make_test_games.py

Each file is named after the Gambit file (``gambitproject/gambit``, path with ``/`` as
``__``) whose game it reproduces, so that results of the anchors (pygambit) stored in
``tests/fixtures`` can name the same games. Only the games are taken over: their payoffs
and player and action names, which are mathematical data of published examples (von
Stengel 1999's 6x6 game with 75 equilibria, Nau, Gomez Canovas & Hansen 2004's sections
3 to 6, Shapley 1974's figures 2 and 3, McKelvey & McLennan 1997's 2x2x2 game with 9
equilibria, and smaller examples); titles are our own and no file text is copied.

The files cover both versions of the format and the features of real files:

- payoff version with action names, written by ``games.write_nfg(version="payoff")``;
- outcome version, written by ``games.write_nfg(version="outcome")``;
- the forms ``games.write_nfg`` does not produce, written by the small writer below:
  action counts instead of names (``{ 3 2 }``), the ``D`` header with decimals, named
  outcomes shared by several profiles, outcomes listed in another order than the
  profiles (indices ``1 3 2 4``), a comment string, empty player names and repeated
  action names (the reader makes them distinct: ``"defect (2)"``);
- names with spaces, quotes and backslashes (``escaped_names_outcome``);
- 2 to 5 players, degenerate games (``deg1``, ``zero``, ``csg1``, ``winkels``...) and a
  player with a single action (``perfect3``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import games  # noqa: E402

OUT = Path(__file__).resolve().parent / "games"
FORMS = ("payoff", "outcome", "payoff-D", "payoff-counts", "payoff-counts-D",
         "outcome-named", "outcome-row-major")


@dataclass(frozen=True)
class GameSpec:
    """One test game and the form of ``.nfg`` file it is written in.

    ``payoffs`` holds one nested list per player, indexed by action profile; a number is
    an int or a string read by ``Fraction`` ("7.32", "1/3"). ``written_players`` and
    ``written_actions`` are the names as the file spells them when they differ from the
    game's (empty or repeated names).
    """

    stem: str
    title: str
    payoffs: list
    form: str = "outcome"
    players: tuple[str, ...] | None = None
    actions: tuple[tuple[str, ...], ...] | None = None
    written_players: tuple[str, ...] | None = None
    written_actions: tuple[tuple[str, ...], ...] | None = None
    outcome_names: tuple[str, ...] | None = None
    comment: str = ""

    def game(self) -> games.Game:
        """The exact game."""
        payoffs = np.array(self.payoffs, dtype=object)
        exact = np.vectorize(lambda v: Fraction(str(v)), otypes=[object])(payoffs)
        return games.Game(exact, players=self.players, actions=self.actions, title=self.title)


def zeros(*shape: int) -> list:
    """Every payoff zero."""
    return np.zeros((len(shape), *shape), dtype=int).tolist()


def coordination(n: int) -> list:
    """Both players get 1 when their actions have the same index, 0 otherwise."""
    return [np.eye(n, dtype=int).tolist()] * 2


# ---------------------------------------------------------------------------------------
# A small writer for the forms games.write_nfg does not produce


def quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(value: Fraction, decimal: bool) -> str:
    """``value`` as a ``D`` file spells it (six decimals) or as an ``R`` file does."""
    if decimal:
        scaled = value * 10**6
        if scaled.denominator != 1:
            raise ValueError(f"{value} has more than six decimals")
        return f"{value.numerator / value.denominator:.6f}"
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def profiles_player_one_fastest(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every action profile in the order of the format: player 1's action fastest."""
    return [tuple(reversed(p)) for p in np.ndindex(*reversed(shape))]


def header(spec: GameSpec, game: games.Game, decimal: bool) -> str:
    players = spec.written_players or game.players
    return f"NFG 1 {'D' if decimal else 'R'} {quoted(game.title)} " \
        f"{{ {' '.join(quoted(p) for p in players)} }}"


def action_block(spec: GameSpec, game: games.Game) -> str:
    actions = spec.written_actions or game.actions
    rows = "\n".join("{ " + " ".join(quoted(a) for a in names) + " }" for names in actions)
    return "{ " + rows + "\n}\n" + quoted(spec.comment) + "\n"


def payoff_version(spec: GameSpec, game: games.Game, decimal: bool, counts: bool) -> str:
    shape = " ".join(str(a) for a in game.shape)
    top = header(spec, game, decimal) + (f" {{ {shape} }}\n" if counts else
                                         "\n\n" + action_block(spec, game))
    values = [number(game.payoffs[(i, *p)], decimal)
              for p in profiles_player_one_fastest(game.shape) for i in range(game.n_players)]
    return top + "\n" + " ".join(values) + "\n"


def outcome_version(spec: GameSpec, game: games.Game, row_major: bool) -> str:
    """Named outcomes: one per distinct payoff vector (named from ``outcome_names``), or
    with ``row_major`` one per profile, named by its actions and listed with the last
    player's action fastest, so that the profile list refers to them out of order."""
    order = profiles_player_one_fastest(game.shape)
    if row_major:
        listed = list(np.ndindex(*game.shape))
        names = ["".join(str(a + 1) for a in p) for p in listed]
        outcomes = [tuple(game.payoffs[(slice(None), *p)]) for p in listed]
        indices = [listed.index(p) + 1 for p in order]
    else:
        outcomes = []
        for p in order:
            vector = tuple(game.payoffs[(slice(None), *p)])
            if vector not in outcomes:
                outcomes.append(vector)
        names = list(spec.outcome_names or [""] * len(outcomes))
        indices = [outcomes.index(tuple(game.payoffs[(slice(None), *p)])) + 1 for p in order]
    body = "\n".join(f"{{ {quoted(name)} {', '.join(number(v, False) for v in vector)} }}"
                     for name, vector in zip(names, outcomes))
    return header(spec, game, False) + "\n\n" + action_block(spec, game) + "\n{\n" + body \
        + "\n}\n" + " ".join(str(k) for k in indices) + "\n"


def write(spec: GameSpec, directory: Path = OUT) -> Path:
    """Write one test game; the path written."""
    if spec.form not in FORMS:
        raise ValueError(f"form: expected one of {FORMS}, found {spec.form!r}")
    game = spec.game()
    path = directory / f"{spec.stem}.nfg"
    if spec.form in ("payoff", "outcome") and not (spec.written_players
                                                   or spec.written_actions or spec.comment):
        games.write_nfg(game, path, version=spec.form)
    elif spec.form.startswith("payoff"):
        text = payoff_version(spec, game, decimal=spec.form.endswith("-D"),
                              counts="counts" in spec.form)
        games.io.atomic_write_text(path, text)
    else:
        text = outcome_version(spec, game, row_major=spec.form == "outcome-row-major")
        games.io.atomic_write_text(path, text)
    return path


# ---------------------------------------------------------------------------------------
# The games


GAMES = [
    GameSpec("catalog__journals__dcg__vonstengel1999__6x6_game_with_75_eq",
             "von Stengel (1999): 6x6 bimatrix game with 75 equilibria",
             form="payoff",
             players=("1", "2"),
             payoffs=[[[9504, -660, 19976, -20526, 1776, -8976],
                       [-111771, 31680, -130944, 168124, -8514, 52764],
                       [397584, -113850, 451176, -586476, 29216, -178761],
                       [171204, -45936, 208626, -263076, 14124, -84436],
                       [1303104, -453420, 1227336, -1718376, 72336, -461736],
                       [737154, -227040, 774576, -1039236, 48081, -300036]],
                      [[72336, 48081, 29216, 14124, 1776, -8514],
                       [-461736, -300036, -178761, -84436, -8976, 52764],
                       [1227336, 774576, 451176, 208626, 19976, -130944],
                       [-1718376, -1039236, -586476, -263076, -20526, 168124],
                       [1303104, 737154, 397584, 171204, 9504, -111771],
                       [-453420, -227040, -113850, -45936, -660, 31680]]]),
    GameSpec("catalog__journals__dcg__vonstengel1999__6x6_game_with_75_eq_small_payoffs",
             "von Stengel (1999): 6x6 game with 75 equilibria, small payoffs",
             form="outcome",
             players=("1", "2"),
             payoffs=[[[-81, 36, -126, 126, -36, 90], [-180, 72, -333, 297, -153, 270],
                       [20, -3, 42, -33, 17, -30], [-30, 17, -33, 42, -3, 20],
                       [270, -153, 297, -333, 72, -180], [90, -36, 126, -126, 36, -81]],
                      [[72, 36, 17, -3, -36, -153], [-180, -81, -30, 20, 90, 270],
                       [297, 126, 42, -33, -126, -333], [-333, -126, -33, 42, 126, 297],
                       [270, 90, 20, -30, -81, -180], [-153, -36, -3, 17, 36, 72]]]),
    GameSpec("catalog__journals__ijgt__nau2004__sec3",
             "Battle of the Sexes",
             form="outcome",
             actions=(("Top", "Bottom"), ("Left", "Right")),
             payoffs=[[[3, 0], [0, 2]], [[2, 0], [0, 3]]]),
    GameSpec("catalog__journals__ijgt__nau2004__sec4",
             "Nau et al. (2004) section 4: one equilibrium, irrational probabilities",
             form="outcome",
             actions=(("Top", "Bottom"), ("Left", "Right"), ("1", "2")),
             payoffs=[[[[3, 1], [0, 0]], [[0, 0], [1, 2]]], [[[0, 0], [2, 1]], [[1, 3], [0, 0]]],
                      [[[2, 0], [0, 0]], [[0, 0], [0, 3]]]]),
    GameSpec("catalog__journals__ijgt__nau2004__sec5",
             "Nau et al. (2004) section 5: a continuum of totally mixed equilibria",
             form="outcome",
             actions=(("Top", "Bottom"), ("Left", "Right"), ("1", "2")),
             payoffs=[[[[0, 1], [0, 0]], [[3, 0], [0, 0]]], [[[0, 1], [3, 0]], [[0, 0], [0, 0]]],
                      [[[2, 0], [0, 0]], [[0, 0], [0, 3]]]]),
    GameSpec("catalog__journals__ijgt__nau2004__sec6",
             "Nau et al. (2004) section 6: equilibria inside the correlated equilibrium polytope",
             form="outcome",
             actions=(("Top", "Bottom"), ("Left", "Right"), ("1", "2", "3", "4")),
             payoffs=[[[[2, 1, 1, 2], [0, 0, 0, 0]], [[0, 0, 0, 0], [1, 2, 2, 1]]],
                      [[[0, 0, 0, 0], [1, 2, 1, 2]], [[2, 1, 2, 1], [0, 0, 0, 0]]],
                      [[[0, 2, 1, 1], [1, 1, 2, 0]], [[1, 1, 0, 2], [2, 0, 1, 1]]]]),
    GameSpec("catalog__journals__other__shapley1974__fig2",
             "Shapley (1974), figure 2: a Lemke-Howson example",
             form="outcome",
             players=("1", "2"),
             payoffs=[[[2, 2, 0], [0, 3, 0], [3, 0, 1]], [[3, 0, 2], [0, 3, 2], [0, 0, 1]]]),
    GameSpec("catalog__journals__other__shapley1974__fig3",
             "Shapley (1974), figure 3: a Lemke-Howson example",
             form="outcome",
             players=("1", "2"),
             payoffs=[[[0, 3, 0], [2, 2, 0], [3, 0, 1]], [[0, 2, 3], [3, 2, 0], [0, 0, 1]]]),
    GameSpec("contrib__games__2x2",
             "2x2 game with one mixed equilibrium",
             form="outcome",
             payoffs=[[[2, 0], [0, 1]], [[0, 1], [1, 0]]]),
    GameSpec("contrib__games__2x2a",
             "2x2 game with one mixed equilibrium, named actions",
             form="outcome",
             actions=(("U", "D"), ("L", "R")),
             payoffs=[[[9, 0], [0, 1]], [[0, 1], [1, 0]]]),
    GameSpec("contrib__games__2x2const",
             "2x2 constant-sum game with one mixed equilibrium",
             form="outcome",
             payoffs=[[[2, 0], [0, 1]], [[0, 2], [2, 1]]]),
    GameSpec("contrib__games__2x2x2",
             "McKelvey & McLennan (1997): 2x2x2 game with 9 equilibria, 2 totally mixed",
             form="outcome",
             payoffs=[[[[9, 0], [0, 3]], [[0, 3], [9, 0]]], [[[8, 0], [0, 4]], [[0, 4], [8, 0]]],
                      [[[12, 0], [0, 6]], [[0, 6], [2, 0]]]]),
    GameSpec("contrib__games__2x2x2x2",
             "four players, 2x2x2x2, 3 equilibria",
             form="outcome",
             players=("1", "2", "3", "4"),
             payoffs=[[[[["1.131", "2.326"], ["1.223", "5.255"]],
                        [["4.452", "2.747"], ["4.564", "5.634"]]],
                       [[["4.225", "1.478"], ["4.483", "4.383"]],
                        [["7.566", "1.759"], ["7.247", "4.642"]]]],
                      [[[["1.21", "2.422"], ["1.358", "5.334"]],
                        [["4.549", "2.243"], ["4.326", "5.675"]]],
                       [[["5.277", "2.544"], ["5.764", "1.436"]],
                        [["4.655", "2.705"], ["4.943", "1.897"]]]],
                      [[[["2.426", "3.222"], ["2.234", "2.643"]],
                        [["1.655", "3.518"], ["1.762", "2.455"]]],
                       [[["4.837", "1.973"], ["4.995", "4.864"]],
                        [["7.076", "1.735"], ["7.362", "4.042"]]]],
                      [[[["2.429", "3.024"], ["2.238", "2.873"]],
                        [["1.347", "3.062"], ["1.576", "6.523"]]],
                       [[["5.645", "7.486"], ["5.754", "5.267"]],
                        [["4.423", "4.043"], ["4.382", "3.83"]]]]]),
    GameSpec("contrib__games__2x2x2x2x2",
             "five players, 2x2x2x2x2, 5 equilibria",
             form="outcome",
             payoffs=[[[[[["7.247", "4.943"], ["4.837", "5.645"]],
                         [["1.759", "2.705"], ["3.518", "3.062"]]],
                        [[["1.223", "1.358"], ["1.762", "1.576"]],
                         [["4.12", "4.976"], ["4.864", "5.267"]]]],
                       [[[["2.537", "2.417"], ["2.355", "5.347"]],
                         [["2.778", "1.646"], ["1.74", "4.192"]]],
                        [[["2.675", "2.238"], ["2.426", "2.429"]],
                         [["2.747", "2.243"], ["2.643", "2.873"]]]]],
                      [[[[["7.362", "4.382"], ["1.478", "2.544"]],
                         [["1.735", "4.043"], ["1.131", "1.21"]]],
                        [[["2.234", "2.238"], ["5.634", "5.675"]],
                         [["7.324", "7.723"], ["1.428", "1.521"]]]],
                       [[[["1.427", "1.624"], ["2.798", "1.403"]],
                         [["2.342", "1.64"], ["3.803", "2.685"]]],
                        [[["1.132", "1.985"], ["2.326", "2.422"]],
                         [["3.518", "3.062"], ["4.564", "4.326"]]]]],
                      [[[[["4.642", "1.897"], ["1.973", "7.486"]],
                         [["4.452", "4.549"], ["2.426", "2.429"]]],
                        [[["5.255", "5.334"], ["2.455", "6.523"]],
                         [["4.483", "5.764"], ["4.248", "4.533"]]]],
                       [[[["4.542", "4.572"], ["2.832", "1.38"]],
                         [["2.164", "5.349"], ["3.464", "2.678"]]],
                        [[["5.369", "5.395"], ["3.222", "3.024"]],
                         [["1.223", "1.358"], ["1.762", "1.576"]]]]],
                      [[[[["4.042", "3.83"], ["7.566", "4.655"]],
                         [["1.655", "1.347"], ["2.326", "2.422"]]],
                        [[["2.643", "2.873"], ["1.335", "1.734"]],
                         [["4.995", "5.754"], ["5.231", "5.458"]]]],
                       [[[["7.577", "7.969"], ["3.974", "2.793"]],
                         [["2.243", "5.056"], ["1.323", "4.792"]]],
                        [[["4.669", "4.274"], ["4.452", "4.549"]],
                         [["2.234", "2.238"], ["5.634", "5.675"]]]]],
                      [[[[["4.225", "5.277"], ["7.076", "4.423"]],
                         [["2.747", "2.243"], ["3.222", "3.024"]]],
                        [[["4.564", "4.326"], ["4.434", "4.271"]],
                         [["4.383", "1.436"], ["4.486", "4.882"]]]],
                       [[[["2.236", "5.174"], ["3.575", "2.269"]],
                         [["1.473", "4.58"], ["1.214", "4.462"]]],
                        [[["1.131", "1.21"], ["1.655", "1.347"]],
                         [["5.255", "5.334"], ["2.455", "6.523"]]]]]]),
    GameSpec("contrib__games__3x3x3",
             "three players, 3x3x3, 5 equilibria (2 pure)",
             form="outcome",
             payoffs=[[[["1.131", "2.429", "3.222"], ["1.576", "2.455", "5.277"],
                        ["1.735", "4.943", "4.642"]],
                       [["1.358", "5.255", "2.873"], ["1.478", "7.486", "4.995"],
                        ["3.83", "4.434", "4.976"]],
                       [["1.655", "2.243", "4.564"], ["1.436", "7.566", "4.423"],
                        ["1.428", "4.533", "4.486"]]],
                      [[["1.21", "2.326", "3.024"], ["5.634", "6.523", "4.837"],
                        ["4.043", "7.362", "1.897"]],
                       [["2.234", "5.334", "4.452"], ["2.544", "4.483", "5.754"],
                        ["1.335", "4.271", "7.324"]],
                       [["1.347", "3.518", "4.326"], ["4.864", "4.655", "1.759"],
                        ["1.521", "5.231", "4.882"]]],
                      [[["2.426", "2.422", "1.223"], ["5.675", "4.225", "5.645"],
                        ["7.247", "4.382", "4.042"]],
                       [["2.238", "2.643", "4.549"], ["1.973", "5.764", "4.383"],
                        ["1.734", "4.12", "7.723"]],
                       [["2.747", "3.062", "1.762"], ["5.267", "7.076", "2.705"],
                        ["4.248", "5.458", "2.537"]]]]),
    GameSpec("contrib__games__5x4x3",
             "three players, random 5x4x3 game",
             form="outcome",
             payoffs=[[[["1.131", "2.429", "3.222"], ["1.436", "7.566", "4.423"],
                        ["1.132", "5.395", "2.164"], ["3.024", "2.234", "5.334"]],
                       [["1.358", "5.255", "2.873"], ["1.735", "4.943", "4.642"],
                        ["5.056", "1.74", "5.174"], ["4.452", "1.347", "3.518"]],
                       [["1.655", "2.243", "4.564"], ["3.83", "4.434", "4.976"],
                        ["2.798", "1.38", "3.464"], ["4.326", "5.634", "6.523"]],
                       [["1.576", "2.455", "5.277"], ["1.428", "4.533", "4.486"],
                        ["4.792", "3.974", "2.269"], ["4.837", "2.544", "4.483"]],
                       [["1.478", "7.486", "4.995"], ["2.417", "4.542", "7.969"],
                        ["2.342", "1.21", "2.326"], ["5.754", "4.864", "4.655"]]],
                      [[["1.21", "2.326", "3.024"], ["4.864", "4.655", "1.759"],
                        ["1.985", "4.669", "5.349"], ["1.223", "2.238", "2.643"]],
                       [["2.234", "5.334", "4.452"], ["4.043", "7.362", "1.897"],
                        ["1.473", "4.192", "2.355"], ["4.549", "2.747", "3.062"]],
                       [["1.347", "3.518", "4.326"], ["1.335", "4.271", "7.324"],
                        ["1.403", "3.803", "2.678"], ["1.762", "5.675", "4.225"]],
                       [["5.634", "6.523", "4.837"], ["1.521", "5.231", "4.882"],
                        ["1.214", "2.793", "2.778"], ["5.645", "1.973", "5.764"]],
                       [["2.544", "4.483", "5.754"], ["1.427", "4.572", "2.675"],
                        ["1.64", "2.426", "2.422"], ["4.383", "5.267", "7.076"]]],
                      [[["2.426", "2.422", "1.223"], ["5.267", "7.076", "2.705"],
                        ["5.369", "4.274", "2.243"], ["1.358", "5.255", "2.873"]],
                       [["2.238", "2.643", "4.549"], ["7.247", "4.382", "4.042"],
                        ["4.58", "2.236", "5.347"], ["1.655", "2.243", "4.564"]],
                       [["2.747", "3.062", "1.762"], ["1.734", "4.12", "7.723"],
                        ["2.832", "2.685", "1.323"], ["1.576", "2.455", "5.277"]],
                       [["5.675", "4.225", "5.645"], ["4.248", "5.458", "2.537"],
                        ["4.462", "3.575", "1.646"], ["1.478", "7.486", "4.995"]],
                       [["1.973", "5.764", "4.383"], ["1.624", "7.577", "2.238"],
                        ["1.131", "2.429", "3.222"], ["1.436", "7.566", "4.423"]]]]),
    GameSpec("contrib__games__8x2x2",
             "three players, random 8x2x2 game",
             form="outcome",
             payoffs=[[[["1.131", "2.429"], ["7.566", "4.423"]],
                       [["3.222", "1.358"], ["1.735", "4.943"]],
                       [["5.255", "2.873"], ["4.642", "3.83"]],
                       [["1.655", "2.243"], ["4.434", "4.976"]],
                       [["4.564", "1.576"], ["1.428", "4.533"]],
                       [["2.455", "5.277"], ["4.486", "2.417"]],
                       [["1.478", "7.486"], ["4.542", "7.969"]],
                       [["4.995", "1.436"], ["1.132", "5.395"]]],
                      [[["1.21", "2.326"], ["4.655", "1.759"]],
                       [["3.024", "2.234"], ["4.043", "7.362"]],
                       [["5.334", "4.452"], ["1.897", "1.335"]],
                       [["1.347", "3.518"], ["4.271", "7.324"]],
                       [["4.326", "5.634"], ["1.521", "5.231"]],
                       [["6.523", "4.837"], ["4.882", "1.427"]],
                       [["2.544", "4.483"], ["4.572", "2.675"]],
                       [["5.754", "4.864"], ["1.985", "4.669"]]],
                      [[["2.426", "2.422"], ["7.076", "2.705"]],
                       [["1.223", "2.238"], ["7.247", "4.382"]],
                       [["2.643", "4.549"], ["4.042", "1.734"]],
                       [["2.747", "3.062"], ["4.12", "7.723"]],
                       [["1.762", "5.675"], ["4.248", "5.458"]],
                       [["4.225", "5.645"], ["2.537", "1.624"]],
                       [["1.973", "5.764"], ["7.577", "2.238"]],
                       [["4.383", "5.267"], ["5.369", "4.274"]]]]),
    GameSpec("contrib__games__8x8",
             "random 8x8 game with 5 equilibria (3 pure)",
             form="outcome",
             payoffs=[[["1.131", "4.452", "4.225", "7.566", "1.335", "2.537", "2.164", "3.803"],
                       ["2.426", "1.655", "4.837", "7.076", "4.434", "1.427", "2.243", "3.464"],
                       ["2.326", "2.747", "1.478", "1.759", "4.12", "4.542", "1.473", "1.323"],
                       ["3.222", "3.518", "1.973", "1.735", "7.324", "7.577", "1.74", "1.214"],
                       ["1.223", "4.564", "4.483", "7.247", "1.428", "2.675", "2.236", "3.974"],
                       ["2.234", "1.762", "4.995", "7.362", "4.248", "1.132", "2.355", "3.575"],
                       ["5.255", "5.634", "4.383", "4.642", "5.231", "5.369", "2.798", "2.778"],
                       ["2.643", "2.455", "4.864", "4.042", "4.486", "4.669", "2.832", "2.342"]],
                      [["1.21", "4.549", "5.277", "4.655", "1.734", "2.417", "5.349", "2.685"],
                       ["2.429", "1.347", "5.645", "4.423", "4.271", "1.624", "5.056", "2.678"],
                       ["2.422", "2.243", "2.544", "2.705", "4.976", "4.572", "4.58", "4.792"],
                       ["3.024", "3.062", "7.486", "4.043", "7.723", "7.969", "4.192", "4.462"],
                       ["1.358", "4.326", "5.764", "4.943", "1.521", "2.238", "5.174", "2.793"],
                       ["2.238", "1.576", "5.754", "4.382", "4.533", "1.985", "5.347", "2.269"],
                       ["5.334", "5.675", "1.436", "1.897", "5.458", "5.395", "1.403", "1.646"],
                       ["2.873", "6.523", "5.267", "3.83", "4.882", "4.274", "1.38", "1.64"]]]),
    GameSpec("contrib__games__cent2",
             "two-round centipede game with altruistic types",
             form="outcome",
             actions=(("1*11", "2111", "2211"), ("1*11", "2111", "2211")),
             payoffs=[[["0.811", "0.868", "1.4"], ["0.564", "3.148", "3.68"],
                       ["1.02", "2.16", "12.8"]],
                      [["0.274", "0.502", "0.35"], ["1.566", "1.072", "0.92"],
                       ["1.68", "6.24", "3.2"]]]),
    GameSpec("contrib__games__coord2",
             "2x2 coordination game: 3 equilibria",
             form="payoff",
             payoffs=[[[3, 0], [0, 2]], [[2, 0], [0, 2]]]),
    GameSpec("contrib__games__coord3",
             "3x3 coordination game: 7 equilibria",
             form="outcome",
             payoffs=[[[3, 0, 0], [0, 2, 0], [0, 0, 1]], [[2, 0, 0], [0, 2, 0], [0, 0, 4]]]),
    GameSpec("contrib__games__coord333",
             "three players, 3x3x3 coordination game",
             form="outcome",
             payoffs=[[[[1, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
                       [[0, 0, 0], [0, 0, 0], [0, 0, 1]]],
                      [[[1, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
                       [[0, 0, 0], [0, 0, 0], [0, 0, 1]]],
                      [[[1, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
                       [[0, 0, 0], [0, 0, 0], [0, 0, 1]]]]),
    GameSpec("contrib__games__coord4",
             "4x4 coordination game: 15 equilibria",
             form="outcome",
             payoffs=[[[3, 0, 0, 0], [0, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 4]],
                      [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 4, 0], [0, 0, 0, 7]]]),
    GameSpec("contrib__games__csg1",
             "3x3 constant-sum game with a continuum of equilibria",
             form="outcome",
             payoffs=[[[0, 1, 0], [-1, 0, -1], [0, 1, 0]], [[0, -1, 0], [1, 0, 1], [0, -1, 0]]]),
    GameSpec("contrib__games__csg2",
             "4x4 constant-sum game with a continuum of equilibria",
             form="outcome",
             payoffs=[[[1, -1, 2, -2], [-1, 1, -2, 2], [2, -2, 1, -1], [-2, 2, -1, 1]],
                      [[-1, 1, -2, 2], [1, -1, 2, -2], [-2, 2, -1, 1], [2, -2, 1, -1]]]),
    GameSpec("contrib__games__csg3",
             "3x3 constant-sum game with a continuum of equilibria (second)",
             form="outcome",
             payoffs=[[[1, 3, 2], [3, 1, 2], [2, 2, 2]],
                      [[-1, -3, -2], [-3, -1, -2], [-2, -2, -2]]]),
    GameSpec("contrib__games__csg4",
             "4x4 constant-sum game with a continuum of equilibria (second)",
             form="outcome",
             payoffs=[[[3, 1, 2, 2], [1, 3, 2, 2], [2, 2, 1, 3], [2, 2, 3, 1]],
                      [[1, 3, 2, 2], [3, 1, 2, 2], [2, 2, 3, 1], [2, 2, 1, 3]]]),
    GameSpec("contrib__games__deg1",
             "degenerate 3x3 game (first)",
             form="outcome",
             payoffs=[[[1, 3, 2], [2, 2, 2], [3, 1, 2]], [[1, 2, 3], [3, 2, 1], [2, 2, 2]]]),
    GameSpec("contrib__games__deg2",
             "degenerate 3x3 game (second)",
             form="outcome",
             payoffs=[[[1, 3, 2], [2, 2, 2], [3, 1, 2]], [[2, 2, 2], [1, 2, 3], [3, 2, 1]]]),
    GameSpec("contrib__games__e04",
             "Kreps & Wilson (1982) example in normal form",
             form="payoff-counts-D",
             payoffs=[[[0, 0], [-1, -1], [-2, 3]], [[0, 0], [2, 0], [-2, -1]]]),
    GameSpec("contrib__games__e07",
             "Harsanyi (1968) table 1",
             form="payoff-counts-D",
             payoffs=[[["7.6", "6.2", "8.8", "7.4"], ["8.8", "14.6", "13.6", "19.4"],
                       [7, 1, "9.1", "3.1"], ["8.2", "9.4", "13.9", "15.1"]],
                      [["-7.6", "-6.2", "-8.8", "-7.4"], ["-8.8", "-14.6", "-13.6", "-19.4"],
                       [-7, -1, "-9.1", "-3.1"], ["-8.2", "-9.4", "-13.9", "-15.1"]]]),
    GameSpec("contrib__games__g1",
             "van der Laan et al.: 2x2x2, no pure and one totally mixed equilibrium",
             form="payoff-D",
             payoffs=[[[[-1, -2], [-8, -5]], [[-8, -8], [-2, -2]]],
                      [[[-4, -2], [-2, -6]], [[-2, -1], [-1, -3]]],
                      [[[-4, -8], [-1, -8]], [[-4, -2], [-2, -1]]]]),
    GameSpec("contrib__games__g2",
             "van der Laan et al.: 3x3x3, no pure and one mixed equilibrium",
             form="payoff-D",
             payoffs=[[[[-2, -3, -4], [-2, -3, -3], [-4, -1, -5]],
                       [[-1, -1, -4], [-3, -4, -1], [-6, -8, -2]],
                       [[-4, -7, -2], [-4, -5, -5], [-3, -6, -4]]],
                      [[[-5, -6, -7], [-1, -1, -3], [-2, -3, -6]],
                       [[-4, -8, -9], [-3, -2, -1], [-5, -3, -6]],
                       [[-3, -5, -1], [-2, -2, -4], [-7, -5, -8]]],
                      [[[-1, -2, -5], [-3, -6, -2], [-5, -5, -2]],
                       [[-1, -3, -4], [-6, -3, -6], [-2, -7, -5]],
                       [[-1, -8, -8], [-2, -5, -1], [-4, -5, -3]]]]),
    GameSpec("contrib__games__g3",
             "van der Laan et al.: 2x2x2x2, no pure and five mixed equilibria",
             form="payoff-D",
             payoffs=[[[[[-3, -3], [-4, -2]], [[-3, -3], [-4, -1]]],
                       [[[-4, -1], [-4, -3]], [[-1, -1], [-6, -8]]]],
                      [[[[-4, -6], [-2, -4]], [[-5, -2], [-7, -4]]],
                       [[[-5, -3], [-3, -6]], [[-8, -6], [-3, -5]]]],
                      [[[[-1, -6], [-2, -2]], [[-3, -3], [-6, -5]]],
                       [[[-3, -3], [-4, -6]], [[-3, -2], [-1, -5]]]],
                      [[[[-6, -2], [-3, -6]], [[-5, -5], [-1, -3]]],
                       [[[-3, -4], [-2, -7]], [[-3, -1], [-2, -5]]]]]),
    GameSpec("contrib__games__loopback",
             "backward-bending principal logit branch (McKelvey)",
             form="outcome-row-major",
             comment="Outcomes are listed with player 2's action varying fastest.",
             payoffs=[[[6, 6], ["7.32", 1]], [[7, 7], [6, 4]]]),
    GameSpec("contrib__games__mixdom",
             "4x4 game with a strategy dominated only by a mixture (first)",
             form="outcome",
             payoffs=[[[6, 2, 1, 4], [7, 1, 2, 5], [5, 4, 6, 7], [1, 3, 7, 2]],
                      [[-6, -2, -1, -4], [-7, -1, -2, -5], [-5, -4, -6, -7], [-1, -3, -7, -2]]]),
    GameSpec("contrib__games__mixdom2",
             "4x4 game with a strategy dominated only by a mixture (second)",
             form="outcome",
             payoffs=[[[4, 1, 2, 3], [6, 5, 7, 2], [7, 2, 4, 1], [5, 7, 1, 6]],
                      [[-4, -1, -2, -3], [-6, -5, -7, -2], [-7, -2, -4, -1], [-5, -7, -1, -6]]]),
    GameSpec("contrib__games__oneill",
             "O'Neill (1987) 4x4 game",
             form="outcome",
             payoffs=[[[1, -1, -1, -1], [-1, -1, 1, 1], [-1, 1, -1, 1], [-1, 1, 1, -1]],
                      [[-1, 1, 1, 1], [1, 1, -1, -1], [1, -1, 1, -1], [1, -1, -1, 1]]]),
    GameSpec("contrib__games__pd",
             "Prisoner's Dilemma",
             form="outcome",
             payoffs=[[[9, 0], [10, 1]], [[9, 10], [0, 1]]]),
    GameSpec("contrib__games__perfect1",
             "3x3: a dominated equilibrium, no dominated strategy",
             form="outcome",
             payoffs=[[[3, 0, 0], ["1.5", 2, "1.5"], [0, 0, 3]],
                      [[1, 0, 1], [1, 2, 1], [1, 0, 1]]]),
    GameSpec("contrib__games__perfect2",
             "3x3: dominated equilibria, no dominated pure strategy",
             form="outcome",
             payoffs=[[[4, 0, 0], [2, 3, 2], [0, 0, 4]], [[0, 0, 4], [1, 3, 1], [4, 0, 0]]]),
    GameSpec("contrib__games__perfect3",
             "three-player version of perfect2 (the third has one action)",
             form="outcome",
             payoffs=[[[[4], [0], [0]], [[2], [3], [2]], [[0], [0], [4]]],
                      [[[0], [0], [4]], [[1], [3], [1]], [[4], [0], [0]]],
                      [[[1], [1], [1]], [[1], [1], [1]], [[1], [1], [1]]]]),
    GameSpec("contrib__games__sh3",
             "Wilson's example of inaccessible equilibria (Shapley 1974)",
             form="payoff-D",
             payoffs=[[[0, 3, 0], [2, 2, 0], [3, 0, 1]], [[0, 2, 3], [3, 2, 0], [0, 0, 1]]]),
    GameSpec("contrib__games__sww1",
             "Schotter, Weigelt & Wilson figure 1 in normal form",
             form="payoff-counts-D",
             written_players=("", ""),
             payoffs=[[[4, 4], [0, 6]], [[3, 3], [0, 2]]]),
    GameSpec("contrib__games__todd1",
             "Todd's first example of inaccessible equilibria (incorrect)",
             form="outcome",
             payoffs=[[[8, -4, 8], [6, 3, 6], [12, 0, 0], [0, 0, 12], [0, 4, 0]],
                      [[4, 0, 0], [0, 0, 4], [0, 4, 0], [0, 4, 0], [0, 1, 0]]]),
    GameSpec("contrib__games__todd2",
             "Todd's first example of inaccessible equilibria (corrected)",
             form="outcome",
             payoffs=[[[8, -4, 8], [6, 1, 6], [12, 0, 0], [0, 0, 12], [0, 4, 0]],
                      [[4, 0, 0], [0, 0, 4], [0, 4, 0], [0, 4, 0], [0, 1, 0]]]),
    GameSpec("contrib__games__todd3",
             "Todd's second example of inaccessible equilibria",
             form="outcome",
             payoffs=[[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1],
                       ["2/7", "2/7", "2/7", "2/7"], ["3/19", "6/19", "6/19", "6/19"],
                       ["7/38", "7/38", "7/19", "7/19"]],
                      [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0],
                       [0, 0, 1, 0], [0, 0, 0, 1]]]),
    GameSpec("contrib__games__vd",
             "van Damme's burning-money game",
             form="payoff-D",
             actions=(("11*", "12*", "2*1", "2*2"), ("11", "12", "21", "22")),
             payoffs=[[[2, 2, -1, -1], [-1, -1, 0, 0], [3, 0, 3, 0], [0, 1, 0, 1]],
                      [[1, 1, 0, 0], [0, 0, 3, 3], [1, 0, 1, 0], [0, 3, 0, 3]]]),
    GameSpec("contrib__games__wink3",
             "3x3 game where CBFS finds fewer than all equilibria",
             form="payoff",
             players=("1", "2"),
             payoffs=[[[1, 3, 4], [1, 3, 2], [0, 2, 3]], [[3, 4, 2], [2, 1, 1], [4, 3, 3]]]),
    GameSpec("contrib__games__winkels",
             "Winkels (1979): degenerate 6x2 game with 12 extreme equilibria",
             form="payoff",
             players=("1", "2"),
             payoffs=[[[1, 3], [1, 3], [3, 1], [3, 1], ["2.5", "2.5"], ["2.5", "2.5"]],
                      [[1, 2], [0, -1], [-2, 2], [4, -1], [-1, 6], [6, -1]]]),
    GameSpec("contrib__games__yamamoto",
             "Yamamoto (1993) example",
             form="payoff-counts",
             payoffs=[[[1, 0, -9], [0, 0, -7], [-9, -7, -7]],
                      [[1, 0, -9], [0, 0, -7], [-9, -6, -7]]]),
    GameSpec("contrib__games__zero",
             "2x2 game, every payoff zero",
             form="payoff-counts-D",
             players=("1", "2"),
             payoffs=zeros(2, 2)),
    GameSpec("doc__2x2x2",
             "McKelvey & McLennan (1997): 2x2x2 game, documentation copy",
             form="outcome",
             payoffs=[[[[9, 0], [0, 3]], [[0, 3], [9, 0]]], [[[8, 0], [0, 4]], [[0, 4], [8, 0]]],
                      [[[12, 0], [0, 6]], [[0, 6], [2, 0]]]]),
    GameSpec("tests__test_games__2x2_bimatrix_all_zero_payoffs",
             "2x2 game, every payoff zero, repeated action names",
             form="outcome",
             players=("Joe", "Dan"),
             actions=(("cooperate", "defect"), ("defect", "defect (2)")),
             written_actions=(("cooperate", "defect"), ("defect", "defect")),
             payoffs=zeros(2, 2)),
    GameSpec("tests__test_games__2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq",
             "2x2x2 local max-cut game: 2 pure and 1 mixed equilibria",
             form="payoff-counts",
             payoffs=[[[[0, -1], [2, 1]], [[1, 2], [-1, 0]]], [[[0, 2], [4, 2]], [[2, 4], [2, 0]]],
                      [[[0, 1], [2, -1]], [[-1, 2], [1, 0]]]]),
    GameSpec("tests__test_games__const_sum_game",
             "2x2 constant-sum game",
             form="payoff-counts",
             payoffs=[[[1, 1], [0, 1]], [[1, 1], [2, 1]]]),
    GameSpec("tests__test_games__coordination_4x4_outcome",
             "4x4 coordination game, outcome version",
             form="outcome-named",
             actions=(("1-1", "1-2", "1-3", "1-4"), ("2-1", "2-2", "2-3", "2-4")),
             outcome_names=("Coord", "Miscoord"),
             payoffs=coordination(4)),
    GameSpec("tests__test_games__coordination_4x4_payoff",
             "4x4 coordination game, payoff version",
             form="payoff-counts",
             payoffs=coordination(4)),
    GameSpec("tests__test_games__mixed_strategy",
             "",
             form="payoff-counts",
             payoffs=[[[1, 1], [0, 0], [0, 2]], [[1, 1], [2, 3], [2, 0]]]),
    GameSpec("tests__test_games__non_const_sum_game",
             "2x2 game, not constant-sum",
             form="payoff-counts",
             payoffs=[[[1, 1], [0, 1]], [[1, 1], [0, 1]]]),
    GameSpec("escaped_names_outcome",
             'Names with "quotes", a back\\slash and spaces',
             form="outcome",
             players=('Ann "the first"', "Bob\\Carol"),
             actions=(('say "yes"', "C:\\temp", "go on"), ("left side", 'right "R"')),
             payoffs=[[[1, 0], [0, "1/3"], [2, 2]], [[0, 1], ["-5/2", 0], [2, 2]]]),
]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for spec in GAMES:
        path = write(spec)
        if games.read_nfg(path) != spec.game():
            raise SystemExit(f"{path} does not read back as the game written")
    print(f"wrote {len(GAMES)} games to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
