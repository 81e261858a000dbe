"""``exercise new DIR``: write a small, valid, commented pack to start from.

The starter pack has every part an author needs once: a manifest with an objective, a
track, a topic, a move tag and a source; roles with a quoted position each; a turn of
injects with one conditional inject; the source text the quotes come from; and a
rehearsal script that ``simulate`` plays. It validates with ``--strict``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from exercise.problems import UserError

#: Role ids and names, in the order ``--roles N`` takes them.
ROLES: tuple[tuple[str, str], ...] = (
    ("blue", "Blueland"),
    ("red", "Redland"),
    ("green", "Greenland"),
    ("amber", "Amberland"),
    ("white", "Whiteland"),
    ("grey", "Greyland"),
    ("purple", "Purpleland"),
    ("orange", "Orangeland"),
)
MAX_TURNS = 50


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if not 2 <= args.roles <= len(ROLES):
        raise UserError(f"--roles must be between 2 and {len(ROLES)}, not {args.roles}")
    if not 1 <= args.turns <= MAX_TURNS:
        raise UserError(f"--turns must be between 1 and {MAX_TURNS}, not {args.turns}")
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(f"{root} already exists and is not an empty folder: choose a new one")
    files = starter_files(_slug(root.name), args.roles, args.turns)
    try:
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write the pack to {root}: {exc.strerror or exc}") from None
    print(
        f"wrote a starter pack to {root}: {len(files)} files, {args.roles} roles, "
        f"{args.turns} turns"
    )
    print(
        f"next: exercise validate {root} --strict   |   exercise preview {root}   |   "
        f"exercise simulate {root} --session try-it"
    )
    return 0


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    return slug[:64] or "my-exercise"


def starter_files(pack_id: str, roles: int, turns: int) -> dict[str, str]:
    """Every file of the starter pack, by path relative to the pack folder."""
    chosen = ROLES[:roles]
    files = {
        "scenario.yaml": _manifest(pack_id, turns),
        "sources/example.txt": _source(chosen),
        "injects/turn1.yaml": _injects(turns),
        "rehearsal.yaml": _rehearsal(chosen),
    }
    for index, (role_id, name) in enumerate(chosen):
        files[f"roles/{role_id}.yaml"] = _role(role_id, name, index)
    return files


def _manifest(pack_id: str, turns: int) -> str:
    return f"""\
# The manifest: what the exercise is about, how long it runs and what it keeps score of.
# Check the pack after every change:   exercise validate PACK --strict
# Editors complete these files from:   exercise schema --file all
id: {pack_id}
title: A starter exercise
summary: Two neighbours, one dispute, and whether they talk before it escalates.
setting: |
  The opening situation, read to every player (Markdown). Blueland and Redland dispute
  a border river; a patrol boat incident last week made the news in both capitals.
start_date: 2026-03-01
turns: {turns}
turn_length: {{count: 1, unit: month}}   # day, week, month or year
deliberation_minutes: 15
objectives:               # what the exercise tests; injects and notes refer to them
  - {{id: obj-talks, title: Open talks before the dispute escalates}}
tracks:                   # the numbers the crisis is scored on; effects move them
  - id: tension
    name: Regional tension
    min: 0
    max: 10
    initial: 3
    levels: [{{name: calm, min: 0}}, {{name: strained, min: 4}}, {{name: crisis, min: 7}}]
topics:                   # what the roles' stated positions are about
  - {{id: river-talks, title: Talks on the border river}}
move_tags:                # tags players put on moves; conditions look for them
  - {{id: propose-talks, title: Propose talks}}
sources:                  # where the quoted positions come from
  - id: example-source
    file: example.txt     # a text file in sources_dir
    title: Statements on the border river
    author: The starter pack
    date: mid-2020s       # free text, printed whole
sources_dir: sources      # validate checks every quote against these texts
"""


def _source(roles: tuple[tuple[str, str], ...]) -> str:
    lines = ["Statements on the border river, collected for the starter pack.", ""]
    for _, name in roles:
        lines.append(f"{name} said: {_quote(name)} Officials repeated it a week later.")
    return "\n".join(lines) + "\n"


def _quote(name: str) -> str:
    return f"{name} will talk to any neighbour who keeps its boats at home."


def _role(role_id: str, name: str, index: int) -> str:
    stance = "supports" if index % 2 == 0 else "conditional"
    return f"""\
# A role: an actor players take (played_by: player) or control plays (played_by: control).
id: {role_id}
name: The Republic of {name}
short_name: {name}
played_by: player
background: Public background every player may read about {name}.
positions:                # what the actor has said, with where it said it
  - topic: river-talks
    stance: {stance}             # supports, opposes, ambivalent, conditional, neutral
    summary: {name} will talk if the other side keeps its boats at home.
    quote: "{_quote(name)}"   # exact words of the source
    voice: own                    # own, reported, assessment or recommendation
    source: example-source
    locator: first statement      # where in the source
    # year: 2025                  # leave it out for undated sources
objectives: [Keep the river open to its own boats]
red_lines: [No foreign patrols on its bank]
capabilities: [A river patrol flotilla]
private: [Only this role and control read this line.]
"""


def _injects(turns: int) -> str:
    window = "1" if turns == 1 else f"{{first: 1, last: {turns}}}"
    return f"""\
# Injects: the events released to the players (the MSEL). Group them in files as you like.
injects:
  - id: t1-incident
    turn: 1                          # released at the start of turn 1
    kind: press_report
    from: control
    byline: River Gazette
    audience: public                 # or a list of role ids for a private inject
    title: Patrol boats collide on the border river
    body: Two patrol boats collided at dawn; both capitals blame the other.
    expected_actions: [A call between the foreign ministers]   # control only
    questions: [Who calls first?]                               # control only
    objectives: [obj-talks]
    effects: {{tension: 1}}
  - id: c-talks-open
    turn: {window}              # fires on the first turn in the window where...
    kind: statement
    from: control
    title: Talks open in a neutral capital
    body: Delegations from both sides meet for the first time in years.
    objectives: [obj-talks]
    effects: {{tension: -2}}
    condition:                       # ...this holds: a move tagged propose-talks by any
      move: {{tag: propose-talks}}     # role, ruled accepted or modified
"""


def _rehearsal(roles: tuple[tuple[str, str], ...]) -> str:
    players = "\n".join(f"  {rid}: Rehearsal player ({name})" for rid, name in roles)
    first, second = roles[0], roles[1]
    hotwash = "\n".join(
        f"  - hotwash: {rid}\n    worked: A quick first call.\n"
        f"    did_not: Nobody spoke to the press.\n    change: Agree a joint line early."
        for rid, _ in roles
    )
    return f"""\
# A rehearsal: the whole exercise written down, played without the app.
#   exercise simulate PACK --session try-it     # play it into a session
#   exercise preview PACK                       # print the timeline it produces
name: Starter rehearsal
seed: 1
players:                  # who plays each role; control plays every role not listed
{players}
turns:
  - turn: 1
    moves:
      - move:
          role: {first[0]}
          kind: proposal
          label: talks
          text: Proposes talks in a neutral capital.
          tags: [propose-talks]
          targets: [{second[0]}]
      - move:
          role: {second[0]}
          kind: statement
          text: Says its boats were in its own waters.
    adjudication:
      - rule: talks
        outcome: accepted
        narrative: {second[1]} accepts; the talks open next week.
      - roll: {second[0]}
        pros: 1
        cons: 0
        narrative: The statement lands well at home.
        fail_effects: {{tension: 1}}
    consequences:
      - observe: {first[1]} proposed talks within the hour.
        kind: strength
        role: {first[0]}
        objective: obj-talks
after:
{hotwash}
  - improve: Agree a hotline between the two river commands
    objective: obj-talks
    owner: Both foreign ministries
    due: 2026-12-31
"""
