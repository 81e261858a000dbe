"""A held conditional inject shows since when its condition holds, in every process."""

from __future__ import annotations

from engine_support import engine_pack, minutes

from exercise.engine import Session, SessionSetup
from exercise.engine import commands as cmd
from exercise.engine.scheduler import conditional_status

SETUP = SessionSetup(players={"usa": "Alice", "rok": "Bo"}, control_roles=["dprk"], seed=7)


def test_a_held_inject_knows_since_when_its_condition_holds_after_a_restart(tmp_path) -> None:
    """Derived from the journal on replay: a resume (or another process) sees the same."""
    path = tmp_path / "held.session"
    session = Session.create(path, engine_pack(), SETUP, now=minutes(0))
    session.execute(cmd.HoldInject("china-warns", "after the summit"), now=minutes(0))
    session.execute(cmd.StartExercise(), now=minutes(1))  # the launch: tension 5
    warns = session.state.injects["china-warns"]
    assert warns.condition_since is None
    session.execute(cmd.AdjustTrack("tension", 1, "rhetoric"), now=minutes(5))  # 6: it holds
    session.execute(cmd.Observe("Noted."), now=minutes(6))
    assert warns.status == "held" and warns.condition_since == minutes(5)
    session.close()

    with Session.open(path, engine_pack()) as again, Session.open(path, engine_pack()) as other:
        for s in (again, other):
            assert s.state.injects["china-warns"].condition_since == minutes(5)
        status = {c.inject_id: c for c in conditional_status(again.state, again.pack)}
        assert status["china-warns"].since == minutes(5)
        assert "its condition holds now" in status["china-warns"].explanation
        again.execute(cmd.AdjustTrack("tension", -2, "calm"), now=minutes(7))
        assert again.state.injects["china-warns"].condition_since is None
        again.execute(cmd.AdjustTrack("tension", 2, "storm"), now=minutes(8))
        other.refresh()
        assert other.state.injects["china-warns"].condition_since == minutes(8)
        again.execute(cmd.ReleaseInject("china-warns"), now=minutes(9))
        assert again.state.injects["china-warns"].condition_since is None
        assert not again.state.held_conditions
