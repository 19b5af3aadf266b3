"""The matcher's promises, on random lines, cars and requests (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mueve.shared_taxis.matcher import Car, DispatchRule, Onboard, Request, match, recommend_departures

LINE_M = 5000.0


def load_profile_ok(car: Car, pickups: list[Request]) -> bool:
    """Independent of the matcher: walk the line point by point (each pickup and drop-off) and count the seats."""
    points = sorted({car.position_m, *(r.position_m for r in pickups), *(o.drop_m for o in car.onboard if o.drop_m)})
    for x in points:
        if x < car.position_m:
            continue
        on = sum(o.seats for o in car.onboard if o.drop_m is None or o.drop_m > x)
        on += sum(r.seats for r in pickups if r.position_m <= x and (r.drop_m is None or r.drop_m > x))
        if on > car.capacity:
            return False
    return True


positions = st.floats(min_value=0, max_value=LINE_M, allow_nan=False).map(lambda x: round(x, 1))


@st.composite
def scenes(draw):
    cars = []
    for i in range(draw(st.integers(0, 5))):
        capacity = draw(st.integers(1, 6))
        pos = draw(positions)
        seats = draw(st.lists(st.integers(1, 2), max_size=3))
        onboard = []
        for s in seats:
            if sum(o.seats for o in onboard) + s > capacity:
                break
            drop = draw(st.one_of(st.none(), st.floats(min_value=pos, max_value=LINE_M)))
            onboard.append(Onboard(s, drop))
        cars.append(Car(f"c{i}", capacity, pos, draw(st.booleans()), tuple(onboard)))
    requests = []
    for j in range(draw(st.integers(0, 14))):
        requests.append(
            Request(f"r{j}", draw(positions), draw(st.integers(1, 4)), float(draw(st.integers(0, 600))), None)
        )
    return cars, requests


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_never_over_capacity_and_nobody_passed_by_a_car_with_room(scene):
    cars, requests = scene
    m = match(cars, requests, line_m=LINE_M)
    by_id = {c.id: c for c in cars}
    assigned_ids = set(m.assigned)
    unassigned_ids = {r.id for r in m.unassigned}
    assert assigned_ids | unassigned_ids == {r.id for r in requests}
    assert not assigned_ids & unassigned_ids
    for car_id, plan in m.plans.items():
        car = by_id[car_id]
        assert not car.queued  # a car parked at the terminal passes nobody
        assert load_profile_ok(car, plan.pickups)
        # pickup order: the order the car meets them along the line, first come first at the same point
        keys = [(r.position_m, r.requested_at) for r in plan.pickups]
        assert keys == sorted(keys)
        assert all(r.position_m >= car.position_m for r in plan.pickups)
        etas = [plan.etas[r.id] for r in plan.pickups]
        assert etas == sorted(etas)
    for r in m.unassigned:
        for car in cars:
            if car.queued or car.position_m > r.position_m:
                continue
            assert not load_profile_ok(car, [*m.plans[car.id].pickups, r]), (r, car)


@settings(max_examples=200, deadline=None)
@given(scenes(), positions, st.integers(1, 3))
def test_an_assignment_given_is_kept_when_a_new_request_arrives(scene, where, seats):
    cars, requests = scene
    first = match(cars, requests, line_m=LINE_M)
    again = [Request(r.id, r.position_m, r.seats, r.requested_at, first.car_of(r.id)) for r in requests]
    newcomer = Request("new", where, seats, 10_000.0)
    second = match(cars, [*again, newcomer], line_m=LINE_M)
    for r in requests:
        assert second.car_of(r.id) == first.car_of(r.id)


@settings(max_examples=200, deadline=None)
@given(scenes(), st.integers(1, 4), st.floats(min_value=0, max_value=900))
def test_the_terminal_sends_a_car_only_for_demand_it_can_carry(scene, min_seats, patience):
    cars, requests = scene
    now = 700.0
    advice = recommend_departures(
        cars, requests, line_m=LINE_M, now=now, rule=DispatchRule(min_seats=min_seats, patience_s=patience)
    )
    queued = [c for c in cars if c.queued]
    assert [d.car_id for d in advice] == [c.id for c in queued]
    unassigned = {r.id: r for r in match(cars, requests, line_m=LINE_M).unassigned}
    promised: set = set()
    for d, car in zip(advice, queued, strict=True):
        taken = [unassigned[i] for i in d.requests]
        assert d.seats == sum(r.seats for r in taken)
        assert load_profile_ok(Car(car.id, car.capacity, 0.0, False, car.onboard), taken)
        assert not promised & set(d.requests)  # two cars are never sent for the same riders
        promised |= set(d.requests)
        if d.now:
            assert d.seats >= min(min_seats, car.capacity) or min(r.requested_at for r in taken) + patience <= now
        else:
            assert d.at is None or d.at > now


def test_a_rider_at_the_terminal_waits_for_a_second_one_no_longer_than_the_patience():
    cars = [Car("a", 4, queued=True), Car("b", 4, queued=True)]
    one = [Request("r1", 0.0, 1, requested_at=100.0)]
    rule = DispatchRule(min_seats=2, patience_s=180)
    first = recommend_departures(cars, one, line_m=LINE_M, now=120.0, rule=rule)
    assert [(d.car_id, d.now, d.at) for d in first] == [("a", False, 280.0), ("b", False, None)]
    later = recommend_departures(cars, one, line_m=LINE_M, now=280.0, rule=rule)
    assert later[0].now and later[0].requests == ("r1",)
    two = [*one, Request("r2", 2000.0, 1, requested_at=130.0)]
    assert recommend_departures(cars, two, line_m=LINE_M, now=130.0, rule=rule)[0].now


def test_the_car_that_reaches_the_rider_first_takes_the_request():
    cars = [Car("far", 4, 100.0), Car("near", 4, 900.0), Car("past", 4, 1500.0)]
    m = match(cars, [Request("r", 1000.0, 2, 0.0)], line_m=LINE_M)
    assert m.car_of("r") == "near"
    assert round(m.eta("r")) == round(100 / (25 / 3.6))
