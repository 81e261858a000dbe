"""``exercise run [PACK] [--resume SESSION] [--session NAME]``: open the facilitator app.

Only the app module is imported here; the pack, the engine and everything heavy load
after the first frame is on screen.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from exercise.ui.app import ExerciseApp

    app = ExerciseApp(
        getattr(args, "pack", None),
        resume=getattr(args, "resume", None),
        session_name=getattr(args, "session", None),
    )
    app.run()
    return int(app.return_code or 0)
