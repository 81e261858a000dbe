"""The web server of ``exercise serve``: textual-serve, with an offline page and one URL
per view.

textual-serve's ``Server`` runs one command for every tab and names a web font on the
internet in its page. This subclass serves its own template (the bundled font through
``@font-face``, nothing from outside), answers ``/`` and ``/<view>`` (``board``,
``control``, a played role or ``observer:<id>``: the tab opens on that choice's PIN),
starts each tab as
``exercise.serving.tab`` on the session, and can serve HTTPS.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from exercise.serving.tab import command

log = logging.getLogger("textual-serve")
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"


class ExerciseServer(Server):
    """Serve one session: a sign-in page per tab, each tab its own app process."""

    def __init__(
        self,
        session: Path,
        views: set[str],
        *,
        host: str,
        port: int,
        title: str,
        ssl_context: ssl.SSLContext | None = None,
        on_start: Callable[[], None] | None = None,
        pins_required: bool = False,
    ) -> None:
        scheme = "https" if ssl_context else "http"
        super().__init__(
            command(session, pins_required=pins_required),
            host=host,
            port=port,
            title=title,
            public_url=f"{scheme}://{host}:{port}",
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.session = session
        self.views = views
        self.ssl_context = ssl_context
        self.on_start = on_start
        self.pins_required = pins_required

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/{view}", self.handle_websocket, name="view-websocket"),
                web.static("/static", self.statics_path, name="static"),
                web.get("/{view}", self.handle_index, name="view"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    async def on_startup(self, app: web.Application) -> None:
        if self.on_start is not None:
            self.on_start()

    def _view(self, request: web.Request) -> str | None:
        view = request.match_info.get("view")
        if view is not None and view not in self.views:
            raise web.HTTPNotFound(text=f"no view {view!r} in this exercise")
        return view

    async def handle_index(self, request: web.Request) -> web.Response:
        view = self._view(request)
        context: dict[str, Any] = {
            "title": self.title,
            "static": "/static/",
            "font_size": max(8, min(40, _int(request.query.get("fontsize"), 16))),
            "websocket_path": f"/ws/{view}" if view else "/ws",
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Like textual-serve's, with the tab's command made for this view and peer."""
        view = self._view(request)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: AppService | None = None

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            service = AppService(
                command(self.session, view, request.remote or "", pins_required=self.pins_required),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
        return websocket

    def serve(self, debug: bool = False) -> None:
        """textual-serve's ``serve``, with TLS when a certificate was given."""
        import signal

        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        except NotImplementedError:
            pass
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            ssl_context=self.ssl_context,
            print=lambda *args: None,
        )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default
