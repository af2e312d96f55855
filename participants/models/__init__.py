from participants.models.corrections import CorrectionRequest
from participants.models.people import Person, School, identifier_q
from participants.models.registration import Registration

__all__ = [
    "CorrectionRequest",
    "Person",
    "identifier_q",
    "Registration",
    "School",
]
