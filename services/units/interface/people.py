"""Operations on people (既监督事也监督人): important posts and fields, key persons, leader evaluations, and
integrity-opinion requests (廉政意见)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from services.common.interface import NO_CONTROL_CHARACTERS, Body, Command, Day, Id, Result, Title, vocabulary
from services.units.evaluations import EVALUATION_ASPECTS, check_period
from services.units.inbound import EVALUATION_GRADES
from services.units.integrity_opinions import REQUEST_PURPOSES
from services.units.interface.fields import LongText, Position, Reference, checked
from services.units.roster import IMPORTANT_FIELDS, IMPORTANT_TARGETS

if TYPE_CHECKING:
    ImportantField = str
    ImportantTarget = str
    Aspect = str
    Grade = str
    Purpose = str
else:
    ImportantField = vocabulary(IMPORTANT_FIELDS)
    ImportantTarget = vocabulary({t: t for t in IMPORTANT_TARGETS})
    Aspect = vocabulary(EVALUATION_ASPECTS)
    Grade = vocabulary(EVALUATION_GRADES)
    Purpose = vocabulary(REQUEST_PURPOSES)

Period = Annotated[str, checked(check_period), Field(pattern=r"^\d{4}(H[12]|Q[1-4])?$",
                                                     description="年度 2026、半年 2026H1 或季度 2026Q3")]
Observation = Annotated[str, Field(min_length=1, max_length=5000, pattern=NO_CONTROL_CHARACTERS)]


class RosterMarked(Result):
    unit_id: str
    target_id: str
    position: Position


class PersonMarked(Result):
    unit_id: str
    person_id: str
    position: Position


class LeaderEvaluationRecorded(Result):
    evaluation_id: str
    person_id: str
    period: str
    revision: int = Field(description="1 for the first evaluation of the period, then each revision")
    position: Position


class IntegrityOpinionRequested(Result):
    item_id: str = Field(description="the outbound item the unit signs for and answers")
    request_id: str
    position: Position


class ImportantFieldsBody(Body):
    target: ImportantTarget = Field(description="department | post")
    target_id: Id = Field(description="the department id or the post id")
    important_fields: list[ImportantField] = Field(max_length=len(IMPORTANT_FIELDS),
                                         description="重要岗位、重点领域; empty clears the mark")


class SetImportantFields(Command[RosterMarked], ImportantFieldsBody):
    """Mark a department or post as an important post or field (监测环评、督察执法、核安全监管 …)."""

    unit_id: Id


class KeyPersonBody(Body):
    flagged: bool = Field(description="true: flag as 重点人; false: remove the flag")
    reason: Observation


class FlagKeyPerson(Command[PersonMarked], KeyPersonBody):
    """Flag (or unflag) a person of the roster as a key person (重点人): group-internal."""

    unit_id: Id
    person_id: Id


class LeaderEvaluationBody(Body):
    period: Period
    aspects: dict[Aspect, Grade] = Field(min_length=1, max_length=len(EVALUATION_ASPECTS),
                                         description="grade per aspect; work_style (作风) is required")
    overall: Grade
    observation: Observation = Field(description="what the evaluation rests on (observed at meetings, talks …)")


class EvaluateLeader(Command[LeaderEvaluationRecorded], LeaderEvaluationBody):
    """Evaluate one of the unit's responsible leaders for a period (a second evaluation revises the first)."""

    unit_id: Id
    person_id: Id


class IntegrityOpinionRequestBody(Body):
    person_id: Id
    purpose: Purpose
    title: Title
    body: LongText
    counterpart_id: Id = Field(description="the department asked (usually the personnel department or party group)")
    deadline: Day
    reference_number: Reference = ""


class RequestIntegrityOpinion(Command[IntegrityOpinionRequested], IntegrityOpinionRequestBody):
    """Ask the unit for an integrity opinion about a cadre of its roster (征求廉政意见)."""

    unit_id: Id


class ClueOutcomeTied(Result):
    clue_id: str
    person_id: str
    position: Position


class ClueTieBody(Body):
    clue_id: Id = Field(description="a concluded clue of the unit whose compartment includes the caller")


class TieClueOutcome(Command[ClueOutcomeTied], ClueTieBody):
    """Tie a concluded clue's final outcome (codes only, never content) to a cadre's integrity file."""

    unit_id: Id
    person_id: Id
