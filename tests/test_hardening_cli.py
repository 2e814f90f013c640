"""Issue 16, the command line: honest answers on every game (item 1), readable numbers and
progress (item 7), the edges of the command line (item 8), file permissions (item 9) and
the CLI side of item 4."""

import os
import stat

import pytest

from games.io import atomic_output, atomic_write_bytes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------
# Item 9: files the toolkit writes get the user's umask, not mkstemp's 0600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_atomic_output_gives_a_new_file_the_umask_mode_whatever_the_writer_left(tmp_path,
                                                                                  mask):
    old = os.umask(mask)
    try:
        with atomic_output(tmp_path / "fig.png") as tmp:
            tmp.write_bytes(b"x")
            os.chmod(tmp, 0o600)          # what tempfile.mkstemp would leave
        atomic_write_bytes(tmp_path / "data.bin", b"y")
    finally:
        os.umask(old)
    for name in ("fig.png", "data.bin"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~mask
    assert sorted(os.listdir(tmp_path)) == ["data.bin", "fig.png"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saved_figures_get_the_umask_mode(tmp_path):
    pytest.importorskip("matplotlib")
    import games
    import pareto
    from papers._common import new_figure, save_figure

    mask = _umask()
    report = pareto.alignment_report(games.catalog.prisoners_dilemma())
    report.plot(tmp_path / "report.png")
    fig, ax = new_figure()
    ax.plot([0, 1], [1, 0])
    save_figure(fig, tmp_path / "paper.png")
    for name in ("report.png", "paper.png"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~mask, name
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["paper.png", "report.png"]


def test_atomic_output_into_a_missing_directory_names_the_directory(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        with atomic_output(tmp_path / "missing" / "x.png"):
            pass
    assert str(tmp_path / "missing") in str(info.value) and ".tmp" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_failed_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "f.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.png"]
