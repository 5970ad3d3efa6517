"""The ledgers service's interface: its commands, queries and results (see services.common.interface).

One module per part of the service (directives, items, the closed loop, reviews, spreadsheets), the field
types they share in `fields`. A command that acts on an existing record takes the record's id from the URL
path and the rest from a `...Body` model (`class RecordStage(Command[DirectiveRecorded], StageBody)`): the
route takes the body, the service the command, and the fields are written once.
"""

from services.ledgers.interface.accountability import *  # noqa: F403
from services.ledgers.interface.calendar import *  # noqa: F403
from services.ledgers.interface.directives import *  # noqa: F403
from services.ledgers.interface.fields import *  # noqa: F403
from services.ledgers.interface.forensics import *  # noqa: F403
from services.ledgers.interface.items import *  # noqa: F403
from services.ledgers.interface.loop import *  # noqa: F403
from services.ledgers.interface.reviews import *  # noqa: F403
from services.ledgers.interface.spreadsheets import *  # noqa: F403
