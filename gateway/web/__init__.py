"""The portals in the browser: server-rendered pages (Jinja2 + htmx, ECharts for charts), in Chinese with an
English switch, served with their assets by the gateway itself.

Every page handler calls the same functions as the API routes (the operation through `services.run` with the
permission of `gateway.permissions.require`, or the read-model view the API route uses): the pages decide no
access of their own.
"""

from __future__ import annotations

from fastapi import FastAPI

from gateway.web import api_csrf, assets, pages_errors


def install(app: FastAPI) -> None:
    from gateway.web import (
        accountability,
        activities,
        channel,
        clue_compartment,
        clue_forms,
        directive_forms,
        ecology,
        feedback,
        group,
        history,
        hq,
        imports,
        inspection,
        meetings,
        network,
        people,
        rounds,
        session,
        unit,
        withdrawal,
    )

    assets.install(app)
    # before group (its /group/clues/{id} would take /group/clues/new)
    for module in (clue_forms, clue_compartment, feedback, activities, channel, people, rounds, meetings, network,
                   accountability, withdrawal):
        app.include_router(module.router)
    for module in (session, hq, group, directive_forms, imports, unit, inspection, history, ecology):
        app.include_router(module.router)
    pages_errors.install(app)
    api_csrf.install(app)
    session.install(app)
