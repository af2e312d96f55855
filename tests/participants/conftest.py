import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def open_lokakarya(lokakarya):
    """Lokakarya 7 with its public registration open now."""
    now = timezone.now()
    lokakarya.registration_opens_at = now - dt.timedelta(days=1)
    lokakarya.registration_closes_at = now + dt.timedelta(days=1)
    lokakarya.save()
    return lokakarya
