"""Channels and observers in the engine: who reads what, closing a line, conditions that
read channels, observers' notes, the report's communication section and old journals."""

from __future__ import annotations

import datetime as dt

import pytest
from test_app_support import ROOT, bundled_ready

from exercise.engine import EngineError, Session, SessionSetup
from exercise.engine.channels_state import channels_for, messages_for
from exercise.engine.commands import (
    AddObserver,
    AdjustTrack,
    AdvancePhase,
    CloseChannel,
    Observe,
    ObserverNote,
    OpenChannel,
    PostMessage,
    StartExercise,
)
from exercise.engine.conditions import evaluate
from exercise.pack.loader import require_pack
from exercise.pack.models import ExchangedCondition, MessageCondition
from exercise.render.report import build_report_context

pytestmark = pytest.mark.skipif(not bundled_ready(), reason="needs the bundled pack")
NOW = dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC)


@pytest.fixture
def session() -> Session:
    pack = require_pack(ROOT)
    setup = SessionSetup(
        players={r.id: r.short_name for r in pack.roles},
        observers={"Dana": "1234"},
        seed=5,
        release="automatic",  # the bundled pack stages releases; this tests the conditions
    )
    s = Session.memory(pack, setup, now=NOW)
    s.execute(StartExercise(), now=NOW)
    return s


def test_members_control_and_observers_read_a_channel_nobody_else(session: Session) -> None:
    session.execute(
        PostMessage("us-rok", "Consult before you answer Beijing.", sender="usa"), now=NOW
    )
    session.execute(PostMessage("japan+rok", "A note for Seoul only.", sender="japan"), now=NOW)
    state = session.state
    assert [m.text for m in messages_for(state, "rok")] == [
        "Consult before you answer Beijing.",
        "A note for Seoul only.",
    ]
    assert messages_for(state, "china") == []
    assert [m.text for m in messages_for(state, "usa")] == ["Consult before you answer Beijing."]
    assert len(messages_for(state, "control")) == 2
    assert len(messages_for(state, "observer:o1")) == 2
    assert "us-rok" not in {c.id for c in channels_for(state, "china")}


def test_only_members_write_and_control_needs_a_voice(session: Session) -> None:
    with pytest.raises(EngineError, match="not on the channel"):
        session.execute(PostMessage("us-rok", "Let me in.", sender="china"), now=NOW)
    with pytest.raises(EngineError, match="voice"):
        session.execute(PostMessage("us-rok", "Unsigned.", sender="control"), now=NOW)
    with pytest.raises(EngineError, match="no channel"):
        session.execute(PostMessage("usa+usa", "Myself.", sender="usa"), now=NOW)
    assert session.state.messages == []


def test_a_closed_channel_refuses_from_its_turn_on(session: Session) -> None:
    session.execute(CloseChannel("hotline", from_turn=2, reason="the hotline is cut"), now=NOW)
    session.execute(PostMessage("hotline", "Still open this turn.", sender="usa"), now=NOW)
    for _ in range(5):
        session.execute(AdvancePhase(), now=NOW)
    assert session.state.turn == 2
    with pytest.raises(EngineError, match="the hotline is cut"):
        session.execute(PostMessage("hotline", "Anyone there?", sender="china"), now=NOW)
    session.execute(OpenChannel("hotline", reason="restored"), now=NOW)
    session.execute(PostMessage("hotline", "Back on the line.", sender="china"), now=NOW)
    assert [m.text for m in session.state.messages] == [
        "Still open this turn.",
        "Back on the line.",
    ]


def test_conditions_read_channels(session: Session) -> None:
    state = session.state
    exchanged = ExchangedCondition(exchanged=["usa", "china"])
    sent = MessageCondition.model_validate({"message": {"channel": "hotline", "from": "china"}})
    assert not evaluate(exchanged, state, "x")[0]
    session.execute(PostMessage("hotline", "Call me.", sender="usa"), now=NOW)
    assert not evaluate(exchanged, state, "x")[0]  # only one side wrote
    assert not evaluate(sent, state, "x")[0]
    session.execute(PostMessage("usa+china", "Calling.", sender="china"), now=NOW)
    holds, why = evaluate(exchanged, state, "x")
    assert holds and "exchanged messages in turn 1" in why
    assert not evaluate(sent, state, "x")[0]  # China wrote on the direct line, not the hotline


def test_the_hotline_inject_fires_when_washington_and_beijing_talked(session: Session) -> None:
    for _ in range(5):
        session.execute(AdvancePhase(), now=NOW)
    for _ in range(5):
        session.execute(AdvancePhase(), now=NOW)  # turn 3: the inject's window opens
    session.execute(PostMessage("hotline", "Avoid miscalculation.", sender="usa"), now=NOW)
    session.execute(PostMessage("hotline", "Agreed.", sender="china"), now=NOW)
    assert session.state.injects["c-hotline-used"].status == "pending"  # not checked yet
    session.execute(AdjustTrack("tension", 0 + 1, "a check"), now=NOW)
    inject = session.state.injects["c-hotline-used"]
    assert inject.status == "released" and "exchanged messages" in inject.why


def test_observer_notes_are_their_own_and_rated_by_critical_task(session: Session) -> None:
    assert session.check_pin("observer:o1", "1234")
    assert not session.check_pin("observer:o1", "9999")
    second = session.execute(AddObserver("Lee", "77"), now=NOW).created_id
    session.execute(Observe("Control's own note."), now=NOW)
    session.execute(
        ObserverNote("o1", "Seoul consulted first.", task="ct-consult-first", rating="P"), now=NOW
    )
    session.execute(
        ObserverNote(
            second, "The radar question went unanswered.", task="ct-signal-beijing", rating="U"
        ),
        now=NOW,
    )
    with pytest.raises(EngineError, match="P, S, M or U"):
        session.execute(ObserverNote("o1", "Bad rating.", rating="X"), now=NOW)
    state = session.state
    assert [o.text for o in state.observations_visible_to("observer:o1")] == [
        "Seoul consulted first."
    ]
    assert len(state.observations_visible_to("control")) == 3
    assert state.observations_visible_to("usa") == []
    lee = state.observations[-1]
    assert (lee.kind, lee.objective) == ("improvement", "obj-escalation-control")


def test_report_has_matrix_chart_texts_and_anonymise_drops_them(session: Session) -> None:
    session.execute(PostMessage("trilateral", "One statement, please.", sender="usa"), now=NOW)
    session.execute(
        PostMessage(
            "trilateral", "Blue House agrees.", sender="control", voice="Blue House spokesman"
        ),
        now=NOW,
    )
    session.execute(ObserverNote("o1", "Quick.", task="ct-share-warning", rating="S"), now=NOW)
    state, pack = session.state, session.pack
    full = build_report_context(state, pack, session_name="s", generated=NOW)
    comm = full["communication"]
    row = next(r for r in comm["turns"][0]["rows"] if r["from"] == "United States")
    assert row["total"] == 2  # to Seoul and to Tokyo
    assert "<svg" in comm["chart"]
    assert "One statement, please." in str(comm["channels"])
    anon = build_report_context(state, pack, session_name="s", generated=NOW, anonymise=True)
    assert "One statement" not in str(anon["communication"])
    assert "Blue House spokesman" not in str(anon["communication"])
    assert anon["observers"][0]["name"] == "Observer 1"
    assert "Dana" not in str(anon)


def test_a_journal_without_channels_replays_the_same(tmp_path) -> None:
    """Sessions recorded before channels existed keep their state: no message, no
    observer, and the created event carries no observers key."""
    pack = require_pack(ROOT)
    path = tmp_path / "old.session"
    with Session.create(path, pack, SessionSetup(players={"usa": "A"}), now=NOW) as s:
        s.execute(StartExercise(), now=NOW)
        body = s.journal.first_event().body
    assert "observers" not in body["setup"]
    with Session.open(path, pack) as again:
        assert again.state.messages == [] and again.state.observers == {}
        assert again.state.turn == 1


def test_a_script_naming_an_unknown_channel_or_observer_is_refused_with_its_place() -> None:
    from exercise.engine.script import plan
    from exercise.engine.script_format import parse_script
    from exercise.problems import ProblemsError

    text = (
        "observers: [Dana]\n"
        "turns:\n"
        "  - turn: 1\n"
        "    deliberation:\n"
        "      - message: us-rokk\n"
        "        from: usa\n"
        "        text: Hello.\n"
        "      - message: hotline\n"
        "        from: rok\n"
        "        text: Not a member.\n"
        "      - observe: Seen.\n"
        "        observer: Dan\n"
        "        task: ct-nope\n"
    )
    with pytest.raises(ProblemsError) as info:
        plan(parse_script(text, "s.yaml"), require_pack(ROOT))
    found = [str(p) for p in info.value.problems]
    assert found[0].startswith("s.yaml:5:18: unknown channel 'us-rokk'")
    assert found[1].startswith("s.yaml:9:15: 'rok' is not on the channel 'hotline'")
    assert found[2].startswith("s.yaml:12:19: unknown observer 'Dan'")
    assert found[3].startswith("s.yaml:13:15: unknown critical task 'ct-nope'")


def test_pack_channel_and_critical_task_references_are_checked(tmp_path) -> None:
    import shutil

    from test_app_support import MINI

    from exercise.pack.loader import load_pack

    root = tmp_path / "pack"
    shutil.copytree(MINI, root)
    manifest = root / "scenario.yaml"
    manifest.write_text(
        manifest.read_text()
        + "channels:\n  - {id: pair, name: The pair, members: [usa, roc]}\n"
        + "critical_tasks:\n  - {id: ct-1, objective: obj-cord, title: Share warning}\n"
    )
    inject = root / "injects" / "turn1.yaml"
    inject.write_text(
        inject.read_text().replace(
            "      all:\n",
            "      all:\n        - exchanged: [usa, chn]\n        - message: {channel: nowhere}\n",
            1,
        )
    )
    found = [str(p) for p in load_pack(root).problems if p.severity == "error"]
    lines = manifest.read_text().splitlines()
    at = next(i for i, line in enumerate(lines, 1) if "roc]" in line)
    assert any(p.startswith(f"scenario.yaml:{at}:") and "unknown role 'roc'" in p for p in found)
    assert any("unknown objective 'obj-cord'" in p for p in found)
    assert any(p.startswith("injects/turn1.yaml:") and "unknown role 'chn'" in p for p in found)
    assert any("unknown channel 'nowhere'" in p for p in found)
