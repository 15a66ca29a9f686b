package shop

import (
	"fmt"
	"io"

	"github.com/tickecon/tickecon/events"
)

// Run advances the model until its last completed tick is ticks (tick 0,
// the content, is already done), or until a replay ends.
func (m *Model) Run(ticks uint64) {
	for m.LastTick() < ticks && !m.done {
		m.StepOnce()
	}
}

// WriteSummary prints the session's totals: ticks, purchases, rejections
// by reason (in the fixed order of events.Reasons)
// and the final checksum. The output depends only on the inputs, so two
// runs with the same seed print the same bytes.
func (m *Model) WriteSummary(out io.Writer) error {
	s := &m.stats
	mode := "live"
	if m.mode == Replay {
		mode = "replay"
	}
	_, err := fmt.Fprintf(out, "mode        %s\nticks       %d\npurchases   %d (player %d)\nrejections  %d\n",
		mode, m.LastTick(), s.Purchases, s.PlayerPurchases, s.TotalRejections())
	if err != nil {
		return err
	}
	for _, r := range events.Reasons() {
		// The purchase reasons always, later (command or extension)
		// reasons only when they occurred, to keep the summary short.
		if r > events.ReasonInventoryFull && s.Rejections[r] == 0 {
			continue
		}
		if _, err := fmt.Fprintf(out, "  %-20s %d\n", r, s.Rejections[r]); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(out, "commands rejected %d\nminted %d  burned %d  items granted %d  items used %d\nchecksum    %016x\n",
		s.CommandRejected, s.Minted, s.Burned, s.Granted, s.ItemsBurned, m.last)
	if err != nil {
		return err
	}
	if m.desync != "" {
		_, err = fmt.Fprintf(out, "DESYNC      %s\n", m.desync)
	}
	return err
}
