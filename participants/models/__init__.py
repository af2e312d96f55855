from participants.models.corrections import CorrectionRequest
from participants.models.people import Person, School, identifier_q
from participants.models.registration import Registration
from participants.models.reports import Certificate

__all__ = [
    "Certificate",
    "CorrectionRequest",
    "Person",
    "identifier_q",
    "Registration",
    "School",
]
