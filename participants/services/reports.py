"""Writes of the reports area: the issue of certificate numbers (before a certificate is printed)."""

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from core import audit
from events.models import EventSite, Session
from participants.models import Certificate, Registration

# Registrations printed on lists and counted as registered: not rejected, not withdrawn.
LISTED_STATUSES = Registration.SEAT_STATUSES


def certificate_eligible(*, site: EventSite) -> QuerySet[Registration]:
    """Registrations of the site whose attended sessions reach the event's threshold (% of the site's sessions)."""
    sessions = Session.objects.filter(site=site).count()
    if not sessions:
        return Registration.objects.none()
    threshold = site.event.attendance_threshold_percent
    return (
        Registration.objects.filter(site=site, status__in=LISTED_STATUSES)
        .annotate(attended=Count("attendances", filter=Q(attendances__session__site=site)))
        .filter(attended__gte=(threshold * sessions + 99) // 100)
    )


@transaction.atomic
def certificates_issue(*, site: EventSite, actor) -> list[Certificate]:
    """Give a number to every eligible participant of the site that has none yet, and return all the
    site's certificates of eligible participants, in number order. Numbers are never reused or changed:
    `<sequence>/<event id>/<site order>/<year>`, the sequence running per site."""
    EventSite.objects.select_for_update().filter(pk=site.pk).first()  # one issuer per site at a time
    eligible = certificate_eligible(site=site)
    missing = list(
        eligible.filter(certificate__isnull=True).order_by("person__full_name", "id").values_list("id", flat=True)
    )
    if missing:
        start = (Certificate.objects.filter(site=site).aggregate(top=Max("sequence"))["top"] or 0) + 1
        year = site.event.end_date.year
        Certificate.objects.bulk_create(
            [
                Certificate(
                    registration_id=registration_id,
                    site=site,
                    sequence=sequence,
                    number=f"{sequence:04d}/{site.event_id}/{site.order}/{year}",
                )
                for sequence, registration_id in enumerate(missing, start=start)
            ]
        )
        audit.record(actor=actor, action="certificates.issued", target=site, data={"count": len(missing)})
    return list(
        Certificate.objects.filter(site=site, registration__in=eligible.values("id"))
        .select_related("registration__person", "registration__role")
        .order_by("sequence")
    )
