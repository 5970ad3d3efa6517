"""The browser's files, all served by the gateway itself: the portals' own CSS and JS, and the few files the
pages need from the npm packages in `node_modules` (installed by `make install` from package-lock.json).

Nothing comes from a CDN: the API documentation (`/docs`) loads Swagger UI from here too, and starts it with a
script file, not an inline script.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
NODE_MODULES = WEB / "node_modules"
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts.common.min.js": "echarts/dist/echarts.common.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""The only files of node_modules the gateway serves (the packages' other files stay on disk)."""
CACHE = "public, max-age=3600"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
         ".svg": "image/svg+xml", ".ico": "image/x-icon"}

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def _file(path: Path) -> FileResponse:
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type=TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"cache-control": CACHE})


@router.get("/static/vendor/{name}")
def vendor(name: str) -> FileResponse:
    """One of the listed files of the npm packages."""
    if name not in VENDOR:
        raise HTTPException(404)
    path = NODE_MODULES / VENDOR[name]
    if not path.is_file():
        log.warning("web asset %s missing: run `make install` (npm ci in gateway/web)", VENDOR[name])
    return _file(path)


@router.get("/static/{folder}/{name}")
def own(folder: str, name: str) -> FileResponse:
    """The portals' own style sheets, scripts and images."""
    if folder not in ("css", "js", "img") or "/" in name or name.startswith("."):
        raise HTTPException(404)
    return _file(STATIC / folder / name)


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Paizhu 派驻监督平台 — API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head>
<body><main><h1 class="visually-hidden">Paizhu API</h1><div id="swagger-ui" data-openapi="{openapi}"></div></main>
<script src="/static/vendor/swagger-ui-bundle.js"></script><script src="/static/js/docs.js"></script>
</body></html>"""


DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def install(app: FastAPI) -> None:
    """Serve the assets and the offline API documentation at `/docs`."""
    app.include_router(router)
    openapi = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the gateway's own files (works without internet)."""
        return HTMLResponse(DOCS_PAGE.replace("{openapi}", openapi), headers={"content-security-policy": DOCS_POLICY})
