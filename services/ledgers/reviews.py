"""The group's quarterly review (组务会季度专题研究) and self look-back (自身回头看): commands, queries, view."""

from __future__ import annotations

from services.common.application import command, query
from services.ledgers.deadlines import plain
from services.ledgers.domain.reviews import QuarterlyReview, ReviewExistsError, quarter_bounds
from services.ledgers.interface import (
    CompleteReviewFollowUp,
    GetQuarterlyReview,
    QuarterlyReviewId,
    RecordQuarterlyReview,
    RecordSelfLookBack,
    ReviewRecorded,
    ReviewView,
)
from services.ledgers.records import GroupRecords, LedgerRecords


def review_view(review: QuarterlyReview) -> ReviewView:
    return ReviewView.model_validate(plain({
        "review_id": str(review.id), "group_id": review.group_id, "unit_id": review.unit_id,
        "quarter": review.quarter, "meeting_on": review.meeting_on, "chaired_by": review.chaired_by,
        "attendees": review.attendees, "topics": review.topics, "decisions": review.decisions,
        "follow_ups": review.follow_ups, "look_back": review.look_back,
        "open_follow_ups": sum(1 for f in review.follow_ups if f["completed_on"] is None),
        "distribution": review.default_distribution, "version": review.version,
    }))


class ReviewHandlers(LedgerRecords):
    @command
    def record_quarterly_review(self, c: RecordQuarterlyReview) -> ReviewRecorded:
        """Record the group meeting's quarterly study of its supervision work: who, what, decided, follow-ups."""
        self.authorize(GroupRecords(c.group_id), created=True)
        quarter = c.quarter.strip().upper()
        quarter_bounds(quarter)
        if QuarterlyReview.create_id(c.group_id, quarter) in self.repository:
            raise ReviewExistsError(f"{quarter}季度专题研究已记录 (the review of {quarter} is already recorded)")
        review = QuarterlyReview.hold(
            group_id=c.group_id, quarter=quarter, meeting_on=c.meeting_on, today=self.today(),
            chaired_by=c.chaired_by, attendees=list(c.attendees), topics=list(c.topics),
            decisions=list(c.decisions), follow_ups=[f.model_dump() for f in c.follow_ups],
        )
        return ReviewRecorded(review_id=str(review.id), position=self.record(review))

    @command
    def record_self_look_back(self, c: RecordSelfLookBack) -> ReviewRecorded:
        """The group's look-back at its own supervision work this quarter (自身回头看)."""
        review: QuarterlyReview = self.load(c.review_id, QuarterlyReview)
        review.record_look_back({"good_practices": list(c.good_practices), "shortcomings": list(c.shortcomings),
                                 "causes": list(c.causes), "measures": list(c.measures)}, recorded_on=self.today())
        return ReviewRecorded(review_id=c.review_id, position=self.record(review))

    @command
    def complete_review_follow_up(self, c: CompleteReviewFollowUp) -> ReviewRecorded:
        """Mark one follow-up action of a quarterly review done, with what was done."""
        review: QuarterlyReview = self.load(c.review_id, QuarterlyReview)
        review.complete_follow_up(index=c.index, note=c.note, completed_on=self.today())
        return ReviewRecorded(review_id=c.review_id, position=self.record(review))

    @query
    def get_quarterly_review(self, q: GetQuarterlyReview) -> ReviewView:
        return review_view(self.load(q.review_id, QuarterlyReview))

    @query
    def quarterly_review_id(self, q: QuarterlyReviewId) -> str:
        """The id the review of this group and quarter has (or will have)."""
        return str(QuarterlyReview.create_id(q.group_id, q.quarter.strip().upper()))
