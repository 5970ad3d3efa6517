"""The briefing package as a PDF (reportlab; Chinese in the `STSong-Light` CID font, which PDF readers
supply: no font file is shipped or embedded)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gateway.web.i18n import Translator
from services.ledgers.vocab import STAGE_LABELS

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=8)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14)


def _p(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), style)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table([[_p(cell) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def briefing_pdf(inspection_round: Any, verified: Any, tr: Translator) -> bytes:
    package: dict[str, Any] = verified.package
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=tr.t("package.title"), author="Paizhu")
    story: list[Any] = [
        _p(f"{tr.t('package.title')} — {inspection_round.title}", TITLE),
        _p(f"{tr.t('package.id')}: {verified.package_id}"),
        _p(f"{tr.t('package.hash')}: {verified.content_hash}"),
        _p(f"{tr.t('package.verified')}: {tr.t('yes') if verified.verified else tr.t('no')}"),
        _p(f"{tr.t('package.positions')}: " + ", ".join(f"{k} {v}" for k, v in verified.positions.items())),
        Spacer(1, 6),
        _p(tr.t("package.directives"), HEADING),
    ]
    ledger = package.get("ledger", {})
    rows = [[tr.t("field.reference_number"), tr.t("field.title"), tr.t("field.received_on"), tr.t("package.stages")]]
    for directive in ledger.get("directives", {}).values():
        stages = "、".join(tr.label(STAGE_LABELS.get(s.get("stage"), s.get("stage"))) for s in directive["stages"])
        rows.append([directive.get("reference_number"), directive.get("title"),
                     tr.day(directive.get("received_on")), stages or "—"])
    story.append(_table(rows, [32 * mm, 70 * mm, 28 * mm, 44 * mm]))
    for section, entries in package.get("sections", {}).items():
        story.append(_p(f"{tr.t('package.section')}: {section} ({len(entries)})", HEADING))
        rows = [[tr.t("package.when"), tr.t("package.record"), tr.t("package.summary")]]
        for entry in entries[:200]:
            payload = entry.get("payload", {})
            summary = payload.get("title") or payload.get("summary") or payload.get("reason") or ""
            rows.append([tr.day(entry.get("occurred_at")), entry.get("type"), summary])
        story.append(_table(rows, [36 * mm, 56 * mm, 82 * mm]))
    statistics = package.get("clue_statistics", {})
    story.append(_p(tr.t("package.clue_statistics"), HEADING))
    story.append(_table([[tr.t("package.record"), tr.t("package.count")]]
                        + [[k, v] for k, v in sorted(statistics.items())], [120 * mm, 54 * mm]))
    document.build(story)
    return out.getvalue()


def report_pdf(found: dict[str, Any], tr: Translator) -> bytes:
    """The annual political-ecology report of a unit (gateway/web/ecology.py) as a PDF."""
    from services.ledgers.vocab import ECOLOGY_JUDGEMENTS, PROBLEM_TYPES, ROOT_CAUSES

    out = io.BytesIO()
    title = tr.t("ecology.title_of", unit=found["unit"].name, year=found["year"])
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=title, author="Paizhu")
    story: list[Any] = [_p(title, TITLE),
                        _p(tr.t("ecology.summary", directives=len(found["directives"]), completed=found["completed"],
                                items=len(found["items"]), problems=len(found["problems"]),
                                overdue=found["overdue"], closed=found["closed"]))]
    for heading, counter, labels in ((tr.t("ecology.chart_types"), found["problem_types"], PROBLEM_TYPES),
                                     (tr.t("ecology.chart_causes"), found["root_causes"], ROOT_CAUSES),
                                     (tr.t("ecology.chart_judgements"), found["ecology"], ECOLOGY_JUDGEMENTS)):
        story.append(_p(heading, HEADING))
        rows: list[list[Any]] = [[tr.t("chart.category"), tr.t("package.count")]]
        rows += [[tr.label(labels.get(code, code)), count] for code, count in counter.most_common()] or [["—", 0]]
        story.append(_table(rows, [120 * mm, 54 * mm]))
    story.append(_p(tr.t("ecology.problem_list"), HEADING))
    rows = [[tr.t("field.title"), tr.t("field.owner"), tr.t("field.problem_type"), tr.t("group.status")]]
    for item in found["problems"]:
        rows.append([item.title, item.owner, tr.label(PROBLEM_TYPES.get(item.problem_type or "", "")), item.status])
    story.append(_table(rows, [80 * mm, 36 * mm, 34 * mm, 24 * mm]))
    document.build(story)
    return out.getvalue()
