"""Links the public event page offers, contributed by the areas above events (no model imports here: the
areas' AppConfigs import this module while the app registry loads).

An area's AppConfig may define `public_event_links(self, event) -> list[PublicLink]`; the event page shows the
links with a `site_id` on that site's card (e.g. "Daftar" while registration is open) and the others in a
section for participants (status look-up, gallery, responsibility matrix). events.selectors.public_event_links
collects them, so events never imports the areas that build on it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicLink:
    label: str
    url: str
    site_id: int | None = None
    primary: bool = False  # shown as the main button
