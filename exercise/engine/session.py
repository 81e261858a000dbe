"""A session: one play of a pack, driven by operations that each append to the journal.

Every operation checks that it makes sense now (phase, ids, values), writes its event
(and the inject releases it causes) in one durable transaction, and only then returns.
The live ``state`` is exactly the replay of the journal: operations apply the same
events, through the same ``apply``, that a resume would.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise.engine import events as ev
from exercise.engine import pin_guard
from exercise.engine.base import rebuild
from exercise.engine.errors import EngineError, SessionError
from exercise.engine.events import encode_body
from exercise.engine.journal import Journal, Row
from exercise.engine.ops_channels import ChannelOps
from exercise.engine.ops_injects import InjectOps
from exercise.engine.ops_moves import MoveOps
from exercise.engine.ops_notes import NoteOps
from exercise.engine.ops_observers import ObserverOps
from exercise.engine.ops_review import ReviewOps
from exercise.engine.ops_turns import TurnOps
from exercise.engine.reduce import apply
from exercise.engine.replay import session_pack
from exercise.pack.models import Pack
from exercise.text import one_line
from exercise.vocab import ReleaseMode


@dataclass(slots=True)
class SessionSetup:
    """Who plays which role, optional PINs, the seed for dice and chance, a name."""

    players: dict[str, str] = field(default_factory=dict)
    control_roles: list[str] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    name: str = ""
    release: str = ""  # automatic | staged; empty: as the pack says
    observers: dict[str, str] = field(default_factory=dict)  # observer's name -> PIN


def _one_line(name: Any) -> Any:
    return one_line(name) if isinstance(name, str) else name


def _validate_setup(pack: Pack, setup: SessionSetup) -> None:
    roles = pack.roles_by_id
    for role in [*setup.players, *setup.control_roles]:
        if role not in roles:
            raise EngineError(f"there is no role '{role}' in the pack ({', '.join(roles)})")
    both = set(setup.players) & set(setup.control_roles)
    if both:
        raise EngineError(f"role {sorted(both)[0]} cannot be both a player and control-played")
    if any(not str(name).strip() for name in setup.observers):
        raise EngineError("an observer needs a name")
    for who in setup.pins:
        if who != "control" and who not in roles:
            raise EngineError(f"a PIN is set for '{who}', which is neither 'control' nor a role")
    if not isinstance(setup.seed, int):
        raise EngineError("the seed must be a whole number")
    if setup.release not in ("", *ReleaseMode):
        raise EngineError("release is 'automatic' or 'staged'")


class Session(TurnOps, InjectOps, MoveOps, NoteOps, ReviewOps, ChannelOps, ObserverOps):
    """An open session. Create with ``Session.create`` or resume with ``Session.open``.

    The operations live in ``ops_*.py`` by subject; all of them write through
    ``SessionBase._write``.
    """

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def _meta(pack: Pack, setup: SessionSetup, now: dt.datetime) -> dict[str, str]:
        pins = {who: pin_guard.hash_pin(pin) for who, pin in setup.pins.items() if pin}
        for n, (_, pin) in enumerate(setup.observers.items(), start=1):
            if pin:
                pins[pin_guard.observer_pin_key(f"o{n}")] = pin_guard.hash_pin(pin)
        return {
            "pack_id": pack.manifest.id,
            "pack_hash": pack.content_hash,
            "pack_path": str(Path(pack.root).resolve()),
            "created": now.isoformat(),
            "pins": json.dumps(pins, sort_keys=True),
        }

    @staticmethod
    def _created_body(pack: Pack, setup: SessionSetup) -> dict[str, Any]:
        body: dict[str, Any] = {
            "pack_id": pack.manifest.id,
            "setup": {
                # names are single-line: a line break would make a heading in a report
                "players": {role: _one_line(name) for role, name in setup.players.items()},
                "control_roles": list(setup.control_roles),
                "name": _one_line(setup.name),
                "seed": setup.seed,
            },
        }
        if setup.release:
            body["setup"]["release"] = setup.release
        if setup.observers:  # left out otherwise, so older sessions read the same
            body["setup"]["observers"] = [
                {"id": f"o{n}", "name": name} for n, name in enumerate(setup.observers, start=1)
            ]
        return body

    @classmethod
    def create(
        cls, path: Path | str, pack: Pack, setup: SessionSetup, *, now: dt.datetime
    ) -> Session:
        """Start a new session file at ``path`` (which must not exist). Releases nothing."""
        _validate_setup(pack, setup)
        journal = Journal.create(
            Path(path), cls._meta(pack, setup, now), [cls._first_row(pack, setup, now)]
        )
        return cls(journal, pack, rebuild(pack, journal))

    @classmethod
    def memory(cls, pack: Pack, setup: SessionSetup, *, now: dt.datetime) -> Session:
        """A session whose journal lives only in memory (previews and tests)."""
        _validate_setup(pack, setup)
        journal = Journal.memory(cls._meta(pack, setup, now), [cls._first_row(pack, setup, now)])
        return cls(journal, pack, rebuild(pack, journal))

    @classmethod
    def _first_row(cls, pack: Pack, setup: SessionSetup, now: dt.datetime) -> Row:
        if not isinstance(now, dt.datetime):
            raise EngineError("now must be a datetime")
        body = encode_body(cls._created_body(pack, setup))
        return (1, now.isoformat(), "control", ev.SESSION_CREATED, body)

    @classmethod
    def open(
        cls,
        path: Path | str,
        pack: Pack | None = None,
        *,
        accept_changed_pack: bool = False,
        readonly: bool = False,
    ) -> Session:
        """Resume a session: check the file and the pack, then replay the journal.

        ``readonly`` (commands that only read) changes nothing in the file: an accepted
        pack change is not recorded, and operations fail. A damaged event is refused as
        ``PATH: event N (type): what is wrong``.
        """
        path = Path(path)
        journal = Journal.open(path, readonly=readonly)
        try:
            pack = cls._check_pack(journal, pack, accept_changed_pack, record=not readonly)
            try:
                first = journal.first_event()
                if first is None or first.type != ev.SESSION_CREATED:
                    raise SessionError(f"{path} is a session journal without its first event")
                state = rebuild(pack, journal)
            except ev.EventError as exc:
                raise SessionError(f"{path}: {exc}") from None
        except BaseException:
            journal.close()
            raise
        return cls(journal, pack, state)

    @staticmethod
    def _check_pack(
        journal: Journal, pack: Pack | None, accept_changed: bool, *, record: bool = True
    ) -> Pack:
        meta = journal.meta
        pack = session_pack(meta, pack, accept_changed, flags=False)
        if record and meta.get("pack_hash") and meta["pack_hash"] != pack.content_hash:
            history = json.loads(meta.get("pack_hash_history", "[]"))
            history.append(meta["pack_hash"])
            journal.set_meta("pack_hash_history", json.dumps(history))
            journal.set_meta("pack_hash", pack.content_hash)
            journal.set_meta("pack_path", str(Path(pack.root).resolve()))
        return pack

    @property
    def path(self) -> Path | None:
        return self.journal.path

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Apply events other processes committed; True if there were any."""
        return bool(self.refresh_events())

    def refresh_events(self) -> list[ev.Event]:
        """Apply events other processes committed and return them (a cheap no-op, one
        ``PRAGMA data_version``, when nobody wrote)."""
        version = self.journal.data_version()
        if version == self._data_version:
            return []
        self._data_version = version
        new = list(self.journal.events(after_seq=self.state.last_seq))
        for event in new:
            apply(self.state, event)
        return new

    def check_pin(self, who: str, pin: str) -> bool:
        """True when ``pin`` is ``who``'s PIN, or when ``who`` has none."""
        stored = self._pins().get(who)
        return True if not stored else pin_guard.pin_matches(stored, pin)

    def has_pin(self, who: str) -> bool:
        return who in self._pins()

    def _pins(self) -> dict[str, str]:
        """The PIN hashes as stored now: another process may have named an observer
        with a PIN since this one opened the session."""
        try:
            text = self.journal.read_meta("pins")
        except sqlite3.Error:  # the meta read when the session was opened
            text = self.journal.meta.get("pins")
        return dict(json.loads(text or "{}"))

    def pin_wait(self, who: str, *, now: dt.datetime) -> float:
        """Seconds before a PIN try for ``who`` counts (0 when it may be tried now)."""
        try:
            records = pin_guard.load(self.journal.read_meta(pin_guard.META_KEY))
        except sqlite3.Error:
            return 0.0
        return pin_guard.remaining(records.get(who), now)

    def try_pin(self, who: str, pin: str, *, now: dt.datetime) -> pin_guard.PinCheck:
        """Check ``pin`` for ``who``, counting wrong tries in the session file; a try
        made before the wait is over is refused unchecked."""
        result: list[pin_guard.PinCheck] = []

        def change(text: str | None) -> str | None:
            records = pin_guard.load(text)
            record = records.get(who)
            wait = pin_guard.remaining(record, now)
            if wait > 0:
                result.append(pin_guard.PinCheck(False, wait, refused=True))
                return None
            if self.check_pin(who, pin):
                result.append(pin_guard.PinCheck(True))
                if record is None:
                    return None
                records.pop(who, None)
            else:
                records[who] = pin_guard.failed(record, now)
                result.append(pin_guard.PinCheck(False, pin_guard.remaining(records[who], now)))
            return json.dumps(records, sort_keys=True)

        try:
            self.journal.update_meta(pin_guard.META_KEY, change)
        except sqlite3.Error:  # a session on read-only media: check, without counting
            return pin_guard.PinCheck(self.check_pin(who, pin))
        return result[0]
