"""Weighted progress roll-up for accountability trees.

Roadmap initiatives, hub action lines and selected concepts are followed after the workshops as a
tree: leaves carry a status and a progress percentage; every parent's progress is the weighted
mean of its children's, so a line of action with three initiatives of weights 2, 1, 1 at 50 %,
100 % and 0 % stands at 50 %.

Rules (chosen so that the public page never surprises a reader):

- A leaf marked ``done`` counts as 100 % whatever its percentage says; a leaf without a
  percentage counts as 0 %.
- ``cancelled`` nodes (leaf or whole branch) drop out of their parent's mean, as if absent; a
  parent whose children are all cancelled is itself reported as cancelled at 0 %.
- Zero weights are allowed: a zero-weight child does not move its parent. If every remaining child
  weighs zero, the parent takes their plain mean (so it still shows something).
- A parent's own percentage and status are derived, never read: done when all its remaining
  children are done, blocked when one is blocked, in progress when any has started, else planned.
  (A parent explicitly marked cancelled is cancelled with its branch.)
- Sums are done with exact fractions so that all-100 % children give exactly 100 %.

Cycles, unknown parents, repeated ids, negative weights and percentages outside 0–100 raise
``RollupError`` (a ``ValueError``) with a Spanish message.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
BLOCKED = "blocked"
CANCELLED = "cancelled"
STATUSES: tuple[str, ...] = (PLANNED, IN_PROGRESS, DONE, BLOCKED, CANCELLED)


class RollupError(ValueError):
    """The tree cannot be rolled up; the message says why, in Spanish."""


@dataclass(frozen=True)
class Node:
    id: Hashable
    parent: Hashable | None
    weight: float = 1.0
    progress: float | None = None  # 0–100, read on leaves only
    status: str = PLANNED  # read on leaves; on parents only "cancelled" is read


@dataclass(frozen=True)
class NodeProgress:
    id: Hashable
    progress: float  # 0–100
    status: str
    children: tuple[Hashable, ...]
    depth: int  # 0 for roots

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _validate(nodes: list[Node]) -> dict[Hashable, Node]:
    by_id: dict[Hashable, Node] = {}
    for node in nodes:
        if node.id in by_id:
            raise RollupError(_("El elemento «%(id)s» aparece dos veces.") % {"id": node.id})
        by_id[node.id] = node
    for node in nodes:
        if node.parent is not None and node.parent not in by_id:
            raise RollupError(
                _("El elemento «%(id)s» depende de «%(parent)s», que no existe.")
                % {"id": node.id, "parent": node.parent}
            )
        if node.weight is None or math.isnan(node.weight) or math.isinf(node.weight) or node.weight < 0:
            raise RollupError(
                _("El peso de «%(id)s» debe ser un número no negativo (es %(w)s).") % {"id": node.id, "w": node.weight}
            )
        if node.progress is not None and (math.isnan(node.progress) or not 0 <= node.progress <= 100):
            raise RollupError(
                _("El avance de «%(id)s» debe estar entre 0 y 100 (es %(p)s).") % {"id": node.id, "p": node.progress}
            )
        if node.status not in STATUSES:
            raise RollupError(
                _("El estado «%(status)s» de «%(id)s» no es válido.") % {"status": node.status, "id": node.id}
            )
    # Cycle check: follow parents; a path that returns to a node on itself is a cycle.
    state: dict[Hashable, int] = {}  # 1 = on the current path, 2 = known to reach a root
    for start in by_id:
        path: list[Hashable] = []
        current: Hashable | None = start
        while current is not None and state.get(current) != 2:
            if state.get(current) == 1:
                cycle = path[path.index(current) :] + [current]
                raise RollupError(
                    _("Hay un ciclo entre los elementos: %(cycle)s.") % {"cycle": " → ".join(str(c) for c in cycle)}
                )
            state[current] = 1
            path.append(current)
            current = by_id[current].parent
        for visited in path:
            state[visited] = 2
    return by_id


def rollup(nodes: Iterable[Node]) -> dict[Hashable, NodeProgress]:
    """Progress and status of every node (see the module docstring for the rules)."""
    node_list = list(nodes)
    by_id = _validate(node_list)
    children: dict[Hashable, list[Hashable]] = {node.id: [] for node in node_list}
    for node in node_list:
        if node.parent is not None:
            children[node.parent].append(node.id)

    depth: dict[Hashable, int] = {}
    for node in node_list:
        chain = []
        current: Hashable | None = node.id
        while current is not None and current not in depth:
            chain.append(current)
            current = by_id[current].parent
        base = -1 if current is None else depth[current]
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset

    exact: dict[Hashable, Fraction] = {}
    status: dict[Hashable, str] = {}
    # Deepest first, so every child is done before its parent.
    for node_id in sorted(by_id, key=lambda i: -depth[i]):
        node = by_id[node_id]
        kids = children[node_id]
        if not kids:
            status[node_id] = node.status
            if node.status == DONE:
                exact[node_id] = Fraction(100)
            else:
                exact[node_id] = Fraction(node.progress) if node.progress is not None else Fraction(0)
            continue
        active = [c for c in kids if status[c] != CANCELLED]
        if not active:
            exact[node_id], status[node_id] = Fraction(0), CANCELLED
            continue
        weights = {c: Fraction(by_id[c].weight) for c in active}
        total = sum(weights.values())
        if total > 0:
            exact[node_id] = sum(weights[c] * exact[c] for c in active) / total
        else:
            exact[node_id] = sum(exact[c] for c in active) / len(active)
        child_status = [status[c] for c in active]
        if node.status == CANCELLED:
            status[node_id] = CANCELLED
        elif all(s == DONE for s in child_status):
            status[node_id] = DONE
        elif BLOCKED in child_status:
            status[node_id] = BLOCKED
        elif any(s in (IN_PROGRESS, DONE) for s in child_status) or exact[node_id] > 0:
            status[node_id] = IN_PROGRESS
        else:
            status[node_id] = PLANNED

    return {
        node.id: NodeProgress(
            id=node.id,
            progress=float(exact[node.id]),
            status=status[node.id],
            children=tuple(children[node.id]),
            depth=depth[node.id],
        )
        for node in node_list
    }
