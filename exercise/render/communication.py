"""The report's communication section and the observers' ratings per objective.

Who talked to whom, per turn: a matrix of messages from each writer to each member of
the channel it wrote on, and a pygal chart of messages per turn and channel. Message
texts go into the control version only; ``--anonymise`` leaves them out (and names
observers "Observer 1", "Observer 2"...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise.render.describe import role_label

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState
    from exercise.pack.models import Pack
    from exercise.render.charts import Drawn

RATING_LABELS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}


def _writer(pack: Pack, sender: str, voice: str, anonymise: bool) -> str:
    if sender == "control":
        return "Control" if anonymise or not voice else f"{voice} (control)"
    return role_label(pack, sender)


def _matrix(
    state: ExerciseState, pack: Pack, messages: list[Any], roles: list[str]
) -> dict[str, Any]:
    counts = {a: dict.fromkeys(roles, 0) for a in [*roles, "control"]}
    for msg in messages:
        channel = state.channels.get(msg.channel)
        if channel is None or msg.sender not in counts:
            continue
        for member in channel.members:
            if member != msg.sender and member in counts[msg.sender]:
                counts[msg.sender][member] += 1
    rows = [
        {
            "from": "Control" if a == "control" else role_label(pack, a),
            "counts": [counts[a][b] for b in roles],
            "total": sum(counts[a].values()),
        }
        for a in [*roles, "control"]
        if sum(counts[a].values())
    ]
    return {"columns": [role_label(pack, r) for r in roles], "rows": rows}


def communication_context(
    state: ExerciseState, pack: Pack, *, anonymise: bool, charts: bool = True
) -> dict[str, Any]:
    """Channels, per-turn matrices, the chart and (control version only) the texts."""
    roles = [r.id for r in pack.roles]
    turns = []
    for n in range(1, max(state.turn, 0) + 1):
        of_turn = [m for m in state.messages if m.turn == n]
        if of_turn:
            turns.append(
                {
                    "turn": n,
                    "label": pack.manifest.turn_label(n),
                    "messages": len(of_turn),
                    **_matrix(state, pack, of_turn, roles),
                }
            )
    channels = []
    for channel in state.channels.values():
        msgs = [m for m in state.messages if m.channel == channel.id]
        closed = [
            {"from_turn": t, "open": opened, "reason": "" if anonymise else why}
            for t, opened, why in channel.switches
        ]
        if not msgs and not closed and channel.direct:
            continue
        channels.append(
            {
                "id": channel.id,
                "name": channel.name,
                "direct": channel.direct,
                "members": [role_label(pack, r) for r in channel.members],
                "count": len(msgs),
                "switches": closed,
                "messages": []
                if anonymise
                else [
                    {
                        "id": m.id,
                        "turn": m.turn,
                        "from": _writer(pack, m.sender, m.voice, False),
                        "text": m.text,
                    }
                    for m in msgs
                ],
            }
        )
    out: dict[str, Any] = {
        "total": len(state.messages),
        "turns": turns,
        "channels": channels,
        "overall": _matrix(state, pack, state.messages, roles),
        "texts": not anonymise,
        "chart": "",
        "chart_legend": [],
    }
    if charts and state.messages:
        out["chart"], out["chart_legend"] = _chart(state, channels)
    return out


def _chart(state: ExerciseState, channels: list[dict[str, Any]]) -> Drawn:
    """Messages per turn, stacked by channel."""
    from exercise.render.charts import stacked_bar_chart

    numbers = list(range(1, max(state.turn, 1) + 1))
    per_channel = []
    for channel in channels:
        if channel["count"]:
            per = dict.fromkeys(numbers, 0)
            for msg in state.messages:
                if msg.channel == channel["id"] and msg.turn in per:
                    per[msg.turn] += 1
            per_channel.append((channel["name"], [per[n] for n in numbers]))
    return stacked_bar_chart(
        "Messages per turn, by channel",
        "communication",
        [f"T{n}" for n in numbers],
        per_channel,
        y_title="Messages",
    )


def observer_context(state: ExerciseState, pack: Pack, *, anonymise: bool) -> dict[str, Any]:
    """Which observer saw what, and per objective each observer's rating per task."""
    names = {
        oid: (f"Observer {n}" if anonymise else name)
        for n, (oid, name) in enumerate(state.observers.items(), start=1)
    }
    notes = [o for o in state.observations if o.observer is not None]
    observers = [
        {
            "name": names[oid],
            "notes": sum(1 for o in notes if o.observer == oid),
            "ratings": sum(1 for o in notes if o.observer == oid and o.rating),
        }
        for oid in state.observers
    ]
    moves = {m.id: m for m in state.moves}
    by_objective: dict[str, list[dict[str, Any]]] = {}
    for task in pack.manifest.critical_tasks:
        entries = []
        for obs in notes:
            if obs.task != task.id:
                continue
            about = ""
            if obs.move and obs.move in moves:
                mv = moves[obs.move]
                about = f"move {mv.id} ({role_label(pack, mv.role)}, turn {mv.turn})"
            elif obs.inject and obs.inject in state.injects:
                about = f"inject “{state.injects[obs.inject].title}”"
            elif obs.message:
                about = f"message {obs.message}"
            entries.append(
                {
                    "observer": names.get(obs.observer or "", "Observer"),
                    "rating": obs.rating or "",
                    "rating_label": RATING_LABELS.get(obs.rating or "", "not rated"),
                    "text": obs.text,
                    "turn": obs.turn,
                    "about": about,
                    "time": obs.ts.strftime("%H:%M") if obs.ts else "",
                }
            )
        by_objective.setdefault(task.objective, []).append(
            {"id": task.id, "title": task.title, "ratings": entries}
        )
    return {"observers": observers, "tasks": by_objective}
