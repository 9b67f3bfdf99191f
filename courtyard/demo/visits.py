"""Demo picking visits in 李家村: one coming up with hosts and registrations, one done with attendance.

Built through the real services (with times in the past for the finished one); safe to run twice.
"""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Household, PartnerUnit, Village, Visit
from courtyard.services.visits import visit_hosts, visit_registrations, visits

VILLAGE = "李家村"
REPRESENTATIVES = {
    "县财政局": [("赵建国", "13904520001"), ("钱晓梅", "13904520002"), ("孙立新", "13904520003")],
    "县农村商业银行": [("吴敏", "13904520011"), ("郑海涛", "13904520012")],
}


def _details(title, starts_at, **extra):
    return visits.VisitDetails(
        title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=6), meeting_point="李家村村委会门前广场",
        directions="县城客运站乘 8 路到李家村站，下车向东 200 米；自驾沿 202 国道到青山镇路口右转。",
        activities=("picking", "chickens", "farm_meal"), capacity=12, per_unit_limit=4,
        registration_deadline=starts_at - timedelta(days=2), fee_fen=3000,
        transport_notes="县财政局门口 7:30 有大巴，先到先上。", meal_notes="中午在农户家吃农家饭：小鸡炖蘑菇、大锅饭。",
        safety_notes="穿防滑鞋和长袖，鸡舍里别追赶鸡；有过敏请提前告诉工作队。", **extra)


def build_demo_visits(now):
    """Two visits to 李家村, if there are no visits yet; returns whether it added them."""
    if db.session.scalar(select(Visit.id).limit(1)) is not None:
        return False
    village = db.session.scalar(select(Village).where(Village.name == VILLAGE))
    if village is None:
        return False
    hosts = db.session.scalars(select(Household).where(Household.village_id == village.id, Household.active.is_(True))
                               .order_by(Household.id).limit(4)).all()
    units = {u.name: u for u in db.session.scalars(select(PartnerUnit).where(PartnerUnit.name.in_(REPRESENTATIVES)))}

    past_start = (now - timedelta(days=20)).replace(hour=1, minute=0, second=0, microsecond=0)
    planned = past_start - timedelta(days=10)
    past = visits.create_visit(None, village.id, _details("夏末黄瓜采摘日", past_start), planned)
    visit_hosts.set_hosts(None, past, {h.id: 3 for h in hosts[:3]}, planned)
    _register(past, units, planned)
    for n, registration in enumerate(r for r in past.registrations if r.state == "confirmed"):
        visit_registrations.mark_attendance(None, registration, "no_show" if n == 3 else "attended", past_start)
    visits.finish(None, past, past_start + timedelta(hours=6))

    coming = (now + timedelta(days=12)).replace(hour=1, minute=0, second=0, microsecond=0)
    upcoming = visits.create_visit(None, village.id, _details("秋收采摘和喂鸡体验日", coming), now)
    visit_hosts.set_hosts(None, upcoming, {h.id: 4 for h in hosts}, now)
    _register(upcoming, units, now)
    return True


def _register(visit, units, now):
    for unit_name, people in REPRESENTATIVES.items():
        for name, phone in people:
            visit_registrations.register(None, visit, units[unit_name].id, name, phone, now)
