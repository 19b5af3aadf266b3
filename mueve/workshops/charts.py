"""Server-side SVG: the roadmap (lines × horizons) and progress bars. No JavaScript, readable by screen
readers (role="img", <title>, <desc>), scales to the viewport through viewBox."""

import textwrap

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


def roadmap_svg(grid: RoadmapGrid, *, title: str) -> SafeString:
    if not grid.lines or not grid.horizons:
        return mark_safe("")
    label_w, col_w, pad, head_h, line_h = 200, 240, 8, 36, 15
    width = label_w + col_w * len(grid.horizons)
    parts: list[str] = []
    y = head_h
    rows: list[str] = []
    for index, (line, cells) in enumerate(grid.lines):
        color = LINE_COLORS[index % len(LINE_COLORS)]
        blocks: list[tuple[int, list[str], str, object]] = []
        row_h = 0
        for col, horizon in enumerate(grid.horizons):
            cy = pad
            for initiative in cells[horizon]:
                wrapped = textwrap.wrap(initiative.name, 30) or [""]
                box_h = len(wrapped) * line_h + 12
                blocks.append((col, wrapped, initiative.track_status, (cy, box_h, initiative)))
                cy += box_h + pad
            row_h = max(row_h, cy)
        label_lines = textwrap.wrap(line.name, 21)
        row_h = max(row_h, len(label_lines) * 17 + 2 * pad, 48)
        rows.append(f'<g class="roadmap-line" data-line="{escape(line.name)}">')
        rows.append(
            f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="{"#fafafa" if index % 2 else "#ffffff"}"/>'
        )
        rows.append(f'<rect x="0" y="{y}" width="6" height="{row_h}" fill="{color}"/>')
        for n, text in enumerate(label_lines):
            rows.append(
                f'<text x="14" y="{y + pad + 14 + n * 17}" font-size="14" font-weight="bold" fill="#1b1b1b">'
                f"{escape(text)}</text>"
            )
        for col, wrapped, status, (cy, box_h, initiative) in blocks:
            x = label_w + col * col_w + pad
            rows.append(
                f'<g class="roadmap-initiative"><title>{escape(initiative.name)} — {initiative.horizon} — '
                f"{escape(initiative.get_track_status_display())} {initiative.progress}%</title>"
            )
            rows.append(
                f'<rect x="{x}" y="{y + cy}" width="{col_w - 2 * pad}" height="{box_h}" rx="4" '
                f'fill="{STATUS_FILL.get(status, "#eef0f3")}" stroke="{color}"/>'
            )
            for n, text in enumerate(wrapped):
                rows.append(
                    f'<text x="{x + 6}" y="{y + cy + 16 + n * line_h}" font-size="12" fill="#1b1b1b">'
                    f"{escape(text)}</text>"
                )
            rows.append("</g>")
        rows.append("</g>")
        y += row_h
    height = y + 4
    parts.append(
        f'<svg class="roadmap-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="roadmap-title roadmap-desc">'
    )
    parts.append(f'<title id="roadmap-title">{escape(title)}</title>')
    parts.append(
        '<desc id="roadmap-desc">'
        + escape(
            _("%(lines)d líneas y %(n)d iniciativas en los horizontes %(h)s.")
            % {
                "lines": len(grid.lines),
                "n": sum(len(v) for _line, cells in grid.lines for v in cells.values()),
                "h": ", ".join(map(str, grid.horizons)),
            }
        )
        + "</desc>"
    )
    parts.append(f'<rect x="0" y="0" width="{width}" height="{head_h}" fill="#1f4e79"/>')
    parts.append(f'<text x="14" y="24" font-size="14" font-weight="bold" fill="#ffffff">{escape(_("Línea"))}</text>')
    for col, horizon in enumerate(grid.horizons):
        x = label_w + col * col_w
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
