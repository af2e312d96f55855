from events.models.events import Event, EventObjective, EventSite, Session, SiteQuota, UserScope, Venue
from events.models.programs import Agency, AgencyType, Cohort, Program, Role
from events.models.regions import Province, Regency
from events.models.tahap import TrainingPhase

__all__ = [
    "Agency",
    "AgencyType",
    "Cohort",
    "Event",
    "EventObjective",
    "EventSite",
    "Program",
    "Province",
    "Regency",
    "Role",
    "Session",
    "SiteQuota",
    "TrainingPhase",
    "UserScope",
    "Venue",
]
