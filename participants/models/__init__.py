from participants.models.attendance import Attendance
from participants.models.people import Person, School
from participants.models.registration import Registration

__all__ = ["Attendance", "Person", "Registration", "School"]

# --- outcomes area ---
from participants.models.practices import GoodPractice, GoodPracticeFile  # noqa: E402

__all__ += ["GoodPractice", "GoodPracticeFile"]
