// Package report turns a replay log into an economy report: money supply
// per currency (minted, burned, and what wallets, tills and escrow hold),
// faucets and sinks, purchases and rejections, stock per listing, top
// items and sellers, the wealth distribution (percentiles, Gini, Lorenz
// curve) at chosen ticks, and trades, coupons and sagas when the session
// has them. Build computes it; WriteHTML renders one self-contained HTML
// page that opens with no network. Live is Build one tick at a time, and
// Follow serves a live report of a log while it is being written (tickecon
// dash, the demo's -dash): the page updates from a server-sent event
// stream. NewEventLive and NewFeed are the same from a session's events
// alone, for a source that has no inputs to replay (a relay's JetStream
// stream: tickecon-relay dash; a lockstep host's world); a live page may
// show a lockstep session's peers and desync reports (Session,
// Dash.SetSession; package report/lockstepdash fills it from
// cluster/lockstep).
//
// # How the numbers are made
//
// Build replays the log on the world its header names (as tickecon verify
// does, checking every tick's events and checksum), so a report of a log
// that does not replay is refused (*DesyncError) rather than drawn. Flows
// (mints, burns, purchases, rejections) are counted from the events. What
// each entity holds is read from the replayed world with World.Holdings,
// but only for the entities a tick's events name: every entity an event
// changes is named in it (the checksum relies on the same rule), so the
// holdings by category — player wallets, tills (shops), escrow (coupons,
// purchase records, any other holder) — are exact at every tick without
// walking the world. At the last tick they are cross-checked against
// World.Supply and against minted − burned (Report.Check).
//
// Money is integer throughout: totals are components.Total (exact past
// int64) and reach the page as decimal strings in the tables. Chart values
// are float64 JSON numbers, for display only (past 2^53 minor units they
// round); a ratio (Gini, Lorenz shares) is computed exactly with math/big
// and only rounded for display.
//
// # Charting
//
// The page embeds uPlot 1.6.32 (MIT, assets/uPlot.LICENSE): about 50 KB of
// minified JavaScript and 2 KB of CSS, no dependencies, made for time
// series with many points (it draws 100k points on a canvas in a few
// milliseconds), and inlined into the page so it opens offline. The Go
// wrappers of ECharts (go-echarts) load ECharts (~1 MB) from a CDN by
// default and need a bundled copy to work offline; Chart.js is ~200 KB
// and slower with long series. Long logs are downsampled to at most
// Options.MaxPoints points per series by min/max buckets: each bucket of
// ticks keeps its lowest and highest value in the order they occurred, so
// spikes survive and the page stays quick.
//
// The package imports the replay and ticklog packages, never demo, NATS or
// a browser (its browser test drives Chromium only under go test); its
// subpackage lockstepdash imports cluster/lockstep and so NATS, and
// cmd/tickecon does not import it.
package report
