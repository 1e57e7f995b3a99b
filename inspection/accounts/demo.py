"""Demo administrators (三员分立): 系统管理员 何志远, 安全管理员 林静, 安全审计员 宋佳, made the way a new
installation makes them (`administrators_bootstrap`), with the demo password; and one grant waiting for the
security administrator: a new liaison of 县教育局 asked for by the system administrator.

Called by `seed_demo` after `inspection.units.demo` (it reads the units from the context)."""

from . import services
from .models import Role, User

PASSWORD = "Xuncha@2026"
ADMINISTRATORS = {
    Role.SYSTEM_ADMIN: {"username": "xitong", "display_name": "何志远", "phone": "13807310261"},
    Role.SECURITY_ADMIN: {"username": "anquan", "display_name": "林静", "phone": "13807310372"},
    Role.AUDIT_ADMIN: {"username": "shenji", "display_name": "宋佳", "phone": "13807310483"},
}
PENDING_LIAISON = {"username": "jiaoyu", "display_name": "马晓燕", "phone": "13907315526"}
PENDING_UNIT = "县教育局"


def seed(context: dict) -> dict:
    if not User.objects.filter(role__in=list(ADMINISTRATORS)).exists():
        for user, _ in services.administrators_bootstrap(people=ADMINISTRATORS):
            # The demo's known password stands for the one each administrator chose at the first login.
            user.set_password(PASSWORD)
            user.must_change_password = False
            user.save(update_fields=["password", "must_change_password"])
    admins = {role: User.objects.get(username=row["username"]) for role, row in ADMINISTRATORS.items()}
    if not User.objects.filter(username=PENDING_LIAISON["username"]).exists():
        unit = next(u for u in context["units"] if u.name == PENDING_UNIT)
        liaison, _ = services.user_create(
            actor=admins[Role.SYSTEM_ADMIN], role=Role.UNIT_LIAISON, unit=unit, jurisdiction=context["jurisdiction"],
            reason="县教育局整改联络员：单位来函推荐办公室副主任马晓燕", **PENDING_LIAISON,
        )
        liaison.set_password(PASSWORD)
        liaison.must_change_password = False
        liaison.save(update_fields=["password", "must_change_password"])
    context["administrators"] = admins
    return context
