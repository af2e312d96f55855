"""Demo data beyond the seed events: clearly fictitious people, so every screen has something in it.

`load_demo` calls `load()`; each area's loader is idempotent.
"""

from attendance import demo as checkin
from outcomes import demo as outcomes
from participants.demo import registration, reports
from rosters import demo as roster


def load() -> None:
    for area in (registration, roster, checkin, reports, outcomes):
        area.load()
