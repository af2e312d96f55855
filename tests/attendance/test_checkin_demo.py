from attendance import demo as checkin
from attendance.models import Attendance
from tests.factories import register


def test_demo_checks_in_part_of_day_one_and_is_idempotent(lokakarya):
    checkin.load()  # no registrations yet: nothing, no error
    assert not Attendance.objects.exists()
    bima = lokakarya.sites.get(name="Kab. Bima")
    for _ in range(6):
        register(bima, "CGP")
    checkin.load()
    checkin.load()
    rows = Attendance.objects.all()
    assert rows.count() == 4
    assert {row.session.name for row in rows} == {"Hari 1"}
