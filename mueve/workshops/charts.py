"""Server-side SVG: the roadmap (lines × horizons) and progress bars. No JavaScript, readable by screen
readers (role="img", <title>, <desc>), scales to the viewport through viewBox."""

import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mueve.workshops.selectors import ProgressNode, RoadmapGrid

# At least 4.5:1 against white for text, same hues as programs' charts.
STATUS_FILL = {
    "planned": "#eef0f3",
    "in_progress": "#fff1d6",
    "done": "#dcefe0",
    "blocked": "#fbdcdc",
    "cancelled": "#e5e5e5",
}
STATUS_BAR = {
    "planned": "#5a5a5a",
    "in_progress": "#9a4a00",
    "done": "#1d6b2f",
    "blocked": "#a4161a",
    "cancelled": "#5a5a5a",
}
LINE_COLORS = ["#1f4e79", "#6a3d9a", "#1d6b2f", "#9a4a00", "#a4161a", "#005f73"]


@dataclass
class RoadmapBox:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    lines: list[str]
    line_ys: list[float]  # text baselines
    initiative: object


@dataclass
class RoadmapRow:
    y: float
    height: float
    color: str
    background: str
    label_lines: list[str]
    label_ys: list[float]
    boxes: list[RoadmapBox]
    name: str


@dataclass
class RoadmapLayout:
    """Where everything of the roadmap goes, in SVG units: the page's SVG and the dossier's PDF draw it."""

    width: float
    height: float
    head_height: float
    label_width: float
    column_width: float
    horizons: list[tuple[float, str]]  # (column's left x, year)
    rows: list[RoadmapRow]
    initiative_count: int


def roadmap_layout(grid: RoadmapGrid) -> RoadmapLayout | None:
    if not grid.lines or not grid.horizons:
        return None
    label_w, col_w, pad, head_h, line_h = 200, 240, 8, 36, 15
    width = label_w + col_w * len(grid.horizons)
    rows: list[RoadmapRow] = []
    y = head_h
    for index, (line, cells) in enumerate(grid.lines):
        color = LINE_COLORS[index % len(LINE_COLORS)]
        boxes: list[RoadmapBox] = []
        row_h = 0
        for col, horizon in enumerate(grid.horizons):
            cy = pad
            for initiative in cells[horizon]:
                wrapped = textwrap.wrap(initiative.name, 30) or [""]
                box_h = len(wrapped) * line_h + 12
                x = label_w + col * col_w + pad
                boxes.append(
                    RoadmapBox(
                        x=x,
                        y=y + cy,
                        width=col_w - 2 * pad,
                        height=box_h,
                        fill=STATUS_FILL.get(initiative.track_status, "#eef0f3"),
                        stroke=color,
                        lines=wrapped,
                        line_ys=[y + cy + 16 + n * line_h for n in range(len(wrapped))],
                        initiative=initiative,
                    )
                )
                cy += box_h + pad
            row_h = max(row_h, cy)
        label_lines = textwrap.wrap(line.name, 21)
        row_h = max(row_h, len(label_lines) * 17 + 2 * pad, 48)
        rows.append(
            RoadmapRow(
                y=y,
                height=row_h,
                color=color,
                background="#fafafa" if index % 2 else "#ffffff",
                label_lines=label_lines,
                label_ys=[y + pad + 14 + n * 17 for n in range(len(label_lines))],
                boxes=boxes,
                name=line.name,
            )
        )
        y += row_h
    return RoadmapLayout(
        width=width,
        height=y + 4,
        head_height=head_h,
        label_width=label_w,
        column_width=col_w,
        horizons=[(label_w + col * col_w, str(h)) for col, h in enumerate(grid.horizons)],
        rows=rows,
        initiative_count=sum(len(v) for _line, cells in grid.lines for v in cells.values()),
    )


def roadmap_description(layout: RoadmapLayout) -> str:
    return _("%(lines)d líneas y %(n)d iniciativas en los horizontes %(h)s.") % {
        "lines": len(layout.rows),
        "n": layout.initiative_count,
        "h": ", ".join(year for _x, year in layout.horizons),
    }


def roadmap_svg(grid: RoadmapGrid, *, title: str) -> SafeString:
    layout = roadmap_layout(grid)
    if layout is None:
        return mark_safe("")
    width, height, head_h, col_w = layout.width, layout.height, layout.head_height, layout.column_width
    rows: list[str] = []
    for row in layout.rows:
        y, row_h = row.y, row.height
        rows.append(f'<g class="roadmap-line" data-line="{escape(row.name)}">')
        rows.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="{row.background}"/>')
        rows.append(f'<rect x="0" y="{y}" width="6" height="{row_h}" fill="{row.color}"/>')
        for text, ty in zip(row.label_lines, row.label_ys, strict=True):
            rows.append(f'<text x="14" y="{ty}" font-size="14" font-weight="bold" fill="#1b1b1b">{escape(text)}</text>')
        for box in row.boxes:
            initiative = box.initiative
            rows.append(
                f'<g class="roadmap-initiative"><title>{escape(initiative.name)} — {initiative.horizon} — '
                f"{escape(initiative.get_track_status_display())} {initiative.progress}%</title>"
            )
            rows.append(
                f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="4" '
                f'fill="{box.fill}" stroke="{box.stroke}"/>'
            )
            for text, ty in zip(box.lines, box.line_ys, strict=True):
                rows.append(f'<text x="{box.x + 6}" y="{ty}" font-size="12" fill="#1b1b1b">{escape(text)}</text>')
            rows.append("</g>")
        rows.append("</g>")
    parts: list[str] = []
    parts.append(
        f'<svg class="roadmap-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="roadmap-title roadmap-desc">'
    )
    parts.append(f'<title id="roadmap-title">{escape(title)}</title>')
    parts.append('<desc id="roadmap-desc">' + escape(roadmap_description(layout)) + "</desc>")
    parts.append(f'<rect x="0" y="0" width="{width}" height="{head_h}" fill="#1f4e79"/>')
    parts.append(f'<text x="14" y="24" font-size="14" font-weight="bold" fill="#ffffff">{escape(_("Línea"))}</text>')
    for x, horizon in layout.horizons:
        parts.append(
            f'<text class="roadmap-horizon" x="{x + col_w / 2}" y="24" font-size="16" font-weight="bold" '
            f'text-anchor="middle" fill="#ffffff">{horizon}</text>'
        )
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#c8c8c8"/>')
    parts.extend(rows)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def progress_svg(node: ProgressNode, *, depth: int = 2) -> SafeString:
    """Horizontal bars: the node and its descendants down to `depth`, indented."""
    rows: list[tuple[int, ProgressNode]] = []

    def walk(n: ProgressNode, level: int) -> None:
        rows.append((level, n))
        if level < depth:
            for child in n.children:
                walk(child, level + 1)

    walk(node, 0)
    width, row_h, bar_x, bar_w = 640, 44, 300, 260
    height = row_h * len(rows) + 8
    parts = [
        f'<svg class="progress-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(_("Avance de %(name)s") % {"name": node.label})}</title>'
    ]
    for index, (level, n) in enumerate(rows):
        y = 4 + index * row_h
        label = textwrap.shorten(n.label, 32 - 2 * level, placeholder="…")
        weight = "bold" if level < 2 else "normal"
        parts.append(
            f'<g class="progress-row" data-ref="{escape(n.ref)}">'
            f"<title>{escape(n.label)}: {number_format(n.progress)}%</title>"
        )
        parts.append(
            f'<text x="{8 + level * 16}" y="{y + 26}" font-size="14" font-weight="{weight}" fill="#1b1b1b">'
            f"{escape(label)}</text>"
        )
        parts.append(f'<rect x="{bar_x}" y="{y + 12}" width="{bar_w}" height="18" fill="#eef0f3" stroke="#8a8a8a"/>')
        parts.append(
            f'<rect x="{bar_x}" y="{y + 12}" width="{bar_w * n.progress / 100:.1f}" height="18" '
            f'fill="{STATUS_BAR.get(n.status, "#1f4e79")}"/>'
        )
        parts.append(
            f'<text class="progress-value" x="{bar_x + bar_w + 8}" y="{y + 26}" font-size="14" fill="#1b1b1b">'
            f"{number_format(n.progress)}%</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
