"""Server-rendered pages: one Jinja2 environment (HTML escaped), the context every page gets (the user, the
language, the CSRF token, the portal's navigation, `org(id)` and `who(user_id)` for names instead of ids), and
the headers pages carry (their CSP allows scripts from the gateway only: no inline script anywhere)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

import authz
from gateway.web import forms, i18n, names

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
               "form-action 'self'")
"""Scripts only from the gateway's own files; styles may be set by the chart library at run time."""
VERSION = "1"
"""Appended to asset URLs (`?v=`) so that browsers fetch them again after an upgrade."""

environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True)
environment.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False, default=str)

PORTALS = (
    ("hq", "/hq", "nav.hq", authz.HQ_ROLES | authz.AUDIT_ROLES),
    ("group", "/group", "nav.group", authz.GROUP_ROLES),
    ("clues", "/group/clues", "nav.clues", authz.GROUP_ROLES),
    ("feedback", "/group/feedback", "pages.nav.feedback", authz.GROUP_ROLES),
    ("activities", "/group/activities", "pages.nav.activities", authz.GROUP_ROLES | authz.HQ_ROLES | authz.AUDIT_ROLES),
    ("channel", "/group/channel", "pages.nav.channel", authz.GROUP_ROLES),
    ("people", "/group/people", "pages.nav.people", authz.GROUP_ROLES | authz.HQ_ROLES | authz.AUDIT_ROLES),
    ("meetings", "/group/meetings", "sup.nav.meetings", authz.GROUP_ROLES),
    ("network", "/group/network", "sup.nav.network", authz.GROUP_ROLES),
    ("accountability", "/group/accountability", "sup.nav.accountability", authz.GROUP_ROLES),
    ("inspection", "/inspection", "nav.inspection", authz.TEAM_ROLES | authz.GROUP_ROLES | authz.HQ_ROLES),
    ("unit", "/unit", "nav.unit", authz.UNIT_ROLES),
    ("ecology", "/ecology", "nav.ecology", authz.HQ_ROLES | authz.AUDIT_ROLES | authz.GROUP_ROLES),
)
"""(name, path, label key, roles that see it in the navigation)."""


def home_of(principal: authz.Principal) -> str:
    """Where a user lands after sign-in: their organisation's portal."""
    return {"hq": "/hq", "audit": "/hq", "group": "/group", "unit": "/unit",
            "inspection_team": "/inspection"}.get(principal.org_kind, "/")


def translator(request: Request) -> i18n.Translator:
    return i18n.Translator(i18n.language_of(request.cookies.get(i18n.COOKIE)))


def page(request: Request, template: str, *, principal: authz.Principal | None = None, status_code: int = 200,
         active: str = "", **context: Any) -> HTMLResponse:
    """Render a page for `principal` (None on the sign-in and error pages shown to nobody in particular)."""
    tr = translator(request)
    nav = [] if principal is None else [
        {"name": name, "path": path, "label": tr.t(key)}
        for name, path, key, roles in PORTALS if principal.has_any(roles)
    ]
    html = environment.get_template(template).render(
        request=request, user=principal, tr=tr, t=tr.t, label=tr.label, day=tr.day, number=tr.number,
        lang=tr.language, csrf=forms.csrf_token(request), nav=nav, active=active, version=VERSION,
        path=request.url.path, org=partial(names.org_name, request), who=partial(names.user_name, request),
        **context)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["content-security-policy"] = PAGE_POLICY
    response.headers["cache-control"] = "no-store"
    fresh = getattr(request.state, "csrf", None)
    if fresh and not request.cookies.get(forms.CSRF_COOKIE):
        response.set_cookie(forms.CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response
