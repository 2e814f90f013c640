"""Reading and writing games: Gambit's strategic-form ``.nfg`` format and the project's
own JSON form, with atomic writes.

The ``.nfg`` format (Gambit, McKelvey, McLennan and Turocy) comes in two versions that
share a header::

    NFG 1 R "title" { "Player 1" "Player 2" } { 3 2 }              (action counts)
    NFG 1 R "title" { "P1" "P2" } { { "a" "b" } { "c" "d" } }       (action names)
    "an optional comment"

followed either by the *payoff version*, every player's payoff at every pure profile
with player 1's action varying fastest::

    9 9  0 10  10 0  1 1

or by the *outcome version*, a list of outcomes and one outcome index per profile (same
order; 0 is the null outcome, whose payoffs are all zero)::

    { { "both cooperate" 9, 9 } { "" 0, 10 } { "" 10, 0 } { "" 1, 1 } }
    1 3 2 4

Every number is read exactly (``0.25`` is 1/4, ``1e-3`` is 1/1000, ``3/4`` is 3/4), so a
game read from a file is exact unless ``exact=False`` is asked for.

No parser here evaluates code, and none allocates an array from a declared size before
:func:`games.model.check_game_size` has accepted it and the file has been found to hold
that many numbers. Every malformed input raises :class:`games.FormatError` naming the
file, the line and what was expected.

References
----------
McKelvey, R. D., McLennan, A. M. and Turocy, T. L. *Gambit: Software Tools for Game
Theory*, "Strategic form games (.nfg) file format", https://www.gambit-project.org.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import numpy as np

from games.errors import FormatError, GameError
from games.model import MAX_EXPONENT, MAX_NUMBER_CHARS, Game, check_game_size, parse_number

__all__ = [
    "read_nfg", "write_nfg", "read_nfg_string", "write_nfg_string",
    "read_json", "write_json", "read_json_string", "write_json_string",
    "read_game", "write_game", "atomic_write_text", "atomic_write_bytes", "atomic_output",
]

PathLike = str | os.PathLike

_EXPONENT_RE = re.compile(r"[eE]([+-]?\d+)")
_COUNT_RE = re.compile(r"^\+?\d{1,18}$")
_INDEX_RE = re.compile(r"^\+?\d{1,18}$")
_INTEGER_RE = re.compile(r"^[+-]?\d{1,60}$")


# ---------------------------------------------------------------------------------------
# Atomic writes


def atomic_write_text(path: PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically: readers see the old file or the new one,
    never a part.

    The text goes to a new temporary file in the same directory, which is flushed and
    fsynced and then renamed over ``path`` with :func:`os.replace` (atomic on POSIX and
    Windows). On any error the temporary file is removed and an existing ``path`` is left
    untouched. A new file gets the usual permissions (``0o666`` less the umask); a
    replaced file keeps its permissions.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace.
    text : str
        Its new content (written as is: ``"\\n"`` stays ``"\\n"``).
    encoding : str
        Text encoding, UTF-8 by default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write_text(target, "hello\\n")
    >>> target.read_text()
    'hello\\n'
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, found {type(text).__name__}")
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, as :func:`atomic_write_text` does."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data: expected bytes, found {type(data).__name__}")
    with atomic_output(path) as tmp:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0)),
                       "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


@contextmanager
def atomic_output(path: PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it replaces ``path``.

    The temporary file is created empty in ``path``'s directory with the target's suffix
    (so writers that choose a format by extension, like matplotlib's ``savefig``, work),
    and is renamed over ``path`` with :func:`os.replace` when the block ends without an
    error; otherwise it is removed and an existing ``path`` is left untouched. Before the
    rename its mode is set to that of the file it replaces, or for a new file to
    ``0o666`` less the umask (as ``open`` would create it), whatever mode the writer
    left.

    Raises
    ------
    FileNotFoundError
        The directory of ``path`` does not exist (the message names that directory,
        not the temporary file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "data.bin"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_bytes(b"ok")
    >>> target.read_bytes()
    b'ok'
    """
    target = Path(os.fspath(path))
    directory = target.parent
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, "directory does not exist", str(directory))
    tmp = None
    for _ in range(100):
        candidate = directory / f".{target.stem}.{os.urandom(6).hex()}.tmp{target.suffix}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            os.close(os.open(candidate, flags, 0o666))
        except FileExistsError:
            continue
        tmp = candidate
        break
    if tmp is None:  # pragma: no cover - 100 name collisions
        raise FileExistsError(f"{target}: could not create a temporary file in {directory}")
    # created with 0o666 through the umask: its mode is the umask's answer, read without
    # changing the process umask (os.umask would race with other threads)
    new_mode = stat.S_IMODE(os.stat(tmp).st_mode)
    try:
        yield tmp
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = new_mode
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable on POSIX (best effort; a no-op where unsupported)."""
    if os.name != "posix":  # pragma: no cover
        return
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)


# ---------------------------------------------------------------------------------------
# Reading sources


def _source_name(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def _read_text(source: Any, name: str) -> str:
    """The text of a path or a file object, decoded as UTF-8 (a BOM is dropped)."""
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as err:
            raise FormatError(
                f"{name}: expected a readable file, found none ({err.strerror})") from err
    elif hasattr(source, "read"):
        try:
            data = source.read()
        except UnicodeDecodeError as err:
            raise FormatError(f"{name}: expected text in the stream's encoding "
                              f"({err.encoding}), found the byte 0x{err.object[err.start]:02x} "
                              f"at offset {err.start}; open the file in binary mode to read "
                              f"it as UTF-8") from None
    else:
        raise TypeError(f"expected a path or a file object, found {type(source).__name__}")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"{name}: expected the file to give text or bytes, found "
                        f"{type(data).__name__}")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FormatError(
            f"{name} line {line}: expected UTF-8 text, found the byte "
            f"0x{data[err.start]:02x} at offset {err.start} (binary or mis-encoded file)"
        ) from None


# ---------------------------------------------------------------------------------------
# The .nfg tokenizer and parser


_LEX_RE = re.compile(r'''
    (?P<space>[^\S\n]+)
  | (?P<newline>\n)
  | (?P<punct>[{},])
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<quote>")
  | (?P<word>[^\s{}",]+)
''', re.VERBOSE | re.DOTALL)
_UNESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)

_EOF = "end of file"


class _Token:
    __slots__ = ("kind", "value", "line")

    def __init__(self, kind: str, value: str, line: int) -> None:
        self.kind = kind    # "{", "}", ",", "string", "word" or "eof"
        self.value = value
        self.line = line

    def describe(self) -> str:
        if self.kind == "eof":
            return _EOF
        if self.kind == "string":
            return f"the string {_short(self.value)}"
        return _short(self.value)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _tokenize(text: str, name: str) -> list[_Token]:
    tokens: list[_Token] = []
    line = 1
    pos = 0
    end = len(text)
    while pos < end:
        m = _LEX_RE.match(text, pos)
        kind = m.lastgroup
        value = m.group()
        if kind == "newline":
            line += 1
        elif kind == "punct":
            tokens.append(_Token(value, value, line))
        elif kind == "string":
            tokens.append(_Token("string", _UNESCAPE_RE.sub(r"\1", value[1:-1]), line))
            line += value.count("\n")
        elif kind == "quote":
            raise FormatError(f"{name} line {line}: expected a closing '\"' for the string "
                              f"opened here, found {_EOF}")
        elif kind == "word":
            tokens.append(_Token("word", value, line))
        pos = m.end()
    tokens.append(_Token("eof", "", line))
    return tokens


class _NfgParser:
    """A recursive-descent parser over the token list (one token of look-ahead)."""

    def __init__(self, text: str, name: str, exact: bool) -> None:
        self.name = name
        self.exact = exact
        self.tokens = _tokenize(text, name)
        self.pos = 0
        self.cache: dict[str, Fraction] = {}  # number literal -> value (payoffs repeat)

    # -- helpers ------------------------------------------------------------------------

    def error(self, token: _Token, expected: str, found: str | None = None) -> FormatError:
        found = token.describe() if found is None else found
        return FormatError(f"{self.name} line {token.line}: expected {expected}, found {found}")

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect(self, kind: str, expected: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            raise self.error(token, expected)
        return token

    def strings(self, what: str) -> list[_Token]:
        """``{ "a" "b" ... }`` (the opening brace already read)."""
        out = []
        while True:
            token = self.next()
            if token.kind == "}":
                return out
            if token.kind != "string":
                raise self.error(token, f"{what} as a quoted string or '}}'")
            out.append(token)

    def number(self, token: _Token, what: str) -> Fraction:
        text = token.value
        cached = self.cache.get(text) if token.kind == "word" else None
        if cached is not None:
            return cached
        if token.kind == "word" and _INTEGER_RE.match(text):
            value = self.cache[text] = Fraction(int(text))
            return value
        if token.kind == "word" and len(text) <= MAX_NUMBER_CHARS:
            exponent = _EXPONENT_RE.search(text)
            if exponent is None or abs(int(exponent.group(1))) <= MAX_EXPONENT:
                try:
                    value = self.cache[text] = parse_number(text)
                    return value
                except ValueError:
                    pass
            else:
                raise self.error(token, f"{what} with an exponent of at most {MAX_EXPONENT}")
        raise self.error(token, f"{what} (a number such as 3, -1/2, 0.25 or 1e-3)")

    def numbers(self, what: str, stop: str) -> list[tuple[Fraction, _Token]]:
        """Numbers separated by blanks or single commas, up to a token of kind ``stop``
        (not consumed)."""
        out: list[tuple[Fraction, _Token]] = []
        after_number = False
        while True:
            token = self.peek()
            if token.kind == stop:
                return out
            self.next()
            if token.kind == ",":
                if not after_number:
                    raise self.error(token, what)
                after_number = False
                continue
            out.append((self.number(token, what), token))
            after_number = True

    # -- grammar ------------------------------------------------------------------------

    def parse(self) -> Game:
        token = self.next()
        if token.kind != "word" or token.value != "NFG":
            hint = " (an extensive-form game: only strategic-form .nfg files are read)" \
                if token.value == "EFG" else ""
            raise self.error(token, "'NFG' at the start of a Gambit strategic-form file",
                             token.describe() + hint)
        token = self.next()
        if token.kind != "word" or token.value != "1":
            raise self.error(token, "format version 1 after 'NFG'")
        token = self.next()
        if token.kind != "word" or token.value not in ("D", "R"):
            raise self.error(token, "the number type 'D' or 'R' after 'NFG 1'")
        title = self.expect("string", "the game's title as a quoted string").value

        self.expect("{", "'{' opening the list of player names")
        players = [t.value for t in self.strings("a player name")]
        if not players:
            raise self.error(self.tokens[self.pos - 1], "at least one player name",
                             "an empty list")
        n = len(players)
        try:
            np.empty((1,) * (n + 1), dtype=np.int8)
        except ValueError as err:
            raise self.error(self.tokens[self.pos - 1], "fewer players (a game is an array with "
                             "one axis per player and one for the payoffs)",
                             f"{n} players: {err}") from None

        opening = self.expect("{", "'{' opening the list of actions (counts or names)")
        actions: list[list[str]] | None
        if self.peek().kind == "{":
            actions = []
            while self.peek().kind == "{":
                if len(actions) == n:   # a list for a player that does not exist
                    raise self.error(self.peek(), f"'}}' closing the list of action names "
                                                  f"opened on line {opening.line} ({n} lists "
                                                  f"read, one per player)")
                self.next()
                what = f"an action name of player {len(actions) + 1}"
                names = [t.value for t in self.strings(what)]
                if not names:
                    raise self.error(self.tokens[self.pos - 1],
                                     f"at least one action for player {len(actions) + 1}",
                                     "an empty list")
                actions.append(names)
            close = self.next()
            if close.kind != "}":
                raise self.error(close, f"'}}' closing the list of action names opened on line "
                                        f"{opening.line} ({len(actions)} lists read, one per "
                                        f"player)" if len(actions) >= n else
                                 "'{' opening the next player's action names or '}'")
            shape = [len(a) for a in actions]
            if len(actions) != n:
                raise self.error(close, f"{n} lists of action names (one per player)",
                                 str(len(actions)))
        else:
            actions = None
            shape = []
            extra: _Token | None = None   # the first count beyond one per player
            while True:
                token = self.next()
                if token.kind == "}":
                    break
                is_count = token.kind == "word" and _COUNT_RE.match(token.value) \
                    and int(token.value) > 0
                if len(shape) == n:
                    extra = token
                if len(shape) >= n and (not is_count or self.peek().kind == "eof"):
                    # the closing brace is missing: do not read payoffs as the counts of
                    # players that do not exist
                    raise self.error(extra, f"'}}' closing the list of action counts opened on "
                                            f"line {opening.line} after {n} counts (one per "
                                            f"player)")
                if not is_count:
                    raise self.error(token, f"the number of actions of player {len(shape) + 1} "
                                            f"(a positive whole number) or '}}'")
                shape.append(int(token.value))
            if len(shape) != n:
                raise self.error(token, f"{n} action counts (one per player)", str(len(shape)))
        dims = "x".join(map(str, shape))
        try:
            check_game_size(shape, n, self.exact, field="actions")
        except GameError as err:
            raise FormatError(f"{self.name} line {opening.line}: {err}") from None

        if self.peek().kind == "string":  # the optional comment, dropped
            self.next()

        n_profiles = int(np.prod(shape, dtype=object))
        start = self.peek()
        if start.kind == "{":
            self.next()
            flat = self.outcome_body(n, n_profiles, dims)
        else:
            values = self.numbers("a payoff", "eof")
            expected = n * n_profiles
            if len(values) != expected:
                where = self.peek() if len(values) < expected else values[expected][1]
                raise FormatError(
                    f"{self.name} line {where.line}: expected {expected} payoffs for a {dims} "
                    f"game with {n} players, found {len(values)}")
            flat = [v for v, _ in values]
        return self.build(title, players, actions, shape, flat, n)

    def outcome_body(self, n: int, n_profiles: int, dims: str) -> list[Fraction]:
        """``{ { "name" u_1, ..., u_n } ... } i_1 i_2 ...`` (the first brace already read);
        returns the payoffs profile by profile."""
        outcomes: list[list[Fraction]] = [[Fraction(0)] * n]
        while True:
            token = self.next()
            if token.kind == "}":
                break
            if token.kind != "{":
                raise self.error(token, "'{' opening an outcome or '}' closing the outcome list")
            label = self.next()
            if label.kind != "string":
                raise self.error(label, f"the name of outcome {len(outcomes)} as a quoted string")
            values = self.numbers(f"a payoff of outcome {len(outcomes)}", "}")
            close = self.next()
            if len(values) != n:
                raise FormatError(
                    f"{self.name} line {close.line}: expected {n} payoffs (one per player) in "
                    f"outcome {len(outcomes)}, found {len(values)}")
            outcomes.append([v for v, _ in values])
        indices: list[tuple[int, _Token]] = []
        while self.peek().kind != "eof":
            token = self.next()
            if token.kind != "word" or not _INDEX_RE.match(token.value):
                raise self.error(token, f"an outcome index (0 to {len(outcomes) - 1})")
            k = int(token.value)
            if k >= len(outcomes):
                raise self.error(token, f"an outcome index from 0 to {len(outcomes) - 1} "
                                        f"({len(outcomes) - 1} outcomes are listed)", str(k))
            indices.append((k, token))
        if len(indices) != n_profiles:
            where = self.peek() if len(indices) < n_profiles else indices[n_profiles][1]
            raise FormatError(
                f"{self.name} line {where.line}: expected {n_profiles} outcome indices for a "
                f"{dims} game (one per profile), found {len(indices)}")
        return [x for k, _ in indices for x in outcomes[k]]

    def build(self, title: str, players: list[str], actions: list[list[str]] | None,
              shape: list[int], flat: list[Fraction], n: int) -> Game:
        if self.exact:
            arr = np.empty(len(flat), dtype=object)
            arr[:] = flat
        else:
            arr = np.array([float(x) for x in flat], dtype=np.float64)
        # profile-major with player 1's action fastest -> (n, a_1, ..., a_n)
        payoffs = arr.reshape(-1, n).T.reshape([n, *shape], order="F")
        if actions is None:
            actions = [[str(k + 1) for k in range(a)] for a in shape]
        try:
            return Game(payoffs, players=_distinct(players, "Player {}"),
                        actions=[_distinct(a, "{}") for a in actions], title=title,
                        exact=self.exact)
        except (GameError, ValueError) as err:
            raise FormatError(f"{self.name}: {err}") from None


def _distinct(names: Sequence[str], default: str) -> list[str]:
    """Make repeated names distinct (Gambit allows repeats; :class:`Game` does not).

    When the empty name repeats, every empty name becomes its default (``default``
    formatted with the 1-based position: ``"Player 2"``, ``"2"``); any other repeat gets
    a counter: the second ``"defect"`` becomes ``"defect (2)"``.
    """
    names = list(names)
    if len(set(names)) == len(names):
        return names
    if names.count("") > 1:
        names = [name or default.format(k + 1) for k, name in enumerate(names)]
    originals = set(names)
    out: list[str] = []
    used: set[str] = set()
    for name in names:
        candidate, k = name, 1
        while candidate in used or (candidate != name and candidate in originals):
            k += 1
            candidate = f"{name} ({k})"
        used.add(candidate)
        out.append(candidate)
    return out


def read_nfg(source: PathLike | IO[Any], exact: bool = True) -> Game:
    """Read a game from a Gambit strategic-form ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    source : str, os.PathLike or file object
        A path, or an open file (text or binary).
    exact : bool
        True (default): payoffs are kept exact as Fractions (``0.25`` -> 1/4, ``1.131`` ->
        1131/1000). False: a float64 game (each number correctly rounded).

    Returns
    -------
    Game
        With the file's title, player and action names (counts give the names ``"1"``,
        ``"2"``, ...). The comment string and outcome names have no place in a
        :class:`Game` and are dropped. Repeated names, which Gambit allows, are made
        distinct: a second ``"defect"`` becomes ``"defect (2)"``, and repeated empty
        names become the defaults (``"Player 1"``, ``"Player 2"``; ``"1"``, ``"2"``).

    Raises
    ------
    FormatError
        A missing file, non-UTF-8 bytes, a bad header or token, unbalanced braces, a
        wrong number of payoffs or outcome indices, an outcome index out of range or a
        declared size too large for memory, with the file name and line.

    Examples
    --------
    >>> import io
    >>> g = read_nfg(io.StringIO('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1'))
    >>> g.shape, g.payoffs[1, 0, 1]
    ((2, 2), Fraction(5, 1))
    """
    name = _source_name(source)
    return _NfgParser(_read_text(source, name), name, bool(exact)).parse()


def read_nfg_string(text: str, exact: bool = True, name: str = "<string>") -> Game:
    """:func:`read_nfg` on the text of a file (``name`` is used in error messages)."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, found {type(text).__name__}")
    return _NfgParser(text.removeprefix("\ufeff"), name, bool(exact)).parse()


# ---------------------------------------------------------------------------------------
# Writing .nfg


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nfg_number(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return repr(float(x))


def write_nfg_string(game: Game, version: str = "payoff", drop_layers: bool = False) -> str:
    """The ``.nfg`` text of ``game`` (see :func:`write_nfg`)."""
    if not isinstance(game, Game):
        raise TypeError(f"game: expected a Game, found {type(game).__name__}")
    if version not in ("payoff", "outcome"):
        raise ValueError(f"version: expected 'payoff' or 'outcome', found {version!r}")
    if game.explicit_layers and not drop_layers:
        raise FormatError(
            f"layers: the .nfg format cannot store evaluation layers, found "
            f"{tuple(game.explicit_layers)}; pass drop_layers=True to write the payoffs only, "
            f"or use write_json to keep them")
    n = game.n_players
    lines = [f"NFG 1 {'R' if game.exact else 'D'} {_quote(game.title)} "
             f"{{ {' '.join(_quote(p) for p in game.players)} }}", ""]
    lines.append("{ " + "\n".join("{ " + " ".join(_quote(a) for a in names) + " }"
                                  for names in game.actions))
    lines.append("}")
    lines.append("")
    # profiles with player 1's action fastest, one row of n payoffs each
    rows = np.asarray(game.payoffs).reshape(n, -1, order="F").T
    if version == "payoff":
        lines.extend(" ".join(_nfg_number(x) for x in row) for row in rows)
    else:
        keys: dict[tuple[str, ...], int] = {}
        indices = []
        for row in rows:
            key = tuple(_nfg_number(x) for x in row)
            indices.append(keys.setdefault(key, len(keys) + 1))
        lines.append("{")
        lines.extend("{ \"\" " + ", ".join(key) + " }" for key in keys)
        lines.append("}")
        per_line = 20
        lines.extend(" ".join(map(str, indices[k:k + per_line]))
                     for k in range(0, len(indices), per_line))
    return "\n".join(lines) + "\n"


def write_nfg(game: Game, path: PathLike, version: str = "payoff",
              drop_layers: bool = False) -> None:
    """Write ``game`` to a Gambit ``.nfg`` file, atomically.

    Exact games are written with header ``NFG 1 R`` and numbers as integers or ``p/q``;
    float games with ``NFG 1 D`` and each number as its shortest round-trip text
    (``repr``), so ``read_nfg(path, exact=False)`` gives back the same floats. Names are
    quoted with ``\\"`` and ``\\\\`` escaped; the title is kept, no comment is written.

    Parameters
    ----------
    version : {"payoff", "outcome"}
        The payoff version (default) lists every payoff; the outcome version lists each
        distinct payoff vector once and one outcome index per profile.
    drop_layers : bool
        The format has no place for evaluation layers: a game with explicit layers is
        refused (FormatError) unless this is True, which writes the payoffs only.

    Raises
    ------
    FormatError
        The game has explicit layers and ``drop_layers`` is False.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pd.nfg"
    >>> g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD")
    >>> write_nfg(g, path)
    >>> read_nfg(path) == g
    True
    """
    atomic_write_text(path, write_nfg_string(game, version=version, drop_layers=drop_layers))


# ---------------------------------------------------------------------------------------
# JSON


def _reject_constant(value: str) -> Any:
    raise ValueError(f"expected finite numbers, found {value}")


def read_json_string(text: str, name: str = "<string>") -> Game:
    """:func:`read_json` on the text of a file (``name`` is used in error messages)."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise FormatError(f"{name} line {err.lineno} column {err.colno}: expected valid "
                          f"JSON, {err.msg[:1].lower() + err.msg[1:]}") from None
    except RecursionError:
        raise FormatError(f"{name}: expected JSON nested a few levels deep (a game's arrays "
                          f"have one level per player, plus two), found nesting deeper than "
                          f"the parser's recursion limit") from None
    except ValueError as err:
        if "integer string conversion" in str(err):   # Python's limit on int literals
            raise FormatError(f"{name}: expected numbers of at most "
                              f"{sys.get_int_max_str_digits()} digits, found a longer "
                              f"integer") from None
        raise FormatError(f"{name}: {err}") from None
    try:
        return Game.from_dict(data)
    except (GameError, ValueError, TypeError, RecursionError) as err:
        raise FormatError(f"{name}: {err}") from None


def read_json(source: PathLike | IO[Any]) -> Game:
    """Read a game from the project's JSON form, :meth:`Game.to_dict` (layers included).

    Raises
    ------
    FormatError
        A missing file, invalid JSON (with line and column), NaN or infinity, or a
        document :meth:`Game.from_dict` rejects (with the offending field).
    """
    name = _source_name(source)
    return read_json_string(_read_text(source, name), name)


def write_json_string(game: Game) -> str:
    """The JSON text of ``game``: one top-level field a line, arrays on one line."""
    if not isinstance(game, Game):
        raise TypeError(f"game: expected a Game, found {type(game).__name__}")
    data = game.to_dict()
    parts = [f"  {json.dumps(key)}: "
             f"{json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(', ', ': '))}"
             for key, value in data.items()]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_json(game: Game, path: PathLike) -> None:
    """Write ``game`` as JSON (:meth:`Game.to_dict`, layers included), atomically.
    ``read_json(path) == game`` afterwards."""
    atomic_write_text(path, write_json_string(game))


# ---------------------------------------------------------------------------------------
# Dispatch

_READERS = {".nfg": read_nfg, ".json": read_json}


def _suffix(path: PathLike) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path: expected a str or os.PathLike, found {type(path).__name__}")
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix not in _READERS:
        raise FormatError(f"{os.fspath(path)}: expected a file name ending in .nfg or .json, "
                          f"found {suffix or 'no suffix'!r}")
    return suffix


def read_game(path: PathLike) -> Game:
    """Read a game from ``path``, choosing the format by its suffix (``.nfg`` or
    ``.json``).

    Raises
    ------
    FormatError
        An unknown suffix, or a malformed file.
    """
    return _READERS[_suffix(path)](path)


def write_game(game: Game, path: PathLike) -> None:
    """Write ``game`` to ``path`` in the format its suffix names (``.nfg`` or ``.json``),
    atomically."""
    if _suffix(path) == ".nfg":
        write_nfg(game, path)
    else:
        write_json(game, path)
