package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/shard"
)

func init() {
	register(command{name: "audit", args: []string{"SHARD.log", "MORE.log..."},
		summary: "conservation across the logs of a sharded economy; names messages never answered",
		flags:   func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return audit }})
}

// audit checks the logs of every shard together (shard.Audit): exit 0
// when the economy balances (purchases still in flight are listed, and
// accounted), 1 when value was created or lost across shards, 3 when a log
// cannot be read, is not a shard's or is of another economy than the first
// (shard.ErrOtherEconomy), 4 on a torn tail.
func audit(files []string, stdout, stderr io.Writer) int {
	rep, err := shard.Audit(files)
	var ae *shard.AuditError
	if err != nil && !errors.As(err, &ae) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe // it names the file already: "open x.log: …", not "x.log: open x.log: …"
		}
		path := "" // shard.Audit's read errors start with the log's path
		for _, f := range files {
			if strings.HasPrefix(err.Error(), f+": ") || pe != nil && pe.Path == f {
				path = f
			}
		}
		return readErr(stderr, path, err, "audit needs whole logs")
	}
	if ae != nil && ae.Path != "" {
		return badFile(stderr, err)
	}
	if rep != nil {
		for _, s := range rep.Shards {
			fmt.Fprintf(stdout, "shard %d: %s, %d ticks, %d holds, %d answers\n", s.Shard, s.Path, s.Ticks, s.Holds, s.Sales)
		}
		fmt.Fprintf(stdout, "purchases: %d completed on both sides, %d refused with the money back, %d in flight\n",
			rep.Completed, rep.Refused, len(rep.InFlight))
		for _, f := range rep.InFlight {
			fmt.Fprintf(stdout, "  in flight: %v: %s (held %d, paid %d of currency %s)\n", f.Msg, f.State, f.Held, f.Paid, label(f.Currency, rep.Name(f.Currency)))
		}
		for _, m := range rep.Unanswered {
			fmt.Fprintf(stdout, "  never answered: %v (sent by shard %d)\n", m, shard.Addr(m.Msg).Shard())
		}
		for _, b := range rep.Money {
			fmt.Fprintf(stdout, "currency %s: held %v, in flight %v, issued %v\n", label(b.What, b.Name), b.Held, b.InFlight, b.Issued)
		}
		for _, b := range rep.Items {
			fmt.Fprintf(stdout, "item %s: held %v, in flight %v, issued %v\n", label(b.What, b.Name), b.Held, b.InFlight, b.Issued)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "tickecon: %v\n", err)
		return exitMismatch
	}
	fmt.Fprintln(stdout, "conserved")
	return exitOK
}

// label is an id for humans: its content name after it when known
// ("1 (Gold)"), the bare id otherwise. The id stays first, so a script
// matching "currency 1" still does. The name is escaped as in a Go string
// (without the quotes): a name is any text, a newline included.
func label(id components.ID, name string) string {
	if name == "" {
		return fmt.Sprint(id)
	}
	q := strconv.Quote(name)
	return fmt.Sprintf("%d (%s)", id, q[1:len(q)-1])
}
