from participants.models.attendance import Attendance
from participants.models.people import Person, School
from participants.models.registration import Registration
from participants.models.roster import Committee, CommitteeMember, CompositionRule, Position, SekolahPenggerak

__all__ = [
    "Attendance",
    "Person",
    "Registration",
    "School",
    "Committee",
    "CommitteeMember",
    "CompositionRule",
    "Position",
    "SekolahPenggerak",
]
