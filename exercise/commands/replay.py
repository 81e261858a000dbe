"""``exercise replay SESSION [--control]``: step through a session as the room saw it.

The session is read once, read-only, before the app starts; a missing or damaged file
is reported like any other session error.
"""

from __future__ import annotations

import argparse

from exercise.problems import UserError


def run(args: argparse.Namespace) -> int:
    from exercise.engine.replay import Replay
    from exercise.engine.store import resolve_session
    from exercise.pack.loader import require_pack

    path = resolve_session(args.session)
    if not path.is_file():
        raise UserError(f"no session at {path} (give a session name or a path to a .session file)")
    pack = require_pack(args.pack) if args.pack else None
    replay = Replay.open(path, pack, accept_changed_pack=bool(args.accept_changed_pack))
    from exercise.ui.replay import ReplayApp

    app = ReplayApp(replay, control=bool(args.control))
    app.run()
    return int(app.return_code or 0)
