"""Point a built site's sitemap at the address a test or benchmark serves it from."""

from __future__ import annotations

from pathlib import Path


def write_sitemap(site: Path, base: str) -> None:
    """List every page under `base`, the URL the site is served from.

    Material's instant navigation only takes over links whose path and port are in
    sitemap.xml; MkDocs wrote them for the configured site_url, not for a test port.
    """
    urls = "".join(
        f"<url><loc>{base}{path.relative_to(site).as_posix()}</loc></url>"
        for path in sorted(site.rglob("*.html"))
    )
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    # A server with precompressed copies (nginx gzip_static) would send the stale one.
    (site / "sitemap.xml.gz").unlink(missing_ok=True)
