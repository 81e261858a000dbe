"""``exercise board [SESSION]``: the Board alone, for the projector.

Read-only and live: it follows the session as other processes (Control, seats) write to
it. No key, palette entry or PIN prompt leads from it to Control or a seat; quitting it
asks for the control PIN when one is set. Without SESSION, the most recently active one.
"""

from __future__ import annotations

import argparse

from exercise.problems import UserError


def run(args: argparse.Namespace) -> int:
    from exercise.engine import Session
    from exercise.engine.store import list_sessions, resolve_session

    if args.session:
        path = resolve_session(args.session)
    else:
        found = [s for s in list_sessions() if not s.error]
        if not found:
            raise UserError("no session to show: start one with `exercise`, or name one")
        path = found[0].path
    session = Session.open(path)
    from exercise.ui.view_app import ViewApp

    app = ViewApp(session, view="board")
    app.run()
    return int(app.return_code or 0)
