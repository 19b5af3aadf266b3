import rules

from mueve.accounts.rules import is_manager, is_operator


@rules.predicate
def drives_a_car(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.colectivos.filter(active=True).exists()


@rules.predicate
def drives_this_car(user, car) -> bool:
    return car is not None and user.is_authenticated and car.active and car.driver_id == user.pk


rules.add_perm("shared_taxis.ride", rules.always_allow)
rules.add_perm("shared_taxis.drive", drives_a_car)
rules.add_perm("shared_taxis.drive_car", drives_this_car)
rules.add_perm("shared_taxis.dispatch", is_manager | is_operator)
rules.add_perm("shared_taxis.manage", is_manager)
