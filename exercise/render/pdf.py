"""HTML to PDF through WeasyPrint, an optional extra (``pip install "exercise[pdf]"``).

WeasyPrint is imported only when a PDF is asked for (it costs about a second), and it
may fetch nothing: the fetcher refuses every URL but inline ``data:`` ones, so a
template cannot read local files or reach the network through an ``<img>`` or a
stylesheet.
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
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        fetched: dict[str, Any] = default_url_fetcher(url)
        return fetched
    raise ValueError(f"reports may not load external resources ({url[:80]})")


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document to PDF bytes."""
    return html_to_pdf_pages(html)[0]


def html_to_pdf_pages(html: str) -> tuple[bytes, int]:
    """PDF bytes and the number of pages (for benchmarks and checks)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).render()
    return document.write_pdf(), len(document.pages)
