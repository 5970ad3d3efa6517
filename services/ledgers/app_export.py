"""Exports of the ledger views to .xlsx (master ledger, a category's detail ledger, a directive's four lists)."""

from __future__ import annotations

import base64
import re
from typing import Any

from services.common.application import query
from services.ledgers.app_queries import Queries
from services.ledgers.domainmodel import STAGES
from services.ledgers.spreadsheet import XLSX_MEDIA_TYPE, build_workbook
from services.ledgers.vocab import LIST_KINDS, PROBLEM_TYPES

STAGE_LABELS = dict(zip(STAGES, ("学习传达", "作出部署", "制定方案", "贯彻执行", "结果评估", "回头检视", "建章立制"),
                        strict=True))
DIRECTIVE_STATUS = {"not_started": "未启动", "in_progress": "推进中", "completed": "已完成"}
ITEM_STATUS = {"open": "待办", "in_progress": "办理中", "done": "已办结待销号", "closed": "已销号"}
LEDGER_HEADERS = ("序号", "文号", "印发机关", "标题", "印发日期", "收文日期", "牵头部门", "细账类别",
                  "是否与职责密切相关", "状态", "是否撤销", *STAGE_LABELS.values())
STAGE_HEADERS = ("文号", "标题", "阶段", "完成日期", "工作内容", "会议", "文件", "责任主体", "跳过理由", "期限")
ITEM_HEADERS = ("序号", "清单", "事项", "说明", "责任主体", "督办人", "期限", "状态", "是否逾期", "问题类型",
                "证据", "回头看到期日", "重新打开次数")


def _file(filename: str, sheets: list[tuple[str, Any, Any]], rows: int) -> dict[str, Any]:
    content = build_workbook(sheets)
    filename = re.sub(r'[\\/:*?"<>|\s]+', "_", filename)
    return {"filename": filename, "media_type": XLSX_MEDIA_TYPE, "rows": rows,
            "content_base64": base64.b64encode(content).decode("ascii")}


class ExportQueries(Queries):
    def _category_names(self, group_id: str | None) -> dict[str, str]:
        config = self.config_for(group_id) if group_id else None
        return {code: c["name"] for code, c in (config.categories if config else {}).items()}

    def _ledger_row(self, number: int, d: dict[str, Any], names: dict[str, str]) -> list[Any]:
        category = d["category"]
        return [number, d["reference_number"], d["issuer"], d["title"], d["issued_on"], d["received_on"],
                d["lead_department"], names.get(category, category) if category else "", d["tied_to_duties"],
                DIRECTIVE_STATUS.get(d["status"], d["status"]), d["withdrawn"],
                *[(d["stages"].get(stage) or {}).get("done_on") for stage in STAGES]]

    @query
    def export_directives(
        self,
        group_id: str | None = None,
        unit_id: str | None = None,
        category: str | None = None,
        include_withdrawn: bool = False,
    ) -> dict[str, Any]:
        """The master ledger (总账), or with `category` that detail ledger (细账) and its stage records, as .xlsx."""
        rows = self.list_directives(group_id=group_id, unit_id=unit_id, category=category,
                                    include_withdrawn=include_withdrawn)
        names: dict[str, str] = {}
        for group in sorted({r["group_id"] for r in rows} | ({group_id} if group_id else set())):
            names |= self._category_names(group)
        ledger = [self._ledger_row(n, d, names) for n, d in enumerate(rows, start=1)]
        if category is None:
            return _file("总账.xlsx", [("总账", LEDGER_HEADERS, ledger)], len(ledger))
        stages = []
        for d in rows:
            for stage in STAGES:
                done = d["stages"].get(stage)
                due = (d["stage_deadlines"].get(stage) or {}).get("due_on")
                if done is None and due is None:
                    continue
                done = done or {}
                stages.append([d["reference_number"], d["title"], STAGE_LABELS[stage], done.get("done_on"),
                               done.get("summary"), done.get("meeting"), done.get("document"), done.get("done_by"),
                               done.get("skip_reason"), due])
        name = names.get(category, category)
        return _file(f"细账-{name}.xlsx", [("细账", LEDGER_HEADERS, ledger), ("阶段记录", STAGE_HEADERS, stages)],
                     len(ledger))

    @query
    def export_combined_view(self, directive_id: str) -> dict[str, Any]:
        """四单合一 of one directive as .xlsx: the directive, then every item of its four lists."""
        view = self.combined_view(directive_id)
        d = view["directive"]
        names = self._category_names(d["group_id"])
        items: list[list[Any]] = []
        for kind, label in LIST_KINDS.items():
            for item in view["lists"][kind]:
                items.append([len(items) + 1, label.split(" ")[0], item["title"], item["description"],
                              item["owner"], item["follower"], item["due_on"],
                              ITEM_STATUS.get(item["status"], item["status"]), item["overdue"],
                              PROBLEM_TYPES.get(item["problem_type"] or "", ""), item["evidence_refs"],
                              item["look_back_due_on"], item["reopen_count"]])
        directive = [self._ledger_row(1, d, names)]
        return _file(f"四单合一-{d['reference_number']}.xlsx",
                     [("批示件", LEDGER_HEADERS, directive), ("四单合一", ITEM_HEADERS, items)], len(items))
