"""The after-action report's context: plain data built once from a session's state.

Structure follows HSEEP's AAR/IP (overview, executive summary, analysis per objective,
improvement plan, appendices) plus what a political-military seminar needs: a timeline
per turn, each role's stated positions beside what it did, and the tension path.
Everything is grouped in one pass over the state, so building is linear in the number
of events; templates then only loop over ready lists. ``--format json`` writes exactly
this dictionary.

Departures from stated positions (see :mod:`exercise.render.departures`) come from
the topic and stance a move's tags declare, and are labelled as prompts, not findings.
The analytic parts (executive summary, synopses, control's interventions, the
improvement-plan matrix) are in :mod:`exercise.render.report_review`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from exercise.render import report_review as review
from exercise.render.briefs import (
    audience_label,
    exercise_context,
    kind_label,
    positions_by_topic,
)
from exercise.render.departures import assess_move
from exercise.render.describe import (
    bibliography,
    describe_effects,
    describe_window,
    read_aloud,
    role_label,
)
from exercise.render.report_schema import SCHEMA_VERSION
from exercise.text import one_line
from exercise.vocab import (
    MATRIX_TARGET,
    InjectStatus,
    Method,
    ObservationKind,
    Outcome,
    ReleaseCause,
)

if TYPE_CHECKING:
    from exercise.engine.state import ExerciseState, InjectState, MoveState, Ruling
    from exercise.pack.models import Pack

CAUSES = {
    ReleaseCause.SCHEDULED: "scheduled",
    ReleaseCause.CONDITION: "its condition held",
    ReleaseCause.CONTROL: "released by control",
    ReleaseCause.ADHOC: "written by control during play",
}
#: How the timeline heads each turn's injects, grouped by why they went out, in this order
RELEASE_HEADINGS = {**CAUSES, ReleaseCause.CONDITION: "because their conditions held"}
METHODS = {
    Method.FACILITATOR: "Facilitator ruling",
    Method.MATRIX: "Matrix roll",
    Method.VOTE: "Vote",
}


def _date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d %B %Y").lstrip("0")


def _time(value: dt.datetime | None) -> str:
    """'09:05' (formatted by hand: strftime costs more than the rest of a move's row)."""
    return f"{value.hour:02d}:{value.minute:02d}" if value is not None else ""


def tension_track_id(pack: Pack) -> str | None:
    """The track the escalation path follows: 'tension', else a global track named so."""
    tracks = pack.manifest.tracks
    if not tracks:
        return None
    for track in tracks:
        if track.id == "tension":
            return track.id
    for track in tracks:
        if track.scope == "global" and "tension" in (track.id + track.name).lower():
            return track.id
    return next((t.id for t in tracks if t.scope == "global"), tracks[0].id)


class ReportBuilder:
    """Builds the report context; one instance per report."""

    def __init__(
        self,
        state: ExerciseState,
        pack: Pack,
        *,
        session_name: str,
        generated: dt.datetime,
        anonymise: bool = False,
        charts: bool = True,
    ) -> None:
        self.state = state
        self.pack = pack
        self.session_name = one_line(session_name)  # names are single-line
        self.generated = generated
        self.anonymise = anonymise
        self.charts = charts
        self.turns_played = state.turn

    # ------------------------------------------------------------------ names

    def player(self, role_id: str) -> str:
        role = self.pack.roles_by_id.get(role_id)
        name = role.name if role is not None else role_id
        setup = self.state.setup
        if role_id in setup.players:
            return name if self.anonymise else one_line(str(setup.players[role_id]))
        if role_id in setup.control_roles:
            return "Control"
        return "Not played"

    def author(self, author: str) -> str:
        if author == "control":
            return "Control"
        if author in self.pack.roles_by_id:
            return role_label(self.pack, author)
        return "Observer" if self.anonymise else author

    def note(self, text: str) -> str:
        """A control-only note: dropped when the report is anonymised."""
        return "" if self.anonymise else text

    # ------------------------------------------------------------------ pieces

    def spoken_condition(self, inject_id: str) -> str:
        """The inject's condition in words (role names and titles, never raw ids)."""
        definition = self.pack.injects_by_id.get(inject_id)
        if definition is None or definition.condition is None:
            return ""
        return read_aloud(definition.condition, self.pack)

    def inject(self, inj: InjectState) -> dict[str, Any]:
        why = ""
        if inj.cause == ReleaseCause.CONDITION:
            why = self.spoken_condition(inj.inject_id) or "its condition held"
            if inj.overruled:
                why += f" (its cause was later overruled: {inj.overruled})"
        return {
            "id": inj.inject_id,
            "title": inj.title,
            "kind": inj.kind,
            "kind_label": kind_label(inj.kind),
            "from": role_label(self.pack, inj.from_),
            "byline": inj.byline,
            "public": inj.is_public,
            "audience": audience_label(self.pack, inj.audience),
            "body": inj.body,
            "turn": inj.turn_released,
            "cause": inj.cause,
            "cause_label": CAUSES.get(inj.cause, inj.cause) if inj.cause else "",
            "why": why,
            "why_detail": inj.why,
            "conditional": inj.conditional,
            "adhoc": inj.adhoc,
            "edited": inj.edited,
            "effects": describe_effects(inj.effects, self.pack),
            "effects_applied": dict(inj.effects),
            "priority": getattr(self.pack.injects_by_id.get(inj.inject_id), "priority", "core"),
            "time": _time(inj.released_at),
        }

    def ruling(self, ruling: Ruling | None) -> dict[str, Any] | None:
        if ruling is None:
            return None
        method = METHODS.get(ruling.method, ruling.method)
        detail = ""
        if ruling.method == Method.MATRIX and ruling.dice is not None:
            d1, d2 = ruling.dice
            detail = (
                f"2d6 rolled {d1}+{d2}, +{ruling.pros} for, −{ruling.cons} against "
                f"= {ruling.total} (needs {MATRIX_TARGET})"
            )
        elif ruling.method == Method.VOTE and ruling.votes is not None:
            votes = ruling.votes
            detail = (
                f"{votes.get('for', 0)} for, {votes.get('against', 0)} against, "
                f"{votes.get('abstain', 0)} abstaining"
            )
        return {
            "method": ruling.method,
            "method_label": method,
            "outcome": ruling.outcome,
            "narrative": ruling.narrative,
            "detail": detail,
            "dice": list(ruling.dice) if ruling.dice else None,
            "pros": ruling.pros,
            "cons": ruling.cons,
            "total": ruling.total,
            "votes": dict(ruling.votes) if ruling.votes is not None else None,
            "effects": describe_effects(ruling.effects, self.pack),
            "effects_applied": dict(ruling.effects),
            "overridden": bool(ruling.original_outcome),
            "original_outcome": ruling.original_outcome,
            "override_reason": self.note(ruling.override_reason),
            "late": ruling.late,
            "turn": ruling.turn,
            # an override speaks for itself: its own narrative, else its reason
            "narrative_shown": ruling.override_reason
            if ruling.original_outcome and not ruling.original_narrative
            else ruling.narrative,
        }

    def move(self, move: MoveState) -> dict[str, Any]:
        assessment = assess_move(self.pack, move)
        return {
            "id": move.id,
            "turn": move.turn,
            "role_id": move.role,
            "role": role_label(self.pack, move.role),
            "kind": move.kind,
            "kind_label": kind_label(move.kind),
            "text": move.text,
            "targets": [role_label(self.pack, t) for t in move.targets],
            "secret": move.secret,
            "tags": list(move.tags),
            "intent": move.intent,
            "reasons": list(move.reasons),
            "ruling": self.ruling(move.ruling),
            "carried_to": move.carried_to,
            "left_unruled": self.note(move.left_unruled),
            "assessment": assessment,
            "time": _time(move.ts),
        }

    def change(
        self, change: Any, moves: dict[str, dict[str, Any]], titles: dict[str, str], before: int
    ) -> dict[str, Any]:
        """One change to a track, with the delta applied (after the track's limits)."""
        cause = change.cause
        if cause == "inject":
            why = f"inject “{titles.get(change.ref, change.ref)}”"
        elif cause in ("ruling", "override"):
            what = _move_citation(moves.get(change.ref), change.turn) or f"move {change.ref}"
            why = ("ruling on " if cause == "ruling" else "override of the ruling on ") + what
        else:
            why = "control adjustment" + (f": {change.ref}" if self.note(change.ref) else "")
        return {
            "turn": change.turn,
            "delta": change.value - before,
            "asked": change.delta,
            "value": change.value,
            "cause": cause,
            "ref": change.ref if cause != "control" else "",
            "source": "scripted" if cause == "inject" else "player-driven",
            "why": why,
        }

    def observation(self, obs: Any, titles: dict[str, str]) -> dict[str, Any]:
        objective = self.pack.objectives_by_id.get(obs.objective or "")
        return {
            "id": obs.id,
            "turn": obs.turn,
            "kind": obs.kind,
            "text": obs.text,
            "analysis": obs.analysis,
            "recommendation": obs.recommendation,
            "author": self.author(obs.author),
            "role_id": obs.role,
            "role": role_label(self.pack, obs.role) if obs.role else "",
            "inject_id": obs.inject,
            "inject": titles.get(obs.inject, obs.inject) if obs.inject else "",
            "objective_id": obs.objective,
            "objective": objective.title if objective else (obs.objective or ""),
        }

    # ------------------------------------------------------------------ whole

    def build(self) -> dict[str, Any]:
        state, pack = self.state, self.pack
        titles = {i: s.title for i, s in state.injects.items()}
        turns = self.empty_turns()
        released = [self.inject(inj) for inj in state.released()]
        _file_by_turn(turns, "injects", released)
        moves = [self.move(mv) for mv in state.moves]
        _file_by_turn(turns, "moves", moves)
        for turn in turns:  # numbered as the timeline lists them, so track changes can cite them
            for number, mv in enumerate(turn["moves"], start=1):
                mv["number"] = number
        moves_by_role: dict[str, list[dict[str, Any]]] = {}
        for mv in moves:
            moves_by_role.setdefault(mv["role_id"], []).append(mv)
        tracks = self.tracks(turns, {mv["id"]: mv for mv in moves}, titles)
        observations = [self.observation(o, titles) for o in state.observations]
        _file_by_turn(turns, "observations", observations)
        fired_by = self.fired_by(released)
        roles = self.roles(moves_by_role)
        overview = self.overview()
        summary = self.summary(released, moves, fired_by, tracks)
        log = review.control_log(state, pack, keep_notes=not self.anonymise)
        self.finish_turns(turns, tracks, log)
        summary["strengths"] = review.major(observations, ObservationKind.STRENGTH)
        summary["areas"] = review.major(observations, ObservationKind.IMPROVEMENT)
        summary["before_play"] = log.get(0, [])
        context: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "kind": "after_action_report",
            "inject_causes": [[str(cause), heading] for cause, heading in RELEASE_HEADINGS.items()],
            "exercise": exercise_context(pack),
            "overview": overview,
            "summary": summary,
            "turns": turns,
            "roles": roles,
            "objectives": self.objectives(observations, released),
            "hotwash": [
                {
                    "role_id": h.role,
                    "role": role_label(pack, h.role),
                    "worked": h.worked,
                    "did_not": h.did_not,
                    "change": h.change,
                }
                for h in state.hotwash
            ],
            "improvements": review.improvement_plan(
                state, pack, {o["id"]: o for o in observations}, self.generated.date()
            ),
            "tracks": tracks,
            "appendix": self.appendix(released, summary),
        }
        if state.summary_text:
            summary["narrative"] = [
                p.strip() for p in state.summary_text.split("\n\n") if p.strip()
            ]
            summary["drafted"] = False
        else:
            summary["narrative"] = review.narrative(context)
            summary["drafted"] = True
        context["charts"] = self.make_charts(tracks) if self.charts else []
        self.add_communication(context)
        return context

    def empty_turns(self) -> list[dict[str, Any]]:
        """One entry per turn played, to be filled by the parts of the report."""
        m = self.pack.manifest
        return [
            {
                "number": n,
                "label": m.turn_label(n),
                "injects": [],
                "moves": [],
                "changes": [],
                "observations": [],
                "tracks": [],
                "control": [],
            }
            for n in range(1, max(self.turns_played, 0) + 1)
        ]

    def fired_by(self, released: list[dict[str, Any]]) -> dict[str, list[str]]:
        """The titles of the injects each move led to (its ruling not rejected, and the
        cause not overruled since)."""
        state = self.state
        fired_by: dict[str, list[str]] = {}
        for item in released:
            if state.injects[item["id"]].overruled:
                continue  # its cause was overruled: that move did not lead to it
            for move_id in state.injects[item["id"]].cause_moves:
                move = state.moves_by_id.get(move_id)
                if move is not None and move.ruling and move.ruling.outcome == Outcome.REJECTED:
                    continue
                fired_by.setdefault(move_id, []).append(item["title"])
        return fired_by

    def finish_turns(
        self,
        turns: list[dict[str, Any]],
        tracks: list[dict[str, Any]],
        log: dict[int, list[dict[str, Any]]],
    ) -> None:
        """Each turn's control actions, grouped changes, tension level and synopsis."""
        for n, items in log.items():
            if 1 <= n <= len(turns):
                turns[n - 1]["control"] = items
        for turn in turns:
            turn["change_groups"] = _group_changes(turn["changes"])
        tension = next((t for t in tracks if t["is_tension"]), None)
        tension_def = self.pack.tracks_by_id.get(tension["id"]) if tension else None
        for turn in turns:
            if tension is not None and tension_def is not None:
                turn["tension_level"] = tension_def.level_at(tension["by_turn"][turn["number"]])
            turn["synopsis"] = review.synopsis(turn, tension)

    def appendix(
        self,
        released: list[dict[str, Any]],
        summary: dict[str, Any],
    ) -> dict[str, Any]:
        """Every inject as played, the inject texts, sources and numbers."""
        numbers = ("injects", "moves", "secret_moves", "rulings", "rulings_by_method", "overrides")
        return {
            "injects": self.injects_as_played(),
            "inject_texts": released,
            "sources": self.sources(),
            "numbers": {key: summary[key] for key in numbers},
        }

    def add_communication(self, context: dict[str, Any]) -> None:
        """Channels and observers: their own section, and ratings beside each objective."""
        from exercise.render.communication import communication_context, observer_context

        context["communication"] = communication_context(
            self.state, self.pack, anonymise=self.anonymise, charts=self.charts
        )
        observed = observer_context(self.state, self.pack, anonymise=self.anonymise)
        context["observers"] = observed["observers"]
        for objective in context["objectives"]:
            objective["critical_tasks"] = observed["tasks"].get(objective["id"], [])

    def overview(self) -> dict[str, Any]:
        state, pack = self.state, self.pack
        m = pack.manifest
        played = self.turns_played
        if state.ended:
            status = "finished"
            status_label = f"Finished after {played} of {m.turns} turns."
        elif played == 0:
            status = "not-started"
            status_label = "Unfinished: the exercise has not started yet."
        else:
            status = "unfinished"
            status_label = (
                f"Unfinished: stopped in turn {played} of {m.turns}, "
                f"{state.phase} phase. This report covers play so far."
            )
        started, last = state.started_at, state.last_activity
        dates = _date(started) if started else ""
        if started and last and last.date() != started.date():
            dates += f" to {_date(last)}"
        return {
            "session": self.session_name,
            "title": m.title,
            "status": status,
            "finished": state.ended,
            "status_label": status_label,
            "anonymised": self.anonymise,
            "generated": self.generated.date().isoformat(),
            "generated_label": _date(self.generated),
            "dates": dates or "not started",
            "started": started.isoformat() if started else None,
            "last_activity": last.isoformat() if last else None,
            "period": f"{m.turn_label(1)} to {m.turn_label(max(played, 1))}",
            "turns_played": played,
            "turns_planned": m.turns,
            "scope": m.summary,
            "objectives": [
                {"id": o.id, "title": o.title, "description": o.description} for o in m.objectives
            ],
            "participants": self.participants(),
            "control_roles": [role_label(pack, r) for r in state.setup.control_roles],
            "seed": state.setup.seed,
        }

    def participants(self) -> list[dict[str, Any]]:
        """Each role: who played it (a player, control, nobody) and its number of moves."""
        state = self.state
        moved: dict[str, int] = {}
        for move in state.moves:
            moved[move.role] = moved.get(move.role, 0) + 1
        participants = []
        for role in self.pack.roles:
            if role.id in state.setup.players:
                played_by = "player"
            elif role.id in state.setup.control_roles:
                played_by = "control"
            else:
                played_by = "not played"
            participants.append(
                {
                    "role_id": role.id,
                    "role": role.name,
                    "short_name": role.short_name,
                    "played_by": played_by,
                    "player": self.player(role.id),
                    "moves": moved.get(role.id, 0),
                }
            )
        return participants

    def tracks(
        self, turns: list[dict[str, Any]], moves: dict[str, dict[str, Any]], titles: dict[str, str]
    ) -> list[dict[str, Any]]:
        out = []
        tension = tension_track_id(self.pack)
        for track_id, ts in self.state.tracks.items():
            definition = self.pack.tracks_by_id.get(track_id)
            initial = definition.initial if definition is not None else ts.history.get(0, ts.value)
            values = ts.by_turn(len(turns), initial)
            labels = ["Start"] + [f"T{n}" for n in range(1, len(turns) + 1)]
            changes, before = [], initial
            for c in ts.changes:
                changes.append(self.change(c, moves, titles, before))
                before = c.value
            for change in changes:
                if 1 <= change["turn"] <= len(turns):
                    turns[change["turn"] - 1]["changes"].append(
                        {**change, "track": ts.name, "track_id": track_id}
                    )
            peak, peak_turn = initial, 0
            for change in changes:
                if change["value"] > peak:
                    peak, peak_turn = change["value"], change["turn"]
            levels = []
            if definition is not None:
                levels = [{"name": lv.name, "min": lv.min} for lv in definition.levels]
            item = {
                "id": track_id,
                "name": ts.name,
                "min": ts.min,
                "max": ts.max,
                "initial": initial,
                "value": ts.value,
                "level": ts.level,
                "initial_level": definition.level_at(initial) if definition else "",
                "delta": ts.value - initial,
                "by_turn": values,
                "labels": labels,
                "peak": peak,
                "peak_turn": peak_turn,
                "peak_level": definition.level_at(peak) if definition else "",
                "levels": levels,
                "changes": changes,
                "is_tension": track_id == tension,
            }
            out.append(item)
            for n, turn in enumerate(turns, start=1):
                turn["tracks"].append(
                    {"name": ts.name, "value": values[n], "delta": values[n] - values[n - 1]}
                )
        return out

    def summary(
        self,
        released: list[dict[str, Any]],
        moves: list[dict[str, Any]],
        fired_by: dict[str, list[str]],
        tracks: list[dict[str, Any]],
    ) -> dict[str, Any]:
        injects = self.state.injects.values()
        counts = {
            "released": len(released),
            "conditional": sum(1 for i in released if i["cause"] == ReleaseCause.CONDITION),
            "adhoc": sum(1 for i in released if i["adhoc"]),
            "held": sum(1 for i in injects if i.status == InjectStatus.HELD),
            "skipped": sum(1 for i in injects if i.status == InjectStatus.SKIPPED),
            "never_fired": sum(
                1 for i in injects if i.status in (InjectStatus.PENDING, InjectStatus.QUEUED)
            ),
        }
        methods: dict[str, int] = {}
        for mv in moves:
            if mv["ruling"] is not None:
                label = mv["ruling"]["method_label"].lower()
                methods[label] = methods.get(label, 0) + 1
        tension = next((t for t in tracks if t["is_tension"]), None)
        return {
            "turns_played": self.turns_played,
            "turns_planned": self.pack.manifest.turns,
            "injects": counts,
            "moves": len(moves),
            "secret_moves": sum(1 for mv in moves if mv["secret"]),
            "rulings": sum(methods.values()),
            "rulings_by_method": methods,
            "decisive_moves": self.decisive_moves(moves, fired_by),
            "overrides": sum(1 for mv in moves if mv["ruling"] and mv["ruling"]["overridden"]),
            "peak": (
                {
                    "track": tension["name"],
                    "value": tension["peak"],
                    "level": tension["peak_level"],
                    "turn": tension["peak_turn"],
                }
                if tension
                else None
            ),
            "tracks_end": [
                {
                    "name": t["name"],
                    "initial": t["initial"],
                    "value": t["value"],
                    "level": t["level"],
                    "delta": t["delta"],
                }
                for t in tracks
            ],
        }

    def decisive_moves(
        self, moves: list[dict[str, Any]], fired_by: dict[str, list[str]]
    ) -> list[dict[str, Any]]:
        """The five moves that weighed most: the track points their rulings moved, and
        two for each inject they led to; the earlier first among equals."""
        decisive = []
        for mv in moves:
            played = self.state.moves_by_id[mv["id"]]
            weight = (
                sum(abs(d) for d in played.ruling.effects.values())
                if mv["ruling"] and played.ruling
                else 0
            )
            weight += 2 * len(fired_by.get(mv["id"], []))
            if weight:
                decisive.append((weight, -played.seq, mv))
        decisive.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [
            {**_brief_move(mv), "triggered": fired_by.get(mv["id"], [])}
            for _, _, mv in decisive[:5]
        ]

    def roles(self, moves_by_role: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        out = []
        hotwash: dict[str, list[Any]] = {}
        for entry in self.state.hotwash:
            hotwash.setdefault(entry.role, []).append(entry)
        for role in self.pack.roles:
            moves = moves_by_role.get(role.id, [])
            marked = [mv for mv in moves if mv["assessment"]["mark"]]
            topics = positions_by_topic(self.pack, role)
            for topic in topics:
                topic["decisions"] = [
                    mv for mv in moves if topic["title"] in mv["assessment"]["topics"]
                ]
            decided = [t for t in topics if t["decisions"]]
            player = self.player(role.id)
            out.append(
                {
                    "id": role.id,
                    "name": role.name,
                    "short_name": role.short_name,
                    "player": player,
                    "heading": role.name
                    if player in (role.name, role.short_name)
                    else f"{role.name} — {player}",
                    "topics": topics,
                    "decided_topics": decided,
                    "other_topics": [t["title"] for t in topics if not t["decisions"]],
                    "undeclared": [mv for mv in moves if not mv["assessment"]["topics"]],
                    "moves": moves,
                    "departures": [mv for mv in marked if mv["assessment"]["mark"] == "departure"],
                    "shifts": [mv for mv in marked if mv["assessment"]["mark"] == "shift"],
                    "hotwash": [
                        {"worked": h.worked, "did_not": h.did_not, "change": h.change}
                        for h in hotwash.get(role.id, [])
                    ],
                }
            )
        return out

    def objectives(
        self, observations: list[dict[str, Any]], released: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_objective: dict[str, list[dict[str, Any]]] = {}
        for obs, raw in zip(observations, self.state.observations, strict=True):
            by_objective.setdefault(raw.objective or "", []).append(obs)
        exercised: dict[str, list[str]] = {}
        exercised_turns: dict[str, set[int]] = {}
        for inj in self.state.released():
            for objective in inj.objectives:
                exercised.setdefault(objective, []).append(inj.title)
                exercised_turns.setdefault(objective, set()).add(inj.turn_released or 0)
        out = []
        for o in self.pack.manifest.objectives:
            notes = by_objective.pop(o.id, [])
            out.append(
                {
                    "id": o.id,
                    "title": o.title,
                    "description": o.description,
                    "capability": o.capability,
                    "rating": review.rating(self.state, o.id),
                    "injects": exercised.get(o.id, []),
                    "turns": sorted(exercised_turns.get(o.id, ())),
                    "strengths": [n for n in notes if n["kind"] == ObservationKind.STRENGTH],
                    "improvements": [n for n in notes if n["kind"] != ObservationKind.STRENGTH],
                }
            )
        rest = [n for notes in by_objective.values() for n in notes]
        if rest:
            out.append(
                {
                    "id": "",
                    "title": "Other observations",
                    "description": "Observations not tied to an exercise objective.",
                    "injects": [],
                    "turns": [],
                    "capability": "",
                    "rating": None,
                    "strengths": [n for n in rest if n["kind"] == ObservationKind.STRENGTH],
                    "improvements": [n for n in rest if n["kind"] != ObservationKind.STRENGTH],
                }
            )
        return out

    def injects_as_played(self) -> list[dict[str, Any]]:
        """Every inject: planned window, status and why. ``on_schedule`` marks one released
        as scheduled, unedited, which the timeline already tells in full: the report's
        Appendix A lists the others, a line names these."""
        state, pack = self.state, self.pack
        out = []
        for inject_id, inj in state.injects.items():
            planned = describe_window(inj.first_turn, inj.last_turn)
            if inj.status == InjectStatus.RELEASED:
                status = "released"
                reason = f"turn {inj.turn_released}: " + (
                    f"condition held — {self.spoken_condition(inject_id)}"
                    if inj.cause == ReleaseCause.CONDITION and inj.conditional
                    else (CAUSES.get(inj.cause, inj.cause) if inj.cause else "")
                )
                if inj.overruled:
                    reason += f" (its cause was later overruled: {inj.overruled})"
                if inj.edited:
                    reason += " (edited before release)"
            elif inj.status in (InjectStatus.HELD, InjectStatus.SKIPPED):
                status = str(inj.status)
                reason = self.note(inj.reason) or f"{inj.status} by control"
            else:
                status = "never fired"
                definition = pack.injects_by_id.get(inject_id)
                if self.turns_played < inj.first_turn and not state.ended:
                    reason = f"{planned} not reached"
                elif definition is not None and definition.condition is not None:
                    reason = (
                        f"its condition did not hold in {planned}: "
                        f"{self.spoken_condition(inject_id)}"
                    )
                else:
                    reason = "not released"
            out.append(
                {
                    "id": inject_id,
                    "title": inj.title,
                    "kind": kind_label(inj.kind),
                    "planned": "ad hoc" if inj.adhoc else planned,
                    "conditional": inj.conditional,
                    "status": status,
                    "reason": reason,
                    "turn_released": inj.turn_released
                    if inj.status == InjectStatus.RELEASED
                    else None,
                    "on_schedule": inj.status == InjectStatus.RELEASED
                    and inj.cause == ReleaseCause.SCHEDULED
                    and not inj.edited
                    and not inj.overruled,
                    "audience": audience_label(pack, inj.audience),
                }
            )
        return out

    def sources(self) -> list[dict[str, Any]]:
        return bibliography(self.pack, cited_only=True)

    def make_charts(self, tracks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The tension track by turn, then one chart per pair track."""
        from exercise.render.charts import track_chart

        charts = []
        for track in tracks:
            definition = self.pack.tracks_by_id.get(track["id"])
            pair = definition is not None and definition.scope != "global"
            if track["is_tension"] or pair:
                svg, legend = track_chart(track)
                charts.append(
                    {
                        "kind": "tension" if track["is_tension"] else "pair",
                        "track_id": track["id"],
                        "track": track["name"],
                        "svg": svg,
                        "legend": legend,
                    }
                )
        charts.sort(key=lambda chart: chart["kind"] != "tension")
        return charts


def _brief_move(mv: dict[str, Any]) -> dict[str, Any]:
    ruling = mv["ruling"]
    return {
        "id": mv["id"],
        "turn": mv["turn"],
        "role": mv["role"],
        "text": mv["text"],
        "outcome": ruling["outcome"] if ruling else "not ruled",
        "effects": ruling["effects"] if ruling else "",
    }


def _move_citation(move: dict[str, Any] | None, turn: int) -> str:
    """ "move 2 (ROK)": a move by its number in the timeline (and its turn, if another)."""
    if move is None or "number" not in move:
        return ""
    where = "" if move["turn"] == turn else f" of turn {move['turn']}"
    return f"move {move['number']}{where} ({move['role']})"


def _file_by_turn(turns: list[dict[str, Any]], key: str, items: list[dict[str, Any]]) -> None:
    """Add each item (with its ``turn``) to the list ``key`` of its turn, if played."""
    for item in items:
        n = item["turn"]
        if n is not None and 1 <= n <= len(turns):
            turns[n - 1][key].append(item)


def _group_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A turn's track changes by cause, in the order the causes came: one line each."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        key = (change["cause"], change["why"])
        group = groups.setdefault(
            key, {"why": change["why"], "source": change["source"], "changes": []}
        )
        group["changes"].append(change)
    return list(groups.values())


#: Keys that hold a chart's drawing (its SVG and the legend printed under it)
_DRAWING = ("svg", "legend", "chart", "chart_legend")


def _undrawn(part: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in part.items() if k not in _DRAWING}


def json_view(context: dict[str, Any]) -> dict[str, Any]:
    """The report as JSON: the same data without the charts' drawings: the report's own,
    the messages chart and a what-if comparison's."""
    view = {**context, "charts": [_undrawn(chart) for chart in context["charts"]]}
    if context.get("communication"):
        view["communication"] = _undrawn(context["communication"])
    comparison = context.get("comparison")
    if comparison:
        view["comparison"] = {
            **comparison,
            "charts": [_undrawn(chart) for chart in comparison.get("charts", [])],
        }
    return view


def build_report_context(
    state: ExerciseState,
    pack: Pack,
    *,
    session_name: str,
    generated: dt.datetime,
    anonymise: bool = False,
    charts: bool = True,
) -> dict[str, Any]:
    """The whole report as plain data (what the templates see and JSON output holds)."""
    from exercise.render.jinja_env import gc_paused

    with gc_paused():
        return ReportBuilder(
            state,
            pack,
            session_name=session_name,
            generated=generated,
            anonymise=anonymise,
            charts=charts,
        ).build()
