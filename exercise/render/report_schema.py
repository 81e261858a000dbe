"""JSON Schema of ``exercise report --format json`` (``exercise schema --file report``).

The report's JSON is the data its templates see, without the charts' SVG. The schema
pins what other tools may rely on: ids beside names, ISO dates, numbers as numbers and
the delta each change applied; objects may carry more keys than listed.
"""

from __future__ import annotations

from typing import Any

from exercise.vocab import ImprovementStatus, ObservationKind, Outcome

SCHEMA_VERSION = 2


def _obj(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {"type": "object", "required": sorted(required), "properties": {**required, **optional}}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NULL_STR = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
EFFECTS = {"type": "object", "additionalProperties": INT}

RULING = _obj(
    {
        "method": STR,
        "outcome": {"enum": [outcome.value for outcome in Outcome]},
        "effects_applied": EFFECTS,
        "overridden": BOOL,
    },
    narrative=STR,
    narrative_shown=STR,
    dice={"type": ["array", "null"], "items": INT},
    total={"type": ["integer", "null"]},
)
MOVE = _obj(
    {
        "id": STR,
        "turn": INT,
        "role_id": STR,
        "role": STR,
        "kind": STR,
        "text": STR,
        "secret": BOOL,
        "tags": _list(STR),
        "ruling": {"oneOf": [{"type": "null"}, RULING]},
    }
)
INJECT = _obj(
    {
        "id": STR,
        "title": STR,
        "kind": STR,
        "turn": {"type": ["integer", "null"]},
        "cause": STR,
        "effects_applied": EFFECTS,
        "priority": {"enum": ["core", "optional"]},
    },
    body=STR,
)
CHANGE = _obj(
    {
        "turn": INT,
        "delta": INT,
        "asked": INT,
        "value": INT,
        "cause": {"enum": ["inject", "ruling", "override", "control"]},
        "source": {"enum": ["scripted", "player-driven"]},
        "why": STR,
    }
)
OBSERVATION = _obj(
    {
        "id": STR,
        "turn": INT,
        "kind": {"enum": [kind.value for kind in ObservationKind]},
        "text": STR,
        "analysis": STR,
        "recommendation": STR,
    },
    role_id=NULL_STR,
    inject_id=NULL_STR,
    objective_id=NULL_STR,
)
RATING = _obj({"code": {"enum": ["P", "S", "M", "U"]}, "label": STR, "analysis": STR})

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "After-action report",
    "description": "exercise report --format json",
    **_obj(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "kind": {"const": "after_action_report"},
            "overview": _obj(
                {
                    "session": STR,
                    "title": STR,
                    "status": STR,
                    "finished": BOOL,
                    "generated": DATE,
                    "started": DATETIME,
                    "last_activity": DATETIME,
                    "turns_played": INT,
                    "turns_planned": INT,
                    "seed": INT,
                    "participants": _list(
                        _obj({"role_id": STR, "role": STR, "played_by": STR, "moves": INT})
                    ),
                }
            ),
            "summary": _obj(
                {
                    "narrative": _list(STR),
                    "drafted": BOOL,
                    "strengths": _list(OBSERVATION),
                    "areas": _list(OBSERVATION),
                    "moves": INT,
                    "rulings": INT,
                    "overrides": INT,
                }
            ),
            "turns": _list(
                _obj(
                    {
                        "number": INT,
                        "label": STR,
                        "synopsis": _list(STR),
                        "injects": _list(INJECT),
                        "moves": _list(MOVE),
                        "changes": _list(CHANGE),
                        "control": _list(_obj({"kind": STR, "text": STR, "turn": INT})),
                    }
                )
            ),
            "roles": _list(_obj({"id": STR, "name": STR, "moves": _list(MOVE)})),
            "objectives": _list(
                _obj(
                    {
                        "id": STR,
                        "title": STR,
                        "rating": {"oneOf": [{"type": "null"}, RATING]},
                        "strengths": _list(OBSERVATION),
                        "improvements": _list(OBSERVATION),
                    }
                )
            ),
            "improvements": _list(
                _obj(
                    {
                        "id": STR,
                        "objective_id": STR,
                        "area_id": NULL_STR,
                        "action": STR,
                        "element": STR,
                        "organisation": STR,
                        "poc": STR,
                        "start": {"oneOf": [{"type": "null"}, DATE]},
                        "completion": DATE,
                        "status": {"enum": [status.value for status in ImprovementStatus]},
                        "overdue": BOOL,
                    }
                )
            ),
            "tracks": _list(
                _obj(
                    {
                        "id": STR,
                        "name": STR,
                        "min": INT,
                        "max": INT,
                        "initial": INT,
                        "value": INT,
                        "by_turn": _list(INT),
                        "changes": _list(CHANGE),
                    }
                )
            ),
            "charts": _list(_obj({"kind": STR, "track_id": STR, "track": STR}, svg={"not": {}})),
            "appendix": _obj(
                {"injects": _list(_obj({"id": STR, "status": STR})), "inject_texts": _list(INJECT)}
            ),
        }
    ),
}
