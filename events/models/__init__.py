from events.models.events import Event, EventObjective, EventSite, Session, SiteQuota, UserScope, Venue
from events.models.outcomes import (
    ActionPlan,
    ActionPlanFollowUp,
    ActionPlanItem,
    Responsibility,
    ResponsibilityCell,
    ResponsibilityColumn,
    ResponsibilityMatrix,
)
from events.models.programs import Agency, AgencyType, Cohort, Program, Role
from events.models.regions import Province, Regency
from events.models.tahap import TrainingPhase

__all__ = [
    "ActionPlan",
    "ActionPlanFollowUp",
    "ActionPlanItem",
    "Agency",
    "AgencyType",
    "Cohort",
    "Event",
    "EventObjective",
    "EventSite",
    "Program",
    "Province",
    "Regency",
    "Responsibility",
    "ResponsibilityCell",
    "ResponsibilityColumn",
    "ResponsibilityMatrix",
    "Role",
    "Session",
    "SiteQuota",
    "TrainingPhase",
    "UserScope",
    "Venue",
]
