"""The maps' tile server (settings.MAP_TILE_URL), as the Content-Security-Policy must name it."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def tile_origin(url: str) -> str | None:
    """The origin a tile address loads images from, as a CSP source (None: this site's own)."""
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(f"MAP_TILE_URL must hold {{z}}, {{x}} and {{y}}, not {url!r}")
    if url.startswith("/") and not url.startswith("//"):
        return None
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}.", "*.", 1) if parts.netloc.startswith("{s}.") else parts.netloc
    if parts.scheme not in ("https", "http") or not host or "{" in host or "/" in host:
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an http(s) address or a path on this site, not {url!r}")
    return f"{parts.scheme}://{host}"
