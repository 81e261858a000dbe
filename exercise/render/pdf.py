"""HTML to PDF through WeasyPrint, an optional extra (``pip install "exercise[pdf]"``).

WeasyPrint is imported only when a PDF is asked for (it costs about a second), and it
may fetch nothing: the fetcher refuses every URL but inline ``data:`` ones, so a
template cannot read local files or reach the network through an ``<img>`` or a
stylesheet (what it refuses is left out of the PDF).
"""

from __future__ import annotations

from typing import Any

from exercise.problems import UserError

INSTALL_HINT = (
    'PDF output needs WeasyPrint: pip install "exercise[pdf]"; on Debian or Ubuntu it also '
    "needs Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core "
    "(and fonts-noto-cjk for Korean, Japanese and Chinese text)"
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise UserError(f"{INSTALL_HINT} ({type(exc).__name__}: {exc})") from None
    return weasyprint


def pdf_available() -> bool:
    """True when WeasyPrint and its libraries load."""
    try:
        _weasyprint()
    except UserError:
        return False
    return True


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The fetcher for WeasyPrint before its URLFetcher class: ``data:`` URLs only."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        fetched: dict[str, Any] = default_url_fetcher(url)
        return fetched
    raise ValueError(f"reports may not load external resources ({url[:80]})")


def _fetcher() -> Any:
    """A fetcher that loads ``data:`` URLs and refuses every other one (WeasyPrint then
    leaves the image or stylesheet out and goes on). Newer WeasyPrint takes a
    ``URLFetcher`` (a plain function there fails on the first URL); older, a function."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):
        return urls.URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    return _refuse_fetch


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document to PDF bytes."""
    return html_to_pdf_pages(html)[0]


def html_to_pdf_pages(html: str) -> tuple[bytes, int]:
    """PDF bytes and the number of pages (for benchmarks and checks).

    The cyclic garbage collector is paused meanwhile: WeasyPrint makes millions of
    short-lived objects, and collecting them as it goes costs a few percent.
    """
    from exercise.render.jinja_env import gc_paused

    weasyprint = _weasyprint()
    with gc_paused():
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_fetcher()).render()
        return document.write_pdf(), len(document.pages)
