"""One browser tab's app process: ``python -m exercise.serving.tab SESSION [--as WHO]``.

textual-serve starts one per tab. It opens the session, then shows the sign-in screen
(or, with ``--as``, goes straight to that view's PIN; ``--pins-required`` when served
beyond loopback, where an observer without a PIN is not offered). Only what a tab needs is loaded:
the session's pack and journal, the sign-in screen and the one view chosen.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path


def command(
    session: Path, ask: str | None = None, peer: str = "", *, pins_required: bool = False
) -> str:
    """The shell command textual-serve runs for one tab (this interpreter, this module)."""
    parts = [sys.executable, "-m", "exercise.serving.tab", str(Path(session).resolve())]
    if ask:
        parts += ["--as", ask]
    if peer:
        parts += ["--peer", peer]
    if pins_required:
        parts += ["--pins-required"]
    return " ".join(shlex.quote(part) for part in parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exercise-tab")
    parser.add_argument("session", type=Path)
    parser.add_argument(
        "--as", dest="ask", default=None, help="board, control, a role id or observer:<id>"
    )
    parser.add_argument("--peer", default="", help="the browser's address, for Control")
    parser.add_argument(
        "--pins-required",
        action="store_true",
        help="served beyond loopback: offer no view without a PIN",
    )
    args = parser.parse_args(argv)

    if os.environ.get("TEXTUAL_DRIVER") == "textual.drivers.web_driver:WebDriver":
        os.environ["TEXTUAL_DRIVER"] = "exercise.serving.driver:QuietWebDriver"
    from exercise.engine import Session
    from exercise.problems import UserError

    try:
        session = Session.open(args.session)
    except UserError as exc:
        print(f"exercise: error: {exc}", file=sys.stderr)
        return 2
    from exercise.ui.presence import Presence
    from exercise.ui.view_app import ViewApp

    app = ViewApp(
        session,
        ask=args.ask,
        presence=Presence(args.session, args.peer),
        pins_required=args.pins_required,
    )
    app.run()
    return int(app.return_code or 0)


if __name__ == "__main__":
    sys.exit(main())
