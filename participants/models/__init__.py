from participants.models.corrections import CorrectionRequest
from participants.models.people import Person, School, identifier_q
from participants.models.practices import GoodPractice, GoodPracticeFile
from participants.models.registration import Registration
from participants.models.reports import Certificate

__all__ = [
    "Certificate",
    "CorrectionRequest",
    "GoodPractice",
    "GoodPracticeFile",
    "Person",
    "identifier_q",
    "Registration",
    "School",
]
