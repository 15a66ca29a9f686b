package shop

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tickecon/tickecon/events"
)

// DefaultTicks is how long a live headless run (or the run before a
// screenshot) lasts when -ticks is not given: 30 s of play at 20 ticks/s.
const DefaultTicks = 600

// MaxTicks bounds -ticks: a million ticks run headless in about ten
// seconds (about 100,000 ticks/s) and record a log of about 60 MB; a typo
// such as -ticks 1000000000000 (116 days) is refused at once instead of
// running without a word.
const MaxTicks = 1_000_000

// Options are the command-line settings shared by the window (go run
// ./demo) and the headless binary (go run ./demo/headless).
type Options struct {
	Ticks  uint64 // last tick to run; 0: DefaultTicks live, the whole log in a replay
	Seed   uint64
	Record string // record the session to this replay log
	Force  bool   // -record may replace an existing file
	Replay string // play back (and verify) this replay log
	// Publish is -publish: "" off, PublishEmbedded for an embedded NATS
	// server, else a NATS URL. The caller (demo/publish) sets Follow.
	Publish string
	// Follow, if set, follows a -record session from outside the shop
	// (demo/publish relays it to NATS, which the shop does not import).
	Follow Follower
}

// PublishEmbedded is Options.Publish for a bare -publish: an embedded
// server, data in FILE.jetstream.
const PublishEmbedded = "embedded"

// publishFlag is -publish: alone an embedded server, -publish=URL a server.
type publishFlag struct{ s *string }

func (f publishFlag) String() string {
	if f.s == nil {
		return ""
	}
	return *f.s
}

func (f publishFlag) Set(v string) error {
	switch v {
	case "true":
		v = PublishEmbedded
	case "false":
		v = ""
	}
	*f.s = v
	return nil
}

// IsBoolFlag lets -publish stand alone.
func (publishFlag) IsBoolFlag() bool { return true }

// Register adds the shared flags to fs.
func (o *Options) Register(fs *flag.FlagSet) {
	fs.Uint64Var(&o.Ticks, "ticks", 0, fmt.Sprintf("last tick to run headless (or, in the window demo, before -screenshot), 1 to %d (default %d; a replay: the whole log)", MaxTicks, DefaultTicks))
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the bot shoppers' random streams")
	fs.StringVar(&o.Record, "record", "", "record the session to this new replay log (an existing file is refused unless -force)")
	fs.BoolVar(&o.Force, "force", false, "with -record FILE (or the window's -screenshot FILE): replace FILE if it exists")
	fs.StringVar(&o.Replay, "replay", "", "play back a replay log, verifying every tick's checksum")
	fs.Var(publishFlag{&o.Publish}, "publish", "with -record FILE: publish its durable ticks to NATS JetStream (-publish: embedded server, data in FILE.jetstream; -publish=URL: that server)")
}

// errUsage: flags that contradict each other.
var errUsage = errors.New("-record and -replay cannot be combined")

// errPublishUsage: -publish publishes the recording, so it needs one.
var errPublishUsage = errors.New("-publish needs -record FILE: the log is what it publishes")

// Open builds the model the options ask for: live, recording or
// replaying. The returned function closes the log, if any.
func Open(o Options) (*Model, func() error, error) {
	switch {
	case o.Replay != "" && o.Record != "":
		return nil, nil, errUsage
	case o.Publish != "" && o.Record == "":
		return nil, nil, errPublishUsage
	case o.Replay != "":
		return OpenReplay(o.Replay)
	case o.Record != "":
		return recordTo(o.Record, o.Seed, o.Follow, o.Force)
	}
	m, err := New(nil, o.Seed)
	return m, func() error { return nil }, err
}

// UsageError is a command line whose flags contradict each other, miss
// the flag they need, or are out of range, or that has arguments besides
// flags: exit 2 (ExitUsage), said in one line.
type UsageError struct{ Msg string }

// Error implements error.
func (e *UsageError) Error() string { return e.Msg }

// flagNeeds: a flag that means something only with one of the others.
// Flags that a FlagSet lacks are skipped, so the window and the headless
// binary share the table.
var flagNeeds = []struct {
	flag  string
	needs []string
}{
	{"force", []string{"record", "screenshot"}},
	{"publish", []string{"record"}},
	{"skim", []string{"join"}},
	{"peer", []string{"join"}},
	{"halt", []string{"host"}},
	{"nats", []string{"host"}},
	{"reports", []string{"host"}},
	{"mtps", []string{"host", "join"}},
}

// flagExcludes: pairs that contradict each other. A multiplayer session
// neither records nor replays (demo/multi): -record and -replay would be
// ignored.
var flagExcludes = [][2]string{
	{"record", "replay"}, {"host", "join"},
	{"record", "host"}, {"record", "join"}, {"replay", "host"}, {"replay", "join"},
}

// CheckFlags checks a parsed command line of the demo (the window's or the
// headless binary's flags: shop's and demo/multi's) before anything runs:
// no arguments besides flags, -ticks from 1 to MaxTicks when given, no
// flag that needs another without it, no two that contradict each other.
// Its error is a *UsageError: print it in one line and exit ExitUsage.
func CheckFlags(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return &UsageError{fmt.Sprintf("unexpected argument %q: the demo takes flags only (-h lists them)", fs.Arg(0))}
	}
	set := map[string]bool{} // looked up by name, never iterated
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["ticks"] {
		if n, err := strconv.ParseUint(fs.Lookup("ticks").Value.String(), 10, 64); err == nil && (n < 1 || n > MaxTicks) {
			return &UsageError{fmt.Sprintf("-ticks %d: must be 1 to %d (omit it for %d, or the whole log with -replay)", n, MaxTicks, DefaultTicks)}
		}
	}
	for _, x := range flagExcludes {
		if set[x[0]] && set[x[1]] {
			return &UsageError{fmt.Sprintf("-%s and -%s cannot be combined", x[0], x[1])}
		}
	}
	for _, r := range flagNeeds {
		if !set[r.flag] {
			continue
		}
		ok := false
		var named []string // the needed flags this command has
		for _, n := range r.needs {
			ok = ok || set[n]
			if fs.Lookup(n) != nil {
				named = append(named, n)
			}
		}
		if !ok {
			return &UsageError{fmt.Sprintf("-%s needs -%s", r.flag, strings.Join(named, " or -"))}
		}
	}
	return nil
}

// ParseFlags parses the demo's command line into fs (its Usage prints
// the full help) and checks it (CheckFlags). -h prints the help on stdout
// and returns ExitOK; a flag that does not parse, or any CheckFlags
// error, is one line on stderr and ExitUsage (the flag package alone
// printed the whole help after the error). ok says whether to run.
func ParseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.Init(fs.Name(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return ExitOK, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "demo: %v (-h lists the flags)\n", err)
		return ExitUsage, false
	}
	if err := CheckFlags(fs); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return ExitUsage, false
	}
	fs.SetOutput(stderr)
	return ExitOK, true
}

// OpenExitCode is the exit code for an error of Open: 2 for flags that
// contradict each other, else 3 (the log could not be opened, read or
// created).
func OpenExitCode(err error) int {
	var ue *UsageError
	if errors.Is(err, errUsage) || errors.Is(err, errPublishUsage) || errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitCorrupt
}

// RunTo runs the model as the options ask before a summary or a
// screenshot: a replay to its end (or to -ticks if given), a live session
// to -ticks (DefaultTicks if not given).
func (m *Model) RunTo(o Options) {
	switch {
	case o.Ticks > 0:
		m.Run(o.Ticks)
	case m.mode == Replay:
		m.RunAll()
	default:
		m.Run(DefaultTicks)
	}
}

// Headless runs the options' session without a window, prints its summary
// to stdout and returns the exit code: 0 ok, 1 replay desync, 2 bad usage,
// 3 unreadable or damaged log, 4 torn log tail (as `tickecon verify`).
func Headless(o Options, stdout, stderr io.Writer) int {
	m, closeLog, err := Open(o)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return OpenExitCode(err)
	}
	m.RunTo(o)
	if err := m.WriteSummary(stdout); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
	}
	return m.Finish(closeLog, stderr)
}

// Finish closes the session's log and returns the exit code: the
// replay's verdict (told on stderr unless verified; a replay stopped
// early exits 0 and says so), or 3 if the recording could not be written.
func (m *Model) Finish(closeLog func() error, stderr io.Writer) int {
	code := ExitOK
	if err := closeLog(); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		code = ExitCorrupt
	}
	switch s := m.Replay(); {
	case s.ExitCode() != ExitOK:
		fmt.Fprintln(stderr, "demo:", s) // each verdict names the replay or the log itself
		code = s.ExitCode()
	case s.State == ReplayPlaying:
		// Stopped early (-ticks, or the window closed): nothing is wrong
		// so far, but not all of the log was verified.
		fmt.Fprintf(stderr, "demo: replay stopped after %d ticks, before the end of the log: the rest is not verified\n", s.Ticks)
	}
	return code
}

// WriteSummary prints the session's totals: ticks, purchases, rejections
// by reason (in the fixed order of events.Reasons), the final checksum
// and, for a replay, its verdict. The output depends only on the inputs,
// so two runs with the same seed print the same bytes.
func (m *Model) WriteSummary(out io.Writer) error {
	s := &m.stats
	mode := "live"
	if m.mode == Replay {
		mode = "replay"
	}
	_, err := fmt.Fprintf(out, "mode        %s\nticks       %d (0 to %d)\npurchases   %d (by you, the player: %d)\nrejections  %d\n",
		mode, m.Ticks(), m.LastTick(), s.Purchases, s.PlayerPurchases, s.TotalRejections())
	if err != nil {
		return err
	}
	for _, r := range events.Reasons() {
		// The purchase reasons always, later (command or extension)
		// reasons only when they occurred, to keep the summary short.
		if r > events.ReasonInventoryFull && s.Rejections[r] == 0 {
			continue
		}
		if _, err := fmt.Fprintf(out, "  %-34s %d\n", ReasonText(r, ""), s.Rejections[r]); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(out, "commands rejected %d\nminted %d  burned %d  items granted %d  items used %d\nchecksum    %016x\n",
		s.CommandRejected, s.Minted, s.Burned, s.Granted, s.ItemsBurned, m.last)
	if err != nil {
		return err
	}
	if m.mode == Replay {
		_, err = fmt.Fprintf(out, "replay      %s\n", m.Replay())
	}
	return err
}
