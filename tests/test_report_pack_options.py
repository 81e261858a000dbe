"""A report still works after its pack moved or changed, when the user says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exercise.cli import main

REPORT_PACK = Path(__file__).parent / "data" / "report-pack"


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXERCISE_DATA_DIR", str(tmp_path / "data"))
    pack = tmp_path / "pack"
    shutil.copytree(REPORT_PACK, pack)
    assert main(["simulate", str(pack), "--session", "played"]) == 0
    return pack


def test_changed_pack_is_refused_then_accepted(
    played: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (played / "scenario.yaml").open("a") as handle:
        handle.write("# edited after the exercise\n")
    capsys.readouterr()
    out = tmp_path / "report.md"
    assert main(["report", "played", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has changed since this session was recorded" in err
    assert "--accept-changed-pack" in err
    assert not out.exists()

    assert main(["report", "played", "--out", str(out), "--accept-changed-pack"]) == 0
    assert "# " in out.read_text()


def test_moved_pack_is_named_with_pack_option(
    played: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = tmp_path / "moved"
    played.rename(moved)
    capsys.readouterr()
    out = tmp_path / "report.md"
    assert main(["report", "played", "--out", str(out)]) == 2
    assert "no longer at" in capsys.readouterr().err
    assert main(["report", "played", "--out", str(out), "--pack", str(moved)]) == 0
    assert out.stat().st_size > 0
