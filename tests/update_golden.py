"""Rewrite the report's golden files on purpose: ``python tests/update_golden.py``.

The golden test only compares; a change to the report is reviewed (``git diff
tests/data/golden``) and committed with the code that made it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from report_support import GOLDEN, context, environment, normalise, play

from exercise.render.jinja_env import render


def main() -> None:
    session = play()
    try:
        env, ctx = environment(), context(session)
        for fmt in ("md", "html"):
            target = GOLDEN / f"aar.{fmt}"
            target.write_text(normalise(render(env, f"aar.{fmt}.j2", ctx)), encoding="utf-8")
            print(f"wrote {target}")
    finally:
        session.close()


if __name__ == "__main__":
    main()
