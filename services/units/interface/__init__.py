"""The units service's interface: its commands, queries and results (see services.common.interface).

Request fields a route takes from the body are `*Body` models; the command adds the record's id from the path.
The operations are grouped by what they concern (`roster`, `portal`, `items`, `power`); the field types and
vocabularies are in `fields`, what commands return in `results`, what queries return in `views`. Importing
this package registers every operation.
"""

from services.units.interface.fields import *  # noqa: F403
from services.units.interface.forensics import *  # noqa: F403
from services.units.interface.items import *  # noqa: F403
from services.units.interface.meetings import *  # noqa: F403
from services.units.interface.membership import *  # noqa: F403
from services.units.interface.people import *  # noqa: F403
from services.units.interface.portal import *  # noqa: F403
from services.units.interface.power import *  # noqa: F403
from services.units.interface.results import *  # noqa: F403
from services.units.interface.roster import *  # noqa: F403
from services.units.interface.views import *  # noqa: F403
