// A live line chart of a negotiation: for every party, the utility to it of
// each offer made so far, by round (SVG built in the page, Okabe-Ito colours
// as in the report).
const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
const W = 800;
const H = 220;
const PAD = { left: 44, right: 150, top: 12, bottom: 30 };

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export class UtilityChart {
  constructor(box, parties) {
    this.box = box;
    this.parties = parties;
    this.points = parties.map(() => []); // [round, utility] per party
    this.maxRound = 1;
  }

  add(e) {
    if (e.action !== "offer" || !Array.isArray(e.utilities)) return;
    e.utilities.forEach((u, k) => {
      if (typeof u === "number" && this.points[k]) this.points[k].push([e.round, u]);
    });
    this.maxRound = Math.max(this.maxRound, e.round);
  }

  draw() {
    const x = (r) => PAD.left + ((r - 1) / Math.max(1, this.maxRound - 1)) * (W - PAD.left - PAD.right);
    const y = (u) => PAD.top + (1 - u) * (H - PAD.top - PAD.bottom);
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": "utility of each offer to each party, by round" });
    root.appendChild(svg("rect", { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom, fill: "#f6f7f9" }));
    for (const u of [0, 0.5, 1]) {
      root.appendChild(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(u), y2: y(u), stroke: "#d6d6d6" }));
      root.appendChild(svg("text", { x: PAD.left - 6, y: y(u) + 4, "text-anchor": "end", "font-size": 11 }, u.toFixed(1)));
    }
    root.appendChild(svg("text", { x: PAD.left, y: H - 8, "font-size": 11 }, "round 1"));
    root.appendChild(svg("text", { x: W - PAD.right, y: H - 8, "font-size": 11, "text-anchor": "end" }, "round " + this.maxRound));
    this.points.forEach((pts, k) => {
      const colour = COLOURS[k % COLOURS.length];
      if (pts.length) {
        root.appendChild(
          svg("polyline", { points: pts.map(([r, u]) => x(r).toFixed(1) + "," + y(u).toFixed(1)).join(" "), fill: "none", stroke: colour, "stroke-width": 1.6 })
        );
      }
      root.appendChild(svg("rect", { x: W - PAD.right + 12, y: PAD.top + 4 + k * 18, width: 12, height: 4, fill: colour }));
      root.appendChild(svg("text", { x: W - PAD.right + 30, y: PAD.top + 10 + k * 18, "font-size": 11 }, "u " + this.parties[k]));
    });
    this.box.replaceChildren(root);
  }
}
