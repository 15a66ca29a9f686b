package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tickecon/tickecon/components"
)

// finish turns the builder's state into the report's check, charts and
// tables.
func (b *builder) finish(rep *Report) {
	rep.TicksPerBucket = b.g.width
	for _, c := range b.curs {
		rep.Currencies = append(rep.Currencies, c.Currency)
		if b.w == nil {
			// Events only: no holder or world to check issued against;
			// the page shows minted, burned and issued without a verdict.
			rep.Check = append(rep.Check, CheckLine{Currency: c.Currency, Minted: c.minted, Burned: c.burned, Issued: c.issued, OK: true})
			continue
		}
		held := c.heldAll
		world := b.w.Supply().MoneyOf(c.ID)
		rep.Check = append(rep.Check, CheckLine{Currency: c.Currency, Minted: c.minted, Burned: c.burned, Issued: c.issued,
			Wallets: c.held[catWallet], Tills: c.held[catTill], Escrow: c.held[catEscrow], Held: held, World: world,
			OK: c.issued == world && held == world})
	}
	note := ""
	if b.g.width > 1 {
		note = fmt.Sprintf("Downsampled: each bucket of %d ticks shows its lowest and highest value.", b.g.width)
	}
	ticks := func(id, title, ylabel, extra string, ss []*series) Chart {
		x, ys := b.g.points(ss)
		ch := Chart{ID: id, Title: title, XLabel: "tick", YLabel: ylabel, X: x, Note: strings.TrimSpace(extra + " " + note)}
		for i, s := range ss {
			ch.Series = append(ch.Series, Series{Label: s.label, Y: ys[i]})
		}
		return ch
	}
	for _, c := range b.curs {
		note, ss := "Minted − burned, and who holds it: player wallets, shop tills, escrow (coupons, purchase records, other holders).",
			[]*series{c.supply, c.cats[catWallet], c.cats[catTill], c.cats[catEscrow]}
		if b.w == nil {
			note, ss = "Minted − burned, from the events (who holds it needs the replay log: tickecon report or dash FILE).", ss[:1]
		}
		ch := ticks(fmt.Sprintf("supply-%d", c.ID), "Money supply — "+c.Name, c.Name, note, ss)
		ch.Currency = c.ID
		rep.Charts = append(rep.Charts, ch)
	}
	for _, c := range b.curs {
		ss := make([]*series, len(c.flows))
		for i, f := range c.flows {
			ss[i] = f.s
		}
		if len(ss) > 0 {
			ch := ticks(fmt.Sprintf("flows-%d", c.ID), "Faucets and sinks per tick — "+c.Name, c.Name,
				"Faucets (mints) up, sinks (burns) down, by where the money appeared or left. The y axis leaves out the first tick (the content's starting money, in the totals table below).", ss)
			ch.ScaleFrom = rep.FirstTick + 1
			rep.Charts = append(rep.Charts, ch)
		}
	}
	rep.Charts = append(rep.Charts, ticks("purchases", "Purchases per tick", "count", "", []*series{b.lines, b.units}))
	var sales []*series
	for _, c := range b.curs {
		sales = append(sales, c.sales)
	}
	if len(sales) > 0 {
		rep.Charts = append(rep.Charts, ticks("sales", "Sales per tick, by currency", "major units", "", sales))
	}
	if len(b.rejects) > 0 {
		rep.Charts = append(rep.Charts, ticks("rejections", "Rejections per tick, by reason", "count", "", flowSeries(b.rejects)))
	}
	// Stock of the best-selling listings (ties: first posted).
	var tracked []*listing
	for _, l := range b.listings {
		if l.s != nil {
			tracked = append(tracked, l)
		}
	}
	slices.SortStableFunc(tracked, func(a, c *listing) int { return cmp.Compare(c.sold, a.sold) })
	if len(tracked) > maxListingSeries {
		tracked = tracked[:maxListingSeries]
	}
	slices.SortStableFunc(tracked, func(a, c *listing) int { return cmp.Compare(a.id, c.id) })
	if len(tracked) > 0 {
		ss := make([]*series, len(tracked))
		for i, l := range tracked {
			ss[i] = l.s
		}
		extra := ""
		if len(b.listings) > len(tracked) {
			extra = fmt.Sprintf("The %d best-selling of %d listings.", len(tracked), len(b.listings))
		}
		rep.Charts = append(rep.Charts, ticks("stock", "Stock per listing", "units", extra, ss))
	}
	if len(b.kinds) > 0 {
		rep.Charts = append(rep.Charts, ticks("commerce", "Trades, coupons, sagas, carts and accounts per tick", "events", "", flowSeries(b.kinds)))
	}
	if b.w != nil {
		b.wealth(rep)
	}
	b.tables(rep)
	if len(b.listings) > maxTracked {
		rep.Notes = append(rep.Notes, fmt.Sprintf("Stock is charted for the first %d of %d listings.", maxTracked, len(b.listings)))
	}
}

func flowSeries(fs []*flow) []*series {
	ss := make([]*series, len(fs))
	for i, f := range fs {
		ss[i] = f.s
	}
	return ss
}

// wealth picks the distributions to show and adds their Lorenz charts.
func (b *builder) wealth(rep *Report) {
	last := rep.LastTick
	chosen := slices.Clip(b.snaps) // the last tick's is added to this view only
	if b.wantAt == nil && (len(chosen) == 0 || chosen[len(chosen)-1].tick != last) {
		chosen = append(chosen, snap{last, b.distributions(last)})
	}
	if b.wantAt == nil && len(chosen) > 5 {
		// The first, the last, and the kept ones nearest the quartiles.
		picks := []snap{chosen[0]}
		for q := uint64(1); q <= 3; q++ {
			want := rep.FirstTick + (last-rep.FirstTick)*q/4
			best := chosen[0]
			for _, s := range chosen {
				if absDiff(s.tick, want) < absDiff(best.tick, want) {
					best = s
				}
			}
			if best.tick != picks[len(picks)-1].tick {
				picks = append(picks, best)
			}
		}
		if chosen[len(chosen)-1].tick != picks[len(picks)-1].tick {
			picks = append(picks, chosen[len(chosen)-1])
		}
		chosen = picks
	}
	if b.wantAt != nil {
		var missing []string
		for _, t := range b.opts.WealthAt {
			if !slices.ContainsFunc(chosen, func(s snap) bool { return s.tick == t }) {
				missing = append(missing, strconv.FormatUint(t, 10))
			}
		}
		if len(missing) > 0 {
			rep.Notes = append(rep.Notes, "No wealth distribution at tick(s) "+strings.Join(missing, ", ")+": not in the log.")
		}
	}
	x := make([]uint64, 101)
	for i := range x {
		x[i] = uint64(i)
	}
	for ci, c := range b.curs {
		ch := Chart{ID: fmt.Sprintf("lorenz-%d", c.ID), Title: "Wealth distribution (Lorenz curve) — " + c.Name,
			XLabel: "% of players, poorest first", YLabel: "share of " + c.Name + " held", X: x,
			Note: "The diagonal is perfect equality; the further below it, the more unequal (Gini)."}
		for _, s := range chosen {
			if ci >= len(s.w) {
				continue // a currency defined after this tick
			}
			w := s.w[ci]
			rep.Wealth = append(rep.Wealth, w)
			ch.Series = append(ch.Series, Series{Label: fmt.Sprintf("tick %d (Gini %s)", w.Tick, w.Gini(3)), Y: w.Lorenz})
		}
		if len(ch.Series) > 0 {
			rep.Charts = append(rep.Charts, ch)
		}
	}
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

func (b *builder) name(id components.ID) string {
	if n := b.names[id]; n != "" {
		return n
	}
	return fmt.Sprintf("#%d", id)
}

func (b *builder) tables(rep *Report) {
	for _, c := range b.curs {
		t := Table{Title: "Faucets and sinks, in total — " + c.Name, Head: []string{"flow", c.Name}}
		for _, f := range c.flows {
			t.Rows = append(t.Rows, []string{f.label, c.Format(f.total)})
		}
		if len(t.Rows) > 0 {
			rep.Tables = append(rep.Tables, t)
		}
	}
	if len(b.rejects) > 0 {
		t := Table{Title: "Rejections, in total", Head: []string{"reason", "count"}}
		rs := slices.Clone(b.rejects)
		slices.SortStableFunc(rs, func(a, c *flow) int { return c.total.Cmp(a.total) })
		for _, f := range rs {
			t.Rows = append(t.Rows, []string{f.label, f.total.String()})
		}
		rep.Tables = append(rep.Tables, t)
	}
	curOf := func(id components.ID) Currency {
		if i, ok := b.curIdx[id]; ok {
			return b.curs[i].Currency
		}
		return Currency{ID: id, Name: b.name(id)}
	}
	if len(b.listings) > 0 {
		t := Table{Title: "Listings: price and stock", Note: "Prices are set when a listing is posted; stock is at the last tick.",
			Head: []string{"listing", "shop", "item", "price", "stock", "units sold", "revenue"}}
		if b.w == nil {
			t.Note = "Prices are set when a listing is posted; stock needs the replay log (—)."
		}
		for _, l := range b.listings {
			cu := curOf(l.cur)
			stock := "—"
			if b.w != nil {
				stock = strconv.FormatInt(l.e.stock, 10)
			}
			t.Rows = append(t.Rows, []string{l.name, b.name(l.shop), b.name(l.item), cu.Format(components.TotalOf(l.price)) + " " + cu.Name,
				stock, strconv.FormatInt(l.sold, 10), cu.Format(l.revenue) + " " + cu.Name})
		}
		rep.Tables = append(rep.Tables, t)
	}
	if len(b.itemList) > 0 {
		its := slices.Clone(b.itemList)
		slices.SortStableFunc(its, func(a, c *itemStat) int { return cmp.Or(cmp.Compare(c.units, a.units), cmp.Compare(a.id, c.id)) })
		its = its[:min(len(its), b.opts.Top)]
		t := Table{Title: "Top items, by units sold", Head: []string{"item", "units sold", "purchase lines"}}
		for _, c := range b.curs {
			t.Head = append(t.Head, "revenue "+c.Name)
		}
		for _, it := range its {
			row := []string{b.name(it.id), strconv.FormatInt(it.units, 10), strconv.Itoa(it.lines)}
			for _, c := range b.curs {
				row = append(row, c.Format(it.revenue[c.ID]))
			}
			t.Rows = append(t.Rows, row)
		}
		rep.Tables = append(rep.Tables, t)
	}
	for _, c := range b.curs {
		var ss []*seller
		for _, s := range b.sellList {
			if s.revenue[c.ID].Sign() > 0 {
				ss = append(ss, s)
			}
		}
		if len(ss) == 0 {
			continue
		}
		slices.SortStableFunc(ss, func(a, d *seller) int { return cmp.Or(d.revenue[c.ID].Cmp(a.revenue[c.ID]), cmp.Compare(a.id, d.id)) })
		ss = ss[:min(len(ss), b.opts.Top)]
		t := Table{Title: "Top sellers — " + c.Name, Note: "By revenue into the seller's till.", Head: []string{"seller", "revenue " + c.Name, "purchase lines (all currencies)"}}
		for _, s := range ss {
			t.Rows = append(t.Rows, []string{b.name(s.id), c.Format(s.revenue[c.ID]), strconv.Itoa(s.lines)})
		}
		rep.Tables = append(rep.Tables, t)
	}
	for _, c := range b.curs {
		t := Table{Title: "Wealth distribution — " + c.Name, Note: "Player wallets (nearest-rank percentiles; the Gini coefficient is computed exactly and rounded).",
			Head: []string{"tick", "players", "min"}}
		for _, p := range Percentiles {
			t.Head = append(t.Head, fmt.Sprintf("p%d", p))
		}
		t.Head = append(t.Head, "max", "total", "Gini")
		for _, w := range rep.Wealth {
			if w.Currency != c.ID {
				continue
			}
			row := []string{strconv.FormatUint(w.Tick, 10), strconv.Itoa(w.Players), c.Format(components.TotalOf(w.Min))}
			for _, v := range w.Percentiles {
				row = append(row, c.Format(components.TotalOf(v)))
			}
			row = append(row, c.Format(components.TotalOf(w.Max)), c.Format(w.Total), w.Gini(4))
			t.Rows = append(t.Rows, row)
		}
		if len(t.Rows) > 0 {
			rep.Tables = append(rep.Tables, t)
		}
	}
	if len(b.kinds) > 0 {
		t := Table{Title: "Trades, coupons, sagas, carts and accounts, in total", Head: []string{"event", "count"}}
		for _, f := range b.kinds {
			t.Rows = append(t.Rows, []string{f.label, f.total.String()})
		}
		rep.Tables = append(rep.Tables, t)
	}
}

// formatMoney renders minor units t with dec decimals, exactly.
func formatMoney(t components.Total, dec int) string {
	s := t.String()
	if dec <= 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= dec {
		s = strings.Repeat("0", dec-len(s)+1) + s
	}
	s = s[:len(s)-dec] + "." + s[len(s)-dec:]
	if neg {
		s = "-" + s
	}
	return s
}
