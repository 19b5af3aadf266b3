"""Weighted progress roll-up: hand-computed trees and properties (bounds, monotonicity, all-100)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mueve.workshops.rollup import STATUSES, Node, RollupError, rollup


def test_weighted_mean_by_hand():
    # Line "Movilidad" with initiatives weighted 2, 1, 1 at 50 %, 100 % (done) and 0 %: (100 + 100 + 0) / 4.
    result = rollup(
        [
            Node("plan", None),
            Node("movilidad", "plan", weight=3),
            Node("datos", "plan", weight=1, progress=20, status="in_progress"),
            Node("a", "movilidad", weight=2, progress=50, status="in_progress"),
            Node("b", "movilidad", weight=1, progress=30, status="done"),
            Node("c", "movilidad", weight=1),
        ]
    )
    assert result["b"].progress == 100  # done counts as 100 %
    assert result["movilidad"].progress == 50
    assert result["movilidad"].status == "in_progress"
    assert result["plan"].progress == pytest.approx((3 * 50 + 1 * 20) / 4)
    assert result["plan"].children == ("movilidad", "datos") and result["plan"].depth == 0
    assert result["a"].depth == 2 and result["a"].is_leaf


def test_zero_weights_and_cancelled_children():
    result = rollup(
        [
            Node("p", None),
            Node("x", "p", weight=0, progress=100, status="in_progress"),
            Node("y", "p", weight=1, progress=40, status="in_progress"),
            Node("z", "p", weight=5, progress=90, status="cancelled"),
        ]
    )
    assert result["p"].progress == 40  # zero weight does not move it; cancelled is left out
    zeros = rollup([Node("p", None), Node("x", "p", weight=0, progress=20), Node("y", "p", weight=0, progress=60)])
    assert zeros["p"].progress == 40  # all weights zero: plain mean
    gone = rollup([Node("r", None), Node("p", "r"), Node("x", "p", status="cancelled"), Node("y", "r", progress=10)])
    assert gone["p"].status == "cancelled" and gone["p"].progress == 0
    assert gone["r"].progress == 10  # the cancelled branch is left out of the root too


def test_derived_status():
    def status(*children):
        nodes = [Node("p", None)] + [Node(i, "p", progress=p, status=s) for i, (p, s) in enumerate(children)]
        return rollup(nodes)["p"].status

    assert status((100, "done"), (None, "done")) == "done"
    assert status((100, "done"), (10, "blocked")) == "blocked"
    assert status((0, "planned"), (5, "planned")) == "in_progress"
    assert status((0, "planned"), (None, "planned")) == "planned"
    assert status((100, "done"), (None, "cancelled")) == "done"
    # A parent marked cancelled takes its branch out.
    nodes = [Node("r", None), Node("p", "r", status="cancelled"), Node("x", "p", progress=50), Node("y", "r")]
    assert rollup(nodes)["p"].status == "cancelled" and rollup(nodes)["r"].progress == 0


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ([Node("a", "b"), Node("b", "c"), Node("c", "a")], "ciclo"),
        ([Node("a", "a")], "ciclo"),
        ([Node("a", None), Node("a", None)], "dos veces"),
        ([Node("a", "nadie")], "no existe"),
        ([Node("a", None, weight=-1)], "no negativo"),
        ([Node("a", None, weight=float("nan"))], "no negativo"),
        ([Node("a", None, progress=101)], "entre 0 y 100"),
        ([Node("a", None, status="perdido")], "no es válido"),
    ],
)
def test_bad_trees_are_rejected(nodes, message):
    with pytest.raises(RollupError, match=message):
        rollup(nodes)


def test_cycle_message_names_the_cycle():
    with pytest.raises(RollupError) as exc:
        rollup([Node("root", None), Node("a", "b"), Node("b", "c"), Node("c", "a"), Node("d", "root")])
    assert "a → b → c → a" in str(exc.value) or "b → c → a → b" in str(exc.value) or "c → a → b → c" in str(exc.value)


# --------------------------------------------------------------------------- properties


@st.composite
def trees(draw, statuses=STATUSES):
    size = draw(st.integers(min_value=1, max_value=25))
    nodes = []
    for i in range(size):
        parent = None if i == 0 or draw(st.integers(0, 9)) == 0 else draw(st.integers(0, i - 1))
        nodes.append(
            Node(
                id=i,
                parent=parent,
                weight=draw(st.sampled_from([0, 0.1, 0.2, 0.3, 1, 2.5, 7])),
                progress=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=100))),
                status=draw(st.sampled_from(statuses)),
            )
        )
    return nodes


@settings(max_examples=200, deadline=None)
@given(trees())
def test_progress_stays_within_bounds(nodes):
    for item in rollup(nodes).values():
        assert 0 <= item.progress <= 100
        assert item.status in STATUSES


@settings(max_examples=200, deadline=None)
@given(trees(statuses=("planned", "in_progress", "blocked", "done")))
def test_all_leaves_at_100_give_100_everywhere(nodes):
    full = [Node(n.id, n.parent, n.weight, 100, n.status) for n in nodes]
    assert all(item.progress == 100 for item in rollup(full).values())


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_raising_a_leaf_never_lowers_anything(nodes, data):
    before = rollup(nodes)
    leaves = [n for n in nodes if before[n.id].is_leaf]
    leaf = data.draw(st.sampled_from(leaves))
    current = leaf.progress or 0
    higher = data.draw(st.floats(min_value=current, max_value=100))
    changed = [Node(n.id, n.parent, n.weight, higher, n.status) if n.id == leaf.id else n for n in nodes]
    after = rollup(changed)
    for node_id, item in before.items():
        assert after[node_id].progress >= item.progress
