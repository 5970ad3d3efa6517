"""Commands and queries of the group's quarterly review (组务会季度专题研究) and self look-back (自身回头看)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.common.application import command, query
from services.ledgers.base import LedgersBase
from services.ledgers.deadlines import plain
from services.ledgers.domain.reviews import QuarterlyReview, ReviewExistsError, quarter_bounds


def review_view(review: QuarterlyReview) -> dict[str, Any]:
    return plain({
        "review_id": str(review.id), "group_id": review.group_id, "unit_id": review.unit_id,
        "quarter": review.quarter, "meeting_on": review.meeting_on, "chaired_by": review.chaired_by,
        "attendees": review.attendees, "topics": review.topics, "decisions": review.decisions,
        "follow_ups": review.follow_ups, "look_back": review.look_back,
        "open_follow_ups": sum(1 for f in review.follow_ups if f["completed_on"] is None),
        "distribution": review.default_distribution, "version": review.version,
    })


class ReviewCommands(LedgersBase):
    @command
    def record_quarterly_review(
        self,
        group_id: str,
        quarter: str,
        meeting_on: date,
        chaired_by: str,
        attendees: list[str],
        topics: list[str],
        decisions: list[str],
        follow_ups: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Record the group meeting's quarterly study of its supervision work: who, what, decided, follow-ups."""
        quarter = quarter.strip().upper()
        quarter_bounds(quarter)
        if QuarterlyReview.create_id(group_id, quarter) in self.repository:
            raise ReviewExistsError(f"{quarter}季度专题研究已记录 (the review of {quarter} is already recorded)")
        actions = QuarterlyReview.check_meeting(quarter, meeting_on, self.today(), attendees, topics, decisions,
                                                follow_ups or [])
        review = QuarterlyReview(group_id=group_id, quarter=quarter, meeting_on=meeting_on,
                                 chaired_by=chaired_by.strip(), attendees=attendees, topics=topics,
                                 decisions=decisions, follow_ups=actions)
        return {"review_id": str(review.id), "position": self.record(review)}

    @command
    def record_self_look_back(
        self,
        review_id: str,
        good_practices: list[str] | None = None,
        shortcomings: list[str] | None = None,
        causes: list[str] | None = None,
        measures: list[str] | None = None,
    ) -> dict[str, Any]:
        """The group's look-back at its own supervision work this quarter (自身回头看)."""
        review: QuarterlyReview = self.load(review_id, QuarterlyReview)
        parts = review.check_look_back({"good_practices": good_practices or [], "shortcomings": shortcomings or [],
                                        "causes": causes or [], "measures": measures or []})
        review.record_look_back(**parts, recorded_on=self.today())
        return {"review_id": review_id, "position": self.record(review)}

    @command
    def complete_review_follow_up(self, review_id: str, index: int, note: str) -> dict[str, Any]:
        """Mark one follow-up action of a quarterly review done, with what was done."""
        review: QuarterlyReview = self.load(review_id, QuarterlyReview)
        review.check_follow_up_completion(index, note)
        review.complete_follow_up(index=index, note=note.strip(), completed_on=self.today())
        return {"review_id": review_id, "position": self.record(review)}

    @query
    def get_quarterly_review(self, review_id: str) -> dict[str, Any]:
        review: QuarterlyReview = self.load(review_id, QuarterlyReview)
        return review_view(review)

    @query
    def quarterly_review_id(self, group_id: str, quarter: str) -> str:
        """The id the review of this group and quarter has (or will have)."""
        return str(QuarterlyReview.create_id(group_id, quarter.strip().upper()))

    @query
    def list_quarterly_reviews(self, group_id: str | None = None) -> list[dict[str, Any]]:
        """Quarterly reviews (of a group), by quarter."""
        rows = [review_view(self.load(i, QuarterlyReview)) for i in self.index.ids["review"]]
        rows = [r for r in rows if not group_id or r["group_id"] == group_id]
        return sorted(rows, key=lambda r: (r["group_id"], r["quarter"]))
