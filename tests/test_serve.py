"""``exercise serve``: the page and its assets come from this machine only, every view has
its URL, and binding beyond loopback needs every PIN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from engine_support import ENGINE_PACK, engine_pack, minutes
from serve_support import fetch, serving

from exercise.cli import main
from exercise.engine import Session, SessionSetup
from exercise.engine.commands import AddObserver

pytest.importorskip("textual_serve", reason='needs the serve extra: pip install -e ".[serve]"')

REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""")
COMMENT = re.compile(r"/\*.*?\*/|<!--.*?-->", re.DOTALL)
EXTERNAL = re.compile(r"""[a-z][a-z0-9+.-]*://|["'(]\s*//""", re.IGNORECASE)


def make_session(path: Path, pins: dict[str, str]) -> Path:
    setup = SessionSetup(
        players={"usa": "Ann", "rok": "Min"}, control_roles=["dprk"], pins=pins, name="Served"
    )
    Session.create(path, engine_pack(), setup, now=minutes(0)).close()
    return path


def test_beyond_loopback_every_pin_is_needed(tmp_path: Path, capsys) -> None:
    path = make_session(tmp_path / "open.session", {"usa": "1111"})
    assert main(["serve", str(path), "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "needs a PIN" in err and "control" in err and "rok" in err and "usa" not in err
    assert main(["serve", str(path), "--certfile", str(tmp_path / "none.pem")]) == 2
    assert "none.pem" in capsys.readouterr().err


def test_the_page_and_every_asset_it_names_are_served_from_here(tmp_path: Path) -> None:
    path = make_session(tmp_path / "served.session", {"usa": "1", "rok": "2", "control": "3"})
    with Session.open(path, engine_pack()) as session:
        session.execute(AddObserver("Dana", "4"), now=minutes(1))
    with serving(path) as (base, printed):
        for view in ("board", "usa", "rok", "dprk", "control", "observer:o1"):
            assert f"{base}/{view}" in printed
        assert "not encrypted" in printed
        seen: set[str] = set()
        todo = ["/", "/usa"]
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            status, body, kind = fetch(base + ref)
            assert status == 200 and body, ref
            if kind in ("text/html", "text/css"):
                text = COMMENT.sub("", body.decode("utf-8"))  # comments load nothing
                assert not EXTERNAL.search(text), f"{ref} names something outside: " + (
                    EXTERNAL.search(text).group(0)
                )
                for match in REFERENCE.finditer(text):
                    target = match.group(1) or match.group(2)
                    if not target.startswith(("data:", "#")):
                        todo.append(target if target.startswith("/") else "/static/css/" + target)
        assert {
            "/static/js/textual.js",
            "/static/css/xterm.css",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf",
        } <= seen
        assert b"/ws/usa" in fetch(base + "/usa")[1]
        assert b"/ws/observer:o1" in fetch(base + "/observer:o1")[1]
        assert fetch(base + "/nobody")[0] == 404
        assert fetch(base + "/ws/nobody")[0] == 404
        assert fetch(base + "/static/")[0] in (403, 404)  # no listing of the files
    assert ENGINE_PACK.is_dir()


def test_beyond_loopback_an_observer_without_a_pin_is_not_offered(tmp_path: Path) -> None:
    from exercise.commands.serve import missing_pins
    from exercise.ui.screens.signin import choices, pin_owner

    path = make_session(tmp_path / "observed.session", {"usa": "1", "rok": "2", "control": "3"})
    with Session.open(path, engine_pack()) as session:
        session.execute(AddObserver("Dana", "4"), now=minutes(1))
        session.execute(AddObserver("Lee"), now=minutes(1))  # no PIN: anyone could read through it
        here = [view for view, _ in choices(session)]
        beyond = [view for view, _ in choices(session, pins_required=True)]
        assert missing_pins(session) == []  # observers do not stop the serving
        assert pin_owner(session, "observer:o1") == "observer:o1"
    assert here[-2:] == ["observer:o1", "observer:o2"]
    assert beyond == here[:-1]


def test_start_message_names_every_view_warns_and_shows_a_qr_code_beyond_loopback(capsys):
    from exercise.commands.serve import _print_start, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    views = [("board", "Board"), ("usa", "Seat: USA"), ("control", "Control")]
    _print_start("http://192.168.1.20:8000", views, None, local=False)
    out = capsys.readouterr().out
    for view in ("board", "usa", "control"):
        assert f"http://192.168.1.20:8000/{view}" in out
    assert "not encrypted" in out and "--certfile" in out
    assert "█" in out or "▀" in out or "▄" in out  # the QR code of the address
    _print_start("https://127.0.0.1:8000", views, object(), local=True)
    out = capsys.readouterr().out
    assert "not encrypted" not in out and "▀" not in out


def test_without_the_serve_extra_it_says_what_to_install(tmp_path, monkeypatch, capsys):
    import sys

    assert main(["serve", str(tmp_path / "missing.session")]) == 2
    assert "no session" in capsys.readouterr().err
    path = make_session(tmp_path / "x.session", {})
    monkeypatch.setitem(sys.modules, "exercise.serving.server", None)  # as if not installed
    assert main(["serve", str(path)]) == 2
    assert 'pip install -e ".[serve]"' in capsys.readouterr().err
