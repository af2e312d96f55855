"""Outputs shared by the areas that print papers of an event: the letterhead (kop surat) of an organizing
agency, the letterhead of an event (its organizer as named on the event date), and the event's signatory."""

from core.pdf import Letterhead, Signatory, read_logo
from events.models import Agency, Event
from events.selectors import agency_as_named_on

DOTTED_OFFICE = "." * 40  # an office line to be filled in by hand


def agency_letterhead(agency: Agency) -> Letterhead:
    """The kop of `agency`: parent body, name, address, contact, and its logo read through the storage
    (works off local disk too: no `.path`)."""
    return Letterhead(
        agency_name=agency.name,
        parent=agency.letterhead_parent,
        address=agency.address,
        contact=agency.letterhead_contact,
        logo_path=read_logo(agency.logo),
    )


def event_letterhead(event: Event) -> Letterhead:
    """The kop of every paper of an event: its organizer as named on the event's first day (a 2021 paper of
    an office renamed in 2022 carries the 2021 name, its parent body and contact line of that time).

    A renamed office mostly keeps its building and the ministry's emblem: when the row of the old name has
    no address or logo, the event's organizer row lends its own."""
    organizer = event.organizer
    named = agency_as_named_on(organizer, event.start_date)
    letterhead = agency_letterhead(named)
    if named.pk != organizer.pk:
        letterhead.address = letterhead.address or organizer.address
        if letterhead.logo_path is None:
            letterhead.logo_path = read_logo(organizer.logo)
    return letterhead


def event_signatory(event: Event) -> Signatory:
    """Who signs the papers of an event ("Mengetahui,"): its signatory's office, name and NIP; the parts not
    set are dotted lines, filled in by hand."""
    return Signatory(office=event.signatory_title or DOTTED_OFFICE, name=event.signatory_name, nip=event.signatory_nip)
