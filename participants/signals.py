"""What this area tells the areas above it (they connect in their AppConfig.ready; nothing here imports them)."""

from django.dispatch import Signal

# Sent inside the transaction that moves a registration out of the seat statuses (rejected or withdrawn),
# with `registration` (as saved), `actor` and `reason`. The papers issued on it (certificates) are revoked.
registration_left = Signal()
