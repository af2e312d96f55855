"""What this area tells the areas above it (they connect in their AppConfig.ready; nothing here imports them)."""

from django.dispatch import Signal

# Sent inside the transaction that saved or deleted a quota (the admin's quota pages and the site's quota rows),
# with `site_id`, `role_id` and `actor`: a raised target, a quota that closes no more or is gone frees seats, and
# the participants area gives them to its waiting list.
quota_changed = Signal()
