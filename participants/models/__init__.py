from participants.models.attendance import Attendance
from participants.models.people import Person, School
from participants.models.registration import Registration

__all__ = ["Attendance", "Person", "Registration", "School"]
