"""Conditions that read channels: a message was sent, two roles talked this turn."""

from __future__ import annotations

from exercise.engine.state import ExerciseState
from exercise.pack.models import ExchangedCondition, MessageCondition


def _name(state: ExerciseState, role: str) -> str:
    pack = state.pack
    found = pack.roles_by_id.get(role) if pack is not None else None
    return found.short_name if found is not None else role


def judge_channel(
    cond: MessageCondition | ExchangedCondition, state: ExerciseState
) -> tuple[bool, str, str]:
    """Whether the condition holds now, a sentence saying why (or why not), and what it
    rests on: the message's id, or the two roles (``a+b``) that exchanged messages."""
    if isinstance(cond, MessageCondition):
        match = cond.message
        where = f"on '{match.channel}'" if match.channel else "on any channel"
        who = _name(state, match.from_) if match.from_ else "anyone"
        when = " this turn" if match.turn == "this" else ""
        for msg in state.messages:
            if match.channel is not None and msg.channel != match.channel:
                continue
            if match.from_ is not None and msg.sender != match.from_:
                continue
            if match.turn == "this" and msg.turn != state.turn:
                continue
            return True, f"{who} wrote {where}{when} ({msg.id}, turn {msg.turn})", msg.id
        return False, f"{who} has not written {where}{when}", ""
    a, b = cond.exchanged
    wrote: dict[str, int] = {a: 0, b: 0}
    for msg in state.messages:
        if msg.turn != state.turn or msg.sender not in wrote:
            continue
        channel = state.channels.get(msg.channel)
        if channel is not None and a in channel.members and b in channel.members:
            wrote[msg.sender] += 1
    names = f"{_name(state, a)} and {_name(state, b)}"
    if wrote[a] and wrote[b]:
        why = f"{names} exchanged messages in turn {state.turn} ({wrote[a] + wrote[b]} messages)"
        return True, why, f"{a}+{b}"
    silent = " and ".join(_name(state, r) for r in (a, b) if not wrote[r])
    return False, f"{names} have not exchanged messages this turn ({silent} did not write)", ""
