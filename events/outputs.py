"""What the events area gives every printed document: the letterhead (kop surat) of an organizing agency."""

from core.pdf import Letterhead, read_logo
from events.models import Agency


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
