from participants.models.attendance import Attendance
from participants.models.people import Person, School
from participants.models.registration import Registration

__all__ = ["Attendance", "Person", "Registration", "School"]

# --- imports area ---
from participants.models.imports import ImportBatch  # noqa: E402

__all__ += ["ImportBatch"]
