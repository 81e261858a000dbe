"""``exercise serve SESSION [--host H] [--port P]``: every player on their own screen.

Serves the session to browsers with textual-serve (the ``serve`` extra). Each tab signs
in as the Board, a seat, Control or an observer and runs its own app process on the
session journal. Beyond loopback, every played role and control must have a PIN, or
nothing is served, and an observer without a PIN is not offered.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import ssl
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from exercise.problems import UserError

if TYPE_CHECKING:
    from exercise.engine import Session

INSTALL = 'exercise serve needs the serve extra: pip install -e ".[serve]"'


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def missing_pins(session: Session) -> list[str]:
    """Who could be impersonated from the network: played roles and control without PINs."""
    missing = [] if session.has_pin("control") else ["control"]
    return missing + [role for role in session.state.setup.players if not session.has_pin(role)]


def lan_address(host: str) -> str:
    """The address to give players: the host itself, or this machine's name's address."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return socket.gethostname()


def _ssl_context(args: argparse.Namespace) -> ssl.SSLContext | None:
    if not args.certfile and not args.keyfile:
        return None
    if not args.certfile:
        raise UserError("--keyfile needs --certfile")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(args.certfile, args.keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise UserError(f"{args.certfile}: cannot use this certificate and key ({exc})") from None
    return context


def _print_start(url: str, views: list[tuple[str, str]], context: object, local: bool) -> None:
    print(f"Serving the exercise at {url}/ (sign in as the Board, a seat, Control or an observer)")
    for view, label in views:
        print(f"  {label:<40} {url}/{view}")
    if context is None:
        print(
            "Warning: the connection is not encrypted. PINs and everything on screen cross "
            "the network in clear; use --certfile and --keyfile to serve HTTPS."
        )
    if not local:
        try:
            import qrcode

            code = qrcode.QRCode(border=1)
            code.add_data(url + "/")
            code.print_ascii(invert=True)
        except ImportError:
            pass
    print("Press Ctrl+C to stop.", flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        from exercise.serving.server import ExerciseServer
    except ImportError:
        raise UserError(INSTALL) from None
    from exercise.engine import Session
    from exercise.engine.store import resolve_session
    from exercise.ui.screens.signin import choices

    path = resolve_session(args.session).resolve()
    local = is_loopback(args.host)
    with Session.open(path) as session:
        views = [(view, label.plain) for view, label in choices(session, pins_required=not local)]
        title = session.state.setup.name or session.pack.manifest.title
        missing = missing_pins(session)
    if not local and missing:
        raise UserError(
            f"serving on {args.host} lets anyone on the network open a seat or Control, so "
            f"every played role and control needs a PIN; missing: {', '.join(missing)}. "
            "Set them when you create the session, or serve on 127.0.0.1"
        )
    context = _ssl_context(args)
    scheme = "https" if context else "http"
    address = lan_address(args.host)
    shown = f"[{address}]" if ":" in address else address
    url = f"{scheme}://{shown}:{args.port}"
    server = ExerciseServer(
        Path(path),
        {view for view, _ in views},
        host=args.host,
        port=args.port,
        title=title,
        ssl_context=context,
        on_start=lambda: _print_start(url, views, context, local),
        pins_required=not local,
    )
    try:
        server.serve()
    except OSError as exc:
        print(
            f"exercise: error: cannot serve on {args.host}:{args.port} ({exc.strerror or exc})",
            file=sys.stderr,
        )
        return 2
    return 0
