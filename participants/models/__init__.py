from participants.models.attendance import Attendance
from participants.models.imports import ImportBatch
from participants.models.people import Person, School
from participants.models.practices import GoodPractice, GoodPracticeFile
from participants.models.registration import Registration
from participants.models.reports import Certificate, ReportDownload, ReportJob

__all__ = [
    "Attendance",
    "Certificate",
    "GoodPractice",
    "GoodPracticeFile",
    "ImportBatch",
    "Person",
    "Registration",
    "ReportDownload",
    "ReportJob",
    "School",
]
