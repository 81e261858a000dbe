"""A release carries its cause as data: the report never reads it back from a sentence."""

from __future__ import annotations

from report_support import context, play

from exercise.engine import conditions
from exercise.engine import events as ev


def _key_moves(session) -> list[tuple[str, list[str]]]:
    summary = context(session)["summary"]
    return [(m["id"], m["triggered"]) for m in summary["decisive_moves"]]


def _release(session, inject_id: str) -> ev.Event:
    return next(
        e
        for e in session.state.events
        if e.type == ev.INJECT_RELEASED and e.body["inject"] == inject_id
    )


def test_rewording_the_explanation_does_not_change_the_key_moves(monkeypatch):
    as_written = play()
    monkeypatch.setattr(
        conditions, "made_sentence", lambda by, what, move: f"{by} did what the pack waits for"
    )
    reworded = play()
    assert "m4" in _release(as_written, "protest-rok").body["why"]
    assert _release(reworded, "protest-rok").body["why"] == "rok did what the pack waits for"
    assert ("m4", ["Ambassador summoned"]) in _key_moves(as_written)
    assert _key_moves(reworded) == _key_moves(as_written)


def test_a_conditional_release_records_its_moves_and_facts():
    session = play()
    assert _release(session, "protest-rok").body["moves"] == ["m4"]
    assert _release(session, "protest-rok").body["condition"] == [{"kind": "move", "ref": "m4"}]
    assert _release(session, "follow-up").body["condition"] == [
        {"kind": "released", "ref": "protest-rok"}
    ]
    assert "moves" not in _release(session, "launch-1").body  # scheduled: nothing to record
    assert session.state.injects["protest-rok"].cause_moves == ("m4",)
