package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// uPlot 1.6.32 from npm (npm pack uplot@1.6.32: dist/uPlot.iife.min.js,
// dist/uPlot.min.css, LICENSE), inlined so the page needs no network.
var (
	//go:embed assets/uPlot.iife.min.js
	uplotJS string
	//go:embed assets/uPlot.min.css
	uplotCSS string
)

// page is what the template sees.
type page struct {
	Title string
	R     *Report
	Data  template.JS // the charts and the live feed's address, as JSON
	UPlot template.JS
	CSS   template.CSS
	Live  bool
	// Session is the live page's lockstep panel, rendered ("" : none).
	Session template.HTML
}

// pageData is the JSON the page's script reads: the charts, and for a
// live page where its updates come from. An update (LiveJSON) has the same
// shape plus the check and tables, rendered.
type pageData struct {
	Charts   []Chart `json:"charts"`
	LastTick uint64  `json:"lastTick"`
	Live     string  `json:"live,omitempty"`   // the event stream's URL
	Meta     string  `json:"meta,omitempty"`   // update: the summary line
	Check    string  `json:"check,omitempty"`  // update: the check table's HTML
	Tables   string  `json:"tables,omitempty"` // update: the tables' HTML
}

// Meta is the report's one-line summary (setup, ticks, events, bytes).
func (r *Report) Meta() string {
	s := fmt.Sprintf("%s systems · ticks %d–%d (%d ticks) · %d events · %d bytes", r.Systems, r.FirstTick, r.LastTick, r.Ticks, r.Events, r.Offset)
	if r.EventsOnly {
		s = fmt.Sprintf("events only · ticks %d–%d (%d ticks) · %d events", r.FirstTick, r.LastTick, r.Ticks, r.Events)
	}
	if r.TicksPerBucket > 1 {
		s += fmt.Sprintf(" · charts downsampled to buckets of %d ticks (min and max kept)", r.TicksPerBucket)
	}
	return s
}

// WriteHTML writes the report as one self-contained HTML page: tables of
// exact amounts, and charts drawn by the embedded uPlot from JSON data in
// the page. title names the log (shown in the heading). Once every chart
// has drawn, the page sets window.tickeconReport.ready (for tests and
// tools that drive a browser).
func (r *Report) WriteHTML(w io.Writer, title string) error { return r.write(w, title, "", "") }

// write renders the page; live, if set, is the URL of the event stream a
// live page follows, and session its lockstep panel.
func (r *Report) write(w io.Writer, title, live string, session template.HTML) error {
	data, err := json.Marshal(pageData{Charts: r.Charts, LastTick: r.LastTick, Live: live})
	if err != nil { // json.Marshal escapes <, > and &: safe inside <script>
		return err
	}
	return tmpl.Execute(w, page{Title: title, R: r, Data: template.JS(data), UPlot: template.JS(uplotJS), CSS: template.CSS(uplotCSS),
		Live: live != "", Session: session})
}

// LiveJSON is one update of a live page: the charts' data, the summary
// line, and the check and tables rendered as HTML.
func (r *Report) LiveJSON() ([]byte, error) {
	var check, tables strings.Builder
	if err := tmpl.ExecuteTemplate(&check, "check", page{R: r}); err != nil {
		return nil, err
	}
	if err := tmpl.ExecuteTemplate(&tables, "tables", page{R: r}); err != nil {
		return nil, err
	}
	return json.Marshal(pageData{Charts: r.Charts, LastTick: r.LastTick, Meta: r.Meta(),
		Check: check.String(), Tables: tables.String()})
}

var tmpl = template.Must(template.Must(template.New("report").Parse(pageHTML)).Parse(sessionHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tickecon report: {{.Title}}</title>
<style>{{.CSS}}</style>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1em 1.5em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 .4em; }
.meta { color: #555; }
.note { color: #666; font-size: .9em; margin: .2em 0 .5em; }
.warn { background: #fff3cd; border: 1px solid #e0c060; padding: .5em .8em; }
.bad { background: #f8d7da; border: 1px solid #d08080; padding: .5em .8em; }
.desync { margin: .4em 0; }
.desync ul { margin: .3em 0 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1em 1.5em; }
.chart { min-height: 300px; }
table { border-collapse: collapse; margin: .3em 0 1em; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: .2em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f4f4f4; }
td.ok { color: #176b2c; font-weight: 600; }
td.no { color: #a01818; font-weight: 600; }
</style>
</head>
<body>
<h1>Economy report: {{.Title}}{{if .Live}} <small>(live)</small>{{end}}</h1>
<p class="meta" id="meta">{{.R.Meta}}</p>
{{if .Live}}<p class="warn" id="live-status" hidden></p>{{end}}
{{with .R.TornTail}}<p class="warn" id="torn">The log ends in a torn record at byte {{.Offset}}: this report covers the complete ticks before it.</p>{{end}}
{{range .R.Notes}}<p class="note">{{.}}</p>{{end}}
{{if .Live}}<div id="session-wrap">{{.Session}}</div>{{end}}

<div id="check-wrap">{{template "check" .}}</div>

<h2>Charts</h2>
<p class="note">Chart values are for display (floats); the tables hold the exact amounts. Drag to zoom, double-click to reset.</p>
<div class="grid" id="charts">
{{range .R.Charts}}<div><div class="chart" id="chart-{{.ID}}"></div>{{with .Note}}<p class="note">{{.}}</p>{{end}}</div>
{{end}}</div>

<div id="tables-wrap">{{template "tables" .}}</div>
<p class="note">Made by tickecon report. Charts by uPlot (MIT, © Leon Sorokin), embedded.</p>
<script id="report-data" type="application/json">{{.Data}}</script>
<script>{{.UPlot}}</script>
<script>
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("report-data").textContent);
  const palette = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#d62728", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];
  const state = { charts: D.charts.length, drawn: 0, ready: D.charts.length === 0, lastSupply: {}, lastTick: D.lastTick, updates: 0 };
  window.tickeconReport = state;
  const labels = c => c.series.map(s => s.label).join("|");
  // make draws chart c in its element; a first draw counts towards ready.
  function make(c, first) {
    const el = document.getElementById("chart-" + c.id);
    const series = [{ label: c.xlabel }];
    c.series.forEach((s, i) => series.push({ label: s.label, stroke: palette[i % palette.length], width: 1.5, points: { show: false } }));
    if (c.currency) state.lastSupply[c.currency] = c.series[0].y[c.series[0].y.length - 1];
    let drawn = !first;
    const opts = {
      title: c.title,
      width: Math.max(el.clientWidth, 320),
      height: 280,
      scales: { x: { time: false }, y: c.scaleFrom ? { range: function (u) {
        let lo = 0, hi = 0;
        for (let j = 1; j < u.data.length; j++) {
          for (let i = 0; i < u.data[0].length; i++) {
            if (u.data[0][i] < c.scaleFrom) continue;
            const v = u.data[j][i];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
        const pad = (hi - lo) * 0.05 || 1;
        return [lo - pad, hi + pad];
      } } : {} },
      series: series,
      axes: [{ label: c.xlabel }, { label: c.ylabel, size: 70 }],
      legend: { live: true },
      hooks: { draw: [function () {
        if (drawn) return;
        drawn = true;
        state.drawn++;
        state.ready = state.drawn === state.charts;
      }] },
    };
    return { u: new uPlot(opts, [c.x].concat(c.series.map(s => s.y)), el), el: el, key: labels(c) };
  }
  const plots = {};
  for (const c of D.charts) plots[c.id] = make(c, true);
  if (D.live) {
    const es = new EventSource(D.live);
    const grid = document.getElementById("charts");
    es.onmessage = function (m) {
      const N = JSON.parse(m.data);
      N.charts.forEach(function (c) {
        const p = plots[c.id];
        if (!p) {
          // A chart the session now has (its first rejection, trade…).
          const box = document.createElement("div"), el = document.createElement("div");
          el.className = "chart";
          el.id = "chart-" + c.id;
          box.appendChild(el);
          grid.appendChild(box);
          plots[c.id] = make(c, false);
        } else if (labels(c) !== p.key) {
          // New or renamed lines (a new reason, the wealth curves' ticks).
          p.u.destroy();
          plots[c.id] = make(c, false);
        } else {
          p.u.setData([c.x].concat(c.series.map(s => s.y)));
        }
        if (c.currency) state.lastSupply[c.currency] = c.series[0].y[c.series[0].y.length - 1];
      });
      document.getElementById("meta").textContent = N.meta;
      document.getElementById("check-wrap").innerHTML = N.check;
      document.getElementById("tables-wrap").innerHTML = N.tables;
      state.lastTick = N.lastTick;
      state.updates++;
    };
    es.addEventListener("session", function (m) {
      document.getElementById("session-wrap").innerHTML = JSON.parse(m.data);
      state.sessionUpdates = (state.sessionUpdates || 0) + 1;
    });
    es.addEventListener("stopped", function (m) {
      const el = document.getElementById("live-status");
      el.textContent = m.data;
      el.hidden = false;
      es.close();
    });
  }
  window.addEventListener("resize", function () {
    for (const p of Object.values(plots)) p.u.setSize({ width: Math.max(p.el.clientWidth, 320), height: 280 });
  });
})();
</script>
</body>
</html>
{{define "check"}}{{if .R.EventsOnly}}<h2>Money issued at the last tick (tick {{.R.LastTick}})</h2>
<p class="note">Exact amounts, from the events alone (this page follows an event stream: nothing is replayed, so who holds the money, stock and the wealth distribution are not shown; <code>tickecon report</code> of the replay log has them and cross-checks the world's Supply).</p>
<table id="check">
<tr><th>currency</th><th>minted</th><th>burned</th><th>issued</th></tr>
{{range .R.Check}}<tr>
<td>{{.Currency.Name}}</td><td>{{.Currency.Format .Minted}}</td><td>{{.Currency.Format .Burned}}</td>
<td id="supply-{{.Currency.ID}}" data-minor="{{.Issued}}">{{.Currency.Format .Issued}}</td>
</tr>{{end}}
</table>
{{else}}<h2>Money supply at the last tick (tick {{.R.LastTick}})</h2>
<p class="note">Exact amounts. Issued is minted − burned over the whole log; held is what the holders the events name hold (wallets + tills + escrow); world is the replayed world's Supply. All three must agree.</p>
{{if not .R.OK}}<p class="bad" id="check-failed">The cross-check failed: see the rows marked ✗.</p>{{end}}
<table id="check">
<tr><th>currency</th><th>minted</th><th>burned</th><th>issued</th><th>player wallets</th><th>tills</th><th>escrow</th><th>held</th><th>world Supply</th><th></th></tr>
{{range .R.Check}}<tr>
<td>{{.Currency.Name}}</td><td>{{.Currency.Format .Minted}}</td><td>{{.Currency.Format .Burned}}</td>
<td id="supply-{{.Currency.ID}}" data-minor="{{.Issued}}">{{.Currency.Format .Issued}}</td>
<td>{{.Currency.Format .Wallets}}</td><td>{{.Currency.Format .Tills}}</td><td>{{.Currency.Format .Escrow}}</td>
<td data-minor="{{.Held}}">{{.Currency.Format .Held}}</td>
<td id="world-{{.Currency.ID}}" data-minor="{{.World}}">{{.Currency.Format .World}}</td>
{{if .OK}}<td class="ok">✓</td>{{else}}<td class="no">✗</td>{{end}}
</tr>{{end}}
</table>
{{end}}
{{end}}
{{define "tables"}}{{range .R.Tables}}<h2>{{.Title}}</h2>
{{with .Note}}<p class="note">{{.}}</p>{{end}}
<table>
<tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
{{end}}`
