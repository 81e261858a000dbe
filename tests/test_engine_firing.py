"""When conditional injects fire: one state for all, a stable order, and overrides.

Releases are journal events, so a journal recorded under an earlier firing rule replays
exactly as it was played; the rule only decides what new operations write.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from engine_support import ROOT, minutes

from exercise.engine import Session, SessionSetup
from exercise.engine.commands import AdjustTrack, AdvancePhase, RecordMove, StartExercise
from exercise.engine.events import Event
from exercise.engine.reduce import replay
from exercise.engine.scheduler import conditional_status
from exercise.engine.script import parse_script, plan, run_steps, setup_for
from exercise.pack.loader import require_pack
from exercise.render.report import build_report_context

OLD_PACK = ROOT / "tests" / "data" / "old-rules-pack"
OLD_JOURNAL = ROOT / "tests" / "data" / "old-rules.jsonl"
SETUP = SessionSetup(players={"usa": "A", "rok": "B"}, seed=7, name="t")


def _events(path: Path) -> list[Event]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for line in lines:
        item = json.loads(line)
        out.append(
            Event.of(
                item["seq"],
                dt.datetime.fromisoformat(item["ts"]),
                item["actor"],
                item["type"],
                item["body"],
            )
        )
    return out


def _play(pack, script_text: str) -> Session:
    loaded = parse_script(script_text)
    steps = plan(loaded, pack)
    session = Session.memory(pack, setup_for(loaded, pack), now=steps[0].now)
    run_steps(session, steps, loaded)
    return session


def _released(session: Session) -> list[str]:
    return [e.body["inject"] for e in session.state.events if e.type == "inject_released"]


def test_a_journal_recorded_under_the_old_rule_replays_as_recorded():
    pack = require_pack(OLD_PACK)
    state = replay(pack, _events(OLD_JOURNAL))
    # Recorded under the old rule: a rejected move fired 'escalate', whose effect then
    # kept 'calm' from firing. Replay keeps exactly that.
    assert state.injects["escalate"].status == "released"
    assert "rejected" in state.injects["escalate"].why
    assert state.injects["calm"].status == "pending"
    assert state.tracks["tension"].value == 6
    # The same script played today follows the new rule: a rejected move does not count.
    today = _play(pack, (OLD_PACK / "rehearsal.yaml").read_text(encoding="utf-8"))
    assert today.state.injects["escalate"].status == "pending"
    assert today.state.injects["calm"].status == "released"


def _order_pack(tmp_path: Path, order: list[str]):
    root = tmp_path / "-".join(order)
    shutil.copytree(OLD_PACK, root)
    injects = {
        "spark": """
  - id: spark
    turn: {first: 1, last: 2}
    kind: press_report
    from: control
    title: Spark
    body: A spark.
    condition: {move: {tag: protest}}
    effects: {tension: 3}
""",
        "lull": """
  - id: lull
    turn: {first: 1, last: 2}
    kind: statement
    from: control
    title: Lull
    body: A lull.
    condition:
      all:
        - {track: tension, op: "<", value: 5}
        - {move: {role: usa, tag: protest}}
""",
    }
    text = "injects:\n" + "".join(injects[name] for name in order)
    (root / "injects" / "all.yaml").write_text(text, encoding="utf-8")
    return require_pack(root)


SCRIPT = """
seed: 3
turns:
  - turn: 1
    moves:
      - move: {role: usa, kind: statement, text: We protest., tags: [protest]}
    adjudication:
      - rule: usa
        outcome: accepted
"""


def test_the_order_of_injects_in_the_files_never_changes_which_fire(tmp_path):
    first = _play(_order_pack(tmp_path, ["spark", "lull"]), SCRIPT)
    second = _play(_order_pack(tmp_path, ["lull", "spark"]), SCRIPT)
    # Both are judged against the state before either is released, so both fire,
    # together, ordered by id, whatever the file says.
    assert _released(first) == _released(second) == ["lull", "spark"]
    seqs = [e.seq for e in first.state.events if e.type == "inject_released"]
    assert seqs == [seqs[0], seqs[0] + 1]
    assert first.state.tracks["tension"].value == 6


def test_a_chain_on_a_release_fires_right_after_at_the_same_point(tmp_path):
    pack = _order_pack(tmp_path, ["spark", "lull"])
    extra = """
  - id: echo
    turn: {first: 1, last: 2}
    kind: press_report
    from: control
    title: Echo
    body: An echo.
    condition: {released: spark}
"""
    path = pack.root / "injects" / "all.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    session = _play(require_pack(pack.root), SCRIPT)
    assert _released(session) == ["lull", "spark", "echo"]


def _heard_pack(tmp_path: Path, condition: str) -> Path:
    """The old pack with one inject, ``heard``, in turns 1-2 on ``condition`` (YAML)."""
    root = tmp_path / "p"
    shutil.copytree(OLD_PACK, root)
    (root / "injects" / "all.yaml").write_text(
        "injects:\n"
        "  - id: heard\n"
        "    turn: {first: 1, last: 2}\n"
        "    kind: statement\n"
        "    from: control\n"
        "    title: Heard\n"
        "    body: Heard.\n"
        f"    condition: {condition}\n",
        encoding="utf-8",
    )
    return root


@pytest.mark.parametrize(
    ("ruled", "outcome", "fires"),
    [
        (None, "accepted", True),
        (None, "modified", True),
        (None, "rejected", False),
        ("any", "rejected", True),
        ("[rejected]", "rejected", True),
        ("rejected", "rejected", True),
        ("modified", "accepted", False),
        ("[accepted]", "modified", False),
    ],
)
def test_ruled_defaults_to_accepted_or_modified(tmp_path, ruled, outcome, fires):
    ruled_text = f", ruled: {ruled}" if ruled else ""
    root = _heard_pack(tmp_path, f"{{move: {{role: rok, tag: protest{ruled_text}}}}}")
    pack = require_pack(root)
    session = _play(
        pack,
        f"""
turns:
  - turn: 1
    moves:
      - move: {{role: rok, kind: statement, text: We protest., tags: [protest]}}
    adjudication:
      - rule: rok
        outcome: {outcome}
""",
    )
    assert (session.state.injects["heard"].status == "released") is fires


def test_ruled_any_counts_a_move_not_yet_ruled(tmp_path):
    root = _heard_pack(tmp_path, "{move: {tag: protest, ruled: any}}")
    session = Session.memory(require_pack(root), SETUP, now=minutes(0))
    session.execute(StartExercise(), now=minutes(1))
    session.execute(AdvancePhase(), now=minutes(2))
    session.execute(AdvancePhase(), now=minutes(3))
    session.execute(RecordMove("rok", "statement", "We protest.", tags=["protest"]), now=minutes(4))
    assert session.state.injects["heard"].status == "pending"  # checked at turn start...
    session.execute(AdjustTrack("tension", 1, "a push"), now=minutes(5))  # ...and after changes
    heard = session.state.injects["heard"]
    assert heard.status == "released" and "rok made a move tagged protest" in heard.why


def test_a_role_and_a_tag_count_only_that_roles_tagged_moves_oldest_first(tmp_path):
    root = _heard_pack(tmp_path, "{move: {role: usa, tag: protest, ruled: any}}")
    scenario = root / "scenario.yaml"
    tags = "  - {id: protest, title: Protest}\n"
    calm = tags + "  - {id: calm, title: Calm}\n"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace(tags, calm), "utf-8")
    session = Session.memory(require_pack(root), SETUP, now=minutes(0))
    for n, step in enumerate((StartExercise(), AdvancePhase(), AdvancePhase()), start=1):
        session.execute(step, now=minutes(n))
    moves = [
        ("rok", ["protest"]),  # another role's
        ("usa", ["calm"]),  # another tag
        ("usa", ["calm", "protest", "protest"]),  # the first that counts
        ("usa", ["protest"]),
    ]
    for n, (role, tags) in enumerate(moves):
        session.execute(RecordMove(role, "statement", f"Move {n}.", tags=tags), now=minutes(4 + n))
        session.execute(AdjustTrack("tension", 1, "a check"), now=minutes(10 + n))
        released = session.state.injects["heard"].status == "released"
        assert released is (n >= 2), n
    counted = session.state.moves[2].id
    assert f"usa made a move tagged protest (move {counted}," in session.state.injects["heard"].why


def test_an_override_keeps_the_inject_and_records_its_cause_as_overruled(tmp_path):
    pack = require_pack(OLD_PACK)
    session = _play(
        pack,
        """
turns:
  - turn: 1
    moves:
      - move: {role: rok, kind: statement, label: rp, text: Korea protests., tags: [protest]}
    adjudication:
      - rule: rp
        outcome: accepted
      - override: rp
        outcome: rejected
        reason: Control thinks again.
""",
    )
    state = session.state
    escalate = state.injects["escalate"]
    assert escalate.status == "released"  # the world has moved on
    assert escalate.cause_moves == ("m1",)
    override = next(e for e in state.events if e.type == "ruling_overridden")
    assert override.body["overrules"] == ["escalate"]
    assert "overruled from accepted to rejected" in escalate.overruled
    assert replay(pack, list(state.events)) == state
    control = {c.inject_id: c for c in conditional_status(state, state.pack)}
    assert "its cause was later overruled" in control["escalate"].explanation
    context = build_report_context(session.state, pack, session_name="t", generated=minutes(99))
    released = {i["id"]: i for t in context["turns"] for i in t["injects"]}
    assert "later overruled" in released["escalate"]["why"]
    assert all(not m.get("triggered") for m in context["summary"]["decisive_moves"])


def test_an_override_that_still_satisfies_the_condition_overrules_nothing():
    pack = require_pack(OLD_PACK)
    session = _play(
        pack,
        """
turns:
  - turn: 1
    moves:
      - move: {role: rok, kind: statement, label: rp, text: Korea protests., tags: [protest]}
    adjudication:
      - rule: rp
        outcome: accepted
      - override: rp
        outcome: modified
        reason: Only in part.
""",
    )
    override = next(e for e in session.state.events if e.type == "ruling_overridden")
    assert "overrules" not in override.body
    assert session.state.injects["escalate"].overruled == ""
