"""What is wrong with the charts of a page as drawn (docs/dashboard.md, "Widths"): a script
for Playwright's `page.evaluate` returning one line per problem (`test_widths_e2e`,
`test_phone_figures_e2e`)."""

# What is wrong with the page as drawn: each chart's tick labels as the quadrilaterals their
# letters fill on screen (the text's box less a fifth of the font size above and below, where
# the line box has no ink; rotated labels too, through the text's transform), any two of one
# axis letter that intersect (separating-axis test), and chart text drawn under 9 px; titles,
# placed text, text on the traces (bar values, a funnel's totals) and tick labels inside the
# figure, and no two texts of the traces over each other.
PROBLEMS = r"""() => {
  const corners = (t) => {
    const b = t.getBBox(), m = t.getScreenCTM();
    const inset = 0.2 * parseFloat(getComputedStyle(t).fontSize);
    const top = b.y + inset, bottom = b.y + b.height - inset;
    return [[b.x, top], [b.x + b.width, top], [b.x + b.width, bottom], [b.x, bottom]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], n = [a[1] - b[1], b[0] - a[0]];
    const span = (pts) => pts.map(([x, y]) => x * n[0] + y * n[1]);
    const s = span(p), r = span(q);
    return Math.max(...s) <= Math.min(...r) || Math.max(...r) <= Math.min(...s);
  }));
  const meets = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const out = [];
  for (const graph of document.querySelectorAll('.js-plotly-plot')) {
    const name = (graph.closest('.dash-graph') || graph).id;
    const figure = graph.getBoundingClientRect();
    const areas = [...graph.querySelectorAll('.draglayer .nsewdrag')]
      .map(a => a.getBoundingClientRect());
    const legendBox = graph.querySelector('g.legend');
    // the title and subtitle: inside the figure (plotly cuts what is not), clear of the
    // legend and of every plot area
    for (const t of graph.querySelectorAll('.gtitle, .gtitle-subtitle')) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      const what = t.classList.contains('gtitle') ? 'title' : 'subtitle';
      if (r.left < figure.left - 1 || r.right > figure.right + 1 || r.top < figure.top - 1)
        out.push(`${name}: the ${what} "${t.textContent}" runs past the figure's edge`);
      if (legendBox && meets(r, legendBox.getBoundingClientRect()))
        out.push(`${name}: the legend is over the ${what}`);
      if (areas.some(a => meets(r, a))) out.push(`${name}: the ${what} is over a plot area`);
    }
    // text placed in the chart (annotations: lane labels, notes, panel titles) inside the
    // figure and clear of the axis titles
    const axisTitles = [...graph.querySelectorAll('text[class$="title"]')]
      .filter(t => /^[xy]\d*title$/.test(t.getAttribute('class')) && t.textContent.trim());
    for (const t of graph.querySelectorAll('.annotation-text')) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      if (r.left < figure.left - 1 || r.right > figure.right + 1)
        out.push(`${name}: "${t.textContent}" runs past the figure's edge`);
      for (const a of axisTitles)
        if (meets(r, a.getBoundingClientRect()))
          out.push(`${name}: "${t.textContent}" is over the axis title "${a.textContent}"`);
    }
    // text on the traces (bar values, scatter text) and tick labels inside the figure, and no
    // two texts of the traces over each other
    const onTraces = [...graph.querySelectorAll('.bartext, .textpoint text')]
      .filter(t => t.textContent.trim() && t.getBBox().width);
    const ticks = [...graph.querySelectorAll('g[class$="tick"] > text')]
      .filter(t => t.textContent.trim() && t.getBBox().width);
    for (const t of [...onTraces, ...ticks]) {
      const r = t.getBoundingClientRect();
      if (r.left < figure.left - 1 || r.right > figure.right + 1)
        out.push(`${name}: "${t.textContent}" runs past the figure's edge`);
    }
    const rects = onTraces.map(t => t.getBoundingClientRect());
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++)
        if (meets(rects[i], rects[j]))
          out.push(`${name}: "${onTraces[i].textContent}" and`
            + ` "${onTraces[j].textContent}" overlap`);
    const legend = graph.querySelector('g.legend');
    if (legend) {  // the legend's box against each plot area's (its drag rectangle), 1 px grace
      const l = legend.getBoundingClientRect();
      for (const area of graph.querySelectorAll('.draglayer .nsewdrag')) {
        const a = area.getBoundingClientRect();
        if (Math.min(l.right, a.right) - Math.max(l.left, a.left) > 1
            && Math.min(l.bottom, a.bottom) - Math.max(l.top, a.top) > 1)
          out.push(`${name}: the legend is over a plot area`);
      }
    }
    for (const letter of ['x', 'y']) {
      const labels = [...graph.querySelectorAll(`g[class^="${letter}"][class$="tick"] > text`)]
        .filter(t => t.textContent.trim() && t.getBBox().width);
      const boxes = labels.map(corners);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          if (!apart(boxes[i], boxes[j]))
            out.push(`${name}: ${letter} labels ${labels[i].textContent}`
              + ` and ${labels[j].textContent} overlap`);
    }
    for (const t of graph.querySelectorAll('.main-svg text')) {
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (t.textContent.trim() && t.getBBox().width && px < 8.9)
        out.push(`${name}: "${t.textContent}" drawn at ${px.toFixed(1)} px`);
    }
  }
  return out;
}"""
