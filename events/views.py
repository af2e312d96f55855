"""Public pages: the list of events and one event with its sites and targets (no login)."""

from django.shortcuts import render

from events.selectors import event_detail_public, event_list_public, public_event_links, target_table


def event_list(request):
    upcoming, past = event_list_public()
    return render(request, "events/event_list.html", {"upcoming": upcoming, "past": past})


def event_detail(request, slug: str):
    event = event_detail_public(slug=slug)
    links = public_event_links(event)
    for site in event.sites.all():
        site.public_links = [link for link in links if link.site_id == site.pk]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "targets": target_table(event=event),
            "event_links": [link for link in links if link.site_id is None],
            "registration_state": event.registration_state(),
        },
    )
