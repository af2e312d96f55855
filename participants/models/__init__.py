from participants.models.attendance import Attendance
from participants.models.people import Person, School
from participants.models.registration import Registration
from participants.models.reports import Certificate, ReportDownload, ReportJob

__all__ = ["Attendance", "Certificate", "Person", "Registration", "ReportDownload", "ReportJob", "School"]
