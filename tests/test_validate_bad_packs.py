"""Every broken pack of tests/data/bad-packs fails validation with its exact message.

Most cases run in-process through the command-line entry point (fast); the hostile
ones also run as real subprocesses to prove no traceback ever reaches the user.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pack_corpus import BASE, cases, error_lines, expected, materialise

from exercise.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = cases()
SUBPROCESS_CASES = [
    "alias-bomb",
    "binary-file",
    "deep-nesting",
    "invalid-utf8",
    "python-tag",
    "too-large-file",
    "missing-scenario",
]


def test_corpus_is_complete():
    assert len(CASES) >= 25
    for case in CASES:
        assert expected(case), f"{case.name} has no expected.txt"


def test_base_pack_is_valid_and_clean(capsys):
    assert main(["validate", "--strict", str(BASE)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_pack_fails_with_its_message(case, tmp_path, capsys):
    root = materialise(case, tmp_path)
    assert main(["validate", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert error_lines(err) == expected(case)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_pack_subprocess_exit_2_without_traceback(name, tmp_path):
    case = next(c for c in CASES if c.name == name)
    root = materialise(case, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "exercise", "validate", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert error_lines(done.stderr) == expected(case)
    line = expected(case)[0]
    path, lineno = line.split(":")[:2]
    assert f"{path}:{lineno}:" in done.stderr
