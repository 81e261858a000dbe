"""The analytic parts of the after-action report: the executive summary's narrative,
its major strengths and areas for improvement, a synopsis per turn, what control did
(holds, skips, edits, ad-hoc injects, overrides) and the improvement-plan matrix.

Everything is drawn from the state in one pass over the journal's events; the words
are plain sentences a reader outside the room can follow.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from exercise.engine import events as ev
from exercise.render.describe import role_label
from exercise.vocab import ImprovementStatus, ObservationKind, ReleaseCause

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState
    from exercise.pack.models import Pack

#: Most strengths (and areas for improvement) the executive summary lists.
MAJOR = 5
ELEMENT_LABELS = {
    "planning": "Planning",
    "organisation": "Organisation",
    "equipment": "Equipment",
    "training": "Training",
    "exercise": "Exercise",
}


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def control_log(
    state: ExerciseState, pack: Pack, keep_notes: bool
) -> dict[int, list[dict[str, Any]]]:
    """What control did to the script, by turn (0: before play): holds with their
    reasons, skips, edits, ad-hoc injects and overrides, where they happened."""
    out: dict[int, list[dict[str, Any]]] = {}
    turn = 0
    titles = {i: s.title for i, s in state.injects.items()}
    for event in state.events:
        body = event.body
        kind = event.type
        if kind == ev.TURN_STARTED:
            turn = int(body["turn"])
            continue
        item: dict[str, Any] | None = None
        if kind in (ev.INJECT_HELD, ev.INJECT_SKIPPED):
            verb = "Held" if kind == ev.INJECT_HELD else "Skipped"
            reason = body.get("reason", "") if keep_notes else ""
            item = {
                "kind": verb.lower(),
                "inject_id": body["inject"],
                "text": f"{verb} “{titles.get(body['inject'], body['inject'])}”"
                + (f": {reason}" if reason else ""),
            }
        elif kind == ev.INJECT_EDITED:
            item = {
                "kind": "edited",
                "inject_id": body["inject"],
                "text": f"Edited “{titles.get(body['inject'], body['inject'])}” before its release",
            }
        elif kind == ev.ADHOC_INJECT:
            item = {
                "kind": "adhoc",
                "inject_id": body["inject"],
                "text": f"Wrote an ad-hoc inject, “{body['title']}”",
            }
        elif kind == ev.RULING_OVERRIDDEN:
            move = state.move(body["move"])
            who = role_label(pack, move.role) if move else body["move"]
            said = f"“{move.text.rstrip('.')}”" if move else body["move"]
            item = {
                "kind": "override",
                "move_id": body["move"],
                "text": f"Overrode the ruling on {who}'s move {said} to "
                f"{body['outcome']}: {body.get('reason', '')}".rstrip(": "),
            }
        if item is not None:
            item["turn"] = turn
            out.setdefault(turn, []).append(item)
    return out


def synopsis(turn: dict[str, Any], tension: dict[str, Any] | None) -> list[str]:
    """A turn in a few sentences: what came in, who decided what, where tension went."""
    lines = []
    injects = turn["injects"]
    if injects:
        fired = [i for i in injects if i["cause"] == ReleaseCause.CONDITION]
        text = f"{_plural(len(injects), 'inject')} went out"
        if fired:
            text += f", {len(fired)} of them because their conditions held"
        lines.append(text + ".")
    moves = turn["moves"]
    if moves:
        roles = list(dict.fromkeys(mv["role"] for mv in moves))
        outcomes: dict[str, int] = {}
        for mv in moves:
            if mv["ruling"]:
                outcome = mv["ruling"]["outcome"]
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        text = f"{_join(roles)} made {_plural(len(moves), 'move')}"
        if outcomes:
            text += "; control " + ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items()))
        lines.append(text + ".")
    else:
        lines.append("No move was recorded.")
    if tension is not None and turn["number"] < len(tension["by_turn"]):
        before = tension["by_turn"][turn["number"] - 1]
        after = tension["by_turn"][turn["number"]]
        if after != before:
            lines.append(
                f"{tension['name']} went from {before} to {after}"
                + (f" ({turn['tension_level']})." if turn.get("tension_level") else ".")
            )
        else:
            lines.append(f"{tension['name']} held at {after}.")
    return lines


def narrative(ctx: dict[str, Any]) -> list[str]:
    """The executive summary drafted from the journal: a few paragraphs."""
    o, s = ctx["overview"], ctx["summary"]
    played = [p for p in o["participants"] if p["played_by"] != "not played"]
    paras = [
        f"{o['title']} was played over {_plural(o['turns_played'], 'turn')} of "
        f"{o['turns_planned']}, covering {o['period']}, with "
        f"{_plural(len(played), 'government')} at the table"
        + (f" ({_join([p['short_name'] for p in played])})" if played else "")
        + "."
        + ("" if o["finished"] else " The session is unfinished; this report covers play so far.")
    ]
    tension = next((t for t in ctx["tracks"] if t["is_tension"]), None)
    if tension is not None:
        text = f"{tension['name']} began at {tension['initial']}" + (
            f" ({tension['initial_level']})" if tension["initial_level"] else ""
        )
        if tension["peak"] > tension["initial"]:
            text += (
                f", peaked at {tension['peak']}"
                + (f" ({tension['peak_level']})" if tension["peak_level"] else "")
                + f" in turn {tension['peak_turn']}"
            )
        text += (
            f" and ended at {tension['value']}"
            + (f" ({tension['level']})" if tension["level"] else "")
            + "."
        )
        paras.append(text)
    decisive = s["decisive_moves"][:3]
    if decisive:
        parts = []
        for mv in decisive:
            said = mv["text"].rstrip(".")
            part = f"in turn {mv['turn']} {mv['role']} — “{said}” — was {mv['outcome']}"
            if mv["triggered"]:
                part += f", which brought {_join(['“' + t + '”' for t in mv['triggered']])}"
            parts.append(part)
        paras.append("The decisions that moved the crisis most: " + "; ".join(parts) + ".")
    interventions = []
    c = s["injects"]
    for n, word in ((c["held"], "held"), (c["skipped"], "skipped"), (c["adhoc"], "wrote")):
        if n:
            interventions.append(
                f"{word} {_plural(n, 'inject')}"
                if word != "wrote"
                else f"wrote {_plural(n, 'ad-hoc inject')}"
            )
    if s["overrides"]:
        interventions.append(f"overrode {_plural(s['overrides'], 'ruling')}")
    if interventions:
        paras.append("Control " + _join(interventions) + ".")
    return paras


def major(observations: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Up to five observations of a kind, those tied to an objective first."""
    strength = ObservationKind.STRENGTH
    picked = [o for o in observations if (o["kind"] == strength) == (kind == strength)]
    picked.sort(key=lambda o: (not o["objective_id"], o["turn"]))
    return picked[:MAJOR]


def rating(state: ExerciseState, objective_id: str) -> dict[str, Any] | None:
    found = state.ratings.get(objective_id)
    if found is None:
        return None
    return {
        "code": found.rating,
        "label": found.rating.label,
        "analysis": found.analysis,
    }


def improvement_plan(
    state: ExerciseState, pack: Pack, observations: dict[str, dict[str, Any]], today: dt.date
) -> list[dict[str, Any]]:
    """HSEEP's improvement-plan matrix, one row per corrective action."""
    rows = []
    for item in state.improvements:
        objective = pack.objectives_by_id.get(item.objective)
        area = observations.get(item.area or "")
        overdue = item.status != ImprovementStatus.DONE and item.due < today
        rows.append(
            {
                "id": item.id,
                "objective_id": item.objective,
                "objective": objective.title if objective else item.objective,
                "capability": objective.capability if objective else "",
                "area_id": item.area,
                "area": area["text"] if area else "",
                "action": item.action,
                "element": item.element,
                "element_label": ELEMENT_LABELS.get(item.element, item.element),
                "organisation": item.owner,
                "owner": item.owner,
                "poc": item.poc,
                "start": item.start.isoformat() if item.start else None,
                "due": item.due.isoformat(),
                "completion": item.due.isoformat(),
                "status": item.status,
                "overdue": overdue,
            }
        )
    return rows
