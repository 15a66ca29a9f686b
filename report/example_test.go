package report_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
)

// A report made from events alone, as a relay's stream carries them:
// ticks without events may be skipped.
func ExampleNewEventLive() {
	l := report.NewEventLive(report.Options{})
	gold := events.Event{Tick: 0, Kind: events.CurrencyDefined, Subject: 1, Name: "Gold", Size: 2}
	l.StepEvents(0, []events.Event{gold, {Tick: 0, Kind: events.Minted, Subject: 7, Currency: 1, Amount: 1050}})
	l.StepEvents(9, []events.Event{{Tick: 9, Kind: events.Burned, Subject: 7, Currency: 1, Amount: 50}})
	rep := l.Report()
	c := rep.Check[0]
	fmt.Println(rep.Meta())
	fmt.Println(c.Currency.Name, "issued", c.Currency.Format(c.Issued))
	// Output:
	// events only · ticks 0–9 (10 ticks) · 3 events
	// Gold issued 10.00
}

// A live page fed by its caller, with a lockstep session's panel.
func ExampleNewFeed() {
	d := report.NewFeed("my world", report.Options{}, 0)
	defer d.Close()
	d.SetSession(func() *report.Session {
		return &report.Session{Name: "s1", Peers: []report.Peer{{ID: "ann", Agreed: 41, Live: true}}}
	})
	d.Feed(0, []events.Event{{Tick: 0, Kind: events.CurrencyDefined, Subject: 1, Name: "Gold", Size: 2}})
	srv := httptest.NewServer(d)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	fmt.Println(strings.Contains(string(page), `<tr class="peer" data-peer="ann" data-agreed="41"><td>ann</td><td>in step</td><td>40</td></tr>`))
	// Output: true
}
