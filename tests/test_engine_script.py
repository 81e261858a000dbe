"""Rehearsal scripts, ``simulate`` and ``preview``: whole exercises played headless."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from engine_support import ENGINE_PACK, ENGINE_SCRIPT, ROOT, engine_pack

from exercise.engine import Session
from exercise.engine.script import load_script, parse_script, plan, run_steps, setup_for
from exercise.problems import ProblemsError


def cli(*args: str, data_dir) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, EXERCISE_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "exercise", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


def play(text: str):
    loaded = parse_script(text, "s.yaml")
    pack = engine_pack()
    steps = plan(loaded, pack)
    session = Session.memory(pack, setup_for(loaded, pack), now=steps[0].now)
    run_steps(session, steps, loaded)
    return session


def test_the_engine_rehearsal_plays_every_kind_of_action():
    loaded = load_script(ENGINE_SCRIPT)
    pack = engine_pack()
    steps = plan(loaded, pack)
    session = Session.memory(pack, setup_for(loaded, pack), now=steps[0].now)
    run_steps(session, steps, loaded)
    state = session.state
    assert state.ended
    assert {m.ruling.method for m in state.moves if m.ruling} == {"facilitator", "matrix", "vote"}
    assert any(m.ruling.override_reason for m in state.moves if m.ruling)
    causes = {i.cause for i in state.released()}
    assert causes == {"scheduled", "condition", "control", "adhoc"}
    assert {o.kind for o in state.observations} == {"strength", "improvement"}
    assert len(state.hotwash) == 2 and len(state.improvements) == 1
    assert state.injects["calm"].status == "skipped"


def test_simulate_writes_a_session_and_the_same_seed_gives_the_same_session(tmp_path):
    first = cli("simulate", str(ENGINE_PACK), "--session", "one", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "session saved to" in first.stdout
    second = cli("simulate", str(ENGINE_PACK), "--session", "two", data_dir=tmp_path)
    assert second.returncode == 0
    one = Session.open(tmp_path / "sessions" / "one.session", engine_pack())
    two = Session.open(tmp_path / "sessions" / "two.session", engine_pack())
    assert one.state == two.state
    one.close()
    two.close()
    again = cli("simulate", str(ENGINE_PACK), "--session", "one", data_dir=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.slow
def test_seed_option_changes_dice_not_the_script(tmp_path):
    runs = {}
    for seed in ("1", "2", "3"):
        result = cli(
            "simulate", str(ENGINE_PACK), "--session", f"s{seed}", "--seed", seed, data_dir=tmp_path
        )
        assert result.returncode == 0, result.stderr
        s = Session.open(tmp_path / "sessions" / f"s{seed}.session", engine_pack())
        runs[seed] = [m.ruling.dice for m in s.state.moves if m.ruling and m.ruling.dice]
        assert s.state.setup.seed == int(seed)
        s.close()
    assert len({tuple(v) for v in runs.values()}) > 1


def test_script_errors_point_at_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "seed: 3\n"
        "turns:\n"
        "  - turn: 1\n"
        "    moves:\n"
        "      - move: {role: usa, kind: statement, text: Hi}\n"
        "      - dance: usa\n"
        "    adjudication:\n"
        "      - roll: usa\n"
        "        pros: many\n"
    )
    result = cli(
        "simulate", str(ENGINE_PACK), "--script", str(bad), "--session", "x", data_dir=tmp_path
    )
    assert result.returncode == 2
    assert f"{bad}:6:9: " in result.stderr and "an action needs one of the keys" in result.stderr
    assert f"{bad}:9:15: field 'pros' must be" in result.stderr
    assert not (tmp_path / "sessions" / "x.session").exists()


def test_unknown_references_and_engine_refusals_have_positions():
    with pytest.raises(ProblemsError) as info:
        plan(
            parse_script(
                "turns:\n  - turn: 1\n    adjudication:\n      - rule: nobody\n"
                "        outcome: accepted\n  - turn: 9\n",
                "s.yaml",
            ),
            engine_pack(),
        )
    text = "\n".join(str(p) for p in info.value.problems)
    assert "s.yaml:4:15: no move labelled 'nobody'" in text
    assert "s.yaml:6:11: the pack has 4 turns, not 9" in text
    with pytest.raises(ProblemsError) as info:
        play(
            "turns:\n  - turn: 1\n    deliberation:\n"
            "      - move: {role: usa, kind: statement, text: Too early}\n"
        )
    assert str(info.value.problems[0]) == (
        "s.yaml:4:9: Moves can be recorded only in the moves phase (now: deliberation)"
    )


def test_unknown_roles_in_the_setup_point_at_the_script():
    with pytest.raises(ProblemsError) as info:
        plan(
            parse_script("players: {usa: A, mars: B}\ncontrol_roles: [venus]\n", "s.yaml"),
            engine_pack(),
        )
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:1:19: there is no role 'mars' in the pack",
        "s.yaml:2:17: there is no role 'venus' in the pack",
    ]


def test_a_failed_simulation_leaves_no_session_behind(tmp_path):
    bad = tmp_path / "late.yaml"
    bad.write_text("turns:\n  - turn: 2\n    injects:\n      - hold: launch-1\n")
    result = cli(
        "simulate", str(ENGINE_PACK), "--script", str(bad), "--session", "late", data_dir=tmp_path
    )
    assert result.returncode == 2
    assert f"{bad}:4:9: Inject 'launch-1' is already released" in result.stderr
    assert list((tmp_path / "sessions").glob("late*")) == []


def test_preview_prints_releases_waits_and_tracks_per_turn(tmp_path):
    result = cli("preview", str(ENGINE_PACK), "--script", str(ENGINE_SCRIPT), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Turn 1 — March 2026" in out and "Turn 4 — June 2026" in out
    assert "+ launch-1 [missile_launch, public] KN-23 launch — scheduled" in out
    assert "protest-rok" in out and "fired: rok made a move tagged accept-thaad" in out
    assert "tracks at turn end: Regional tension" in out
    bare = cli("preview", str(ENGINE_PACK), "--no-script", data_dir=tmp_path)
    assert bare.returncode == 0
    assert "waits: protest-rok" in bare.stdout and "has not made a move" in bare.stdout
    assert "Never fired:" in bare.stdout
    assert not (tmp_path / "sessions").exists()  # a preview writes nothing


def test_resume_point_continues_an_interrupted_script(tmp_path):
    from exercise.engine.script import resume_point

    pack = engine_pack()
    loaded = load_script(ENGINE_SCRIPT)
    steps = plan(loaded, pack)
    full = Session.memory(pack, setup_for(loaded, pack), now=steps[0].now)
    run_steps(full, steps, loaded)
    path = tmp_path / "half.session"
    half = Session.create(path, pack, setup_for(loaded, pack), now=steps[0].now)
    run_steps(half, steps[:20], loaded)
    half.close()
    resumed = Session.open(path, pack)
    start = resume_point(resumed, steps, pack, loaded)
    assert start == 20
    run_steps(resumed, steps, loaded, start=start)
    assert resumed.state == full.state
    resumed.close()


def test_the_bundled_rehearsal_plays_a_full_exercise(tmp_path):
    from exercise.pack.loader import load_pack

    result = load_pack(ROOT)
    needed = {"usa", "rok", "japan", "china", "dprk", "russia", "taiwan"}
    if not result.ok or result.pack is None or not needed <= set(result.pack.roles_by_id):
        problems = "; ".join(str(p) for p in result.problems[:3]) or "roles still missing"
        pytest.skip(f"the bundled pack is not complete: {problems}")
    pack = result.pack
    done = cli("simulate", "--session", "bundled", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    session = Session.open(tmp_path / "sessions" / "bundled.session", pack)
    state = session.state
    assert state.ended and state.turn == pack.manifest.turns
    for turn in range(1, pack.manifest.turns + 1):
        movers = {m.role for m in state.moves if m.turn == turn}
        assert set(state.setup.players) <= movers, f"a player role did not move in turn {turn}"
    rulings = [m.ruling for m in state.moves]
    assert all(rulings)
    assert {r.method for r in rulings} == {"facilitator", "matrix", "vote"}
    assert any(r.override_reason for r in rulings)
    held = {e.body["inject"] for e in state.events if e.type == "inject_held"}
    assert any(state.injects[i].status == "released" for i in held)
    assert any(i.adhoc for i in state.released())
    fired = [i for i in state.released() if i.cause == "condition"]
    assert len(fired) >= 5, "the rehearsal should make several conditional injects fire"
    assert {o.kind for o in state.observations} == {"strength", "improvement"}
    assert {h.role for h in state.hotwash} == set(state.setup.players)
    assert len(state.improvements) >= 2
    session.close()
