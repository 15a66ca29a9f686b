package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tickecon/tickecon/internal/cliflag"
)

// Exit codes.
const (
	exitOK       = 0
	exitMismatch = 1
	exitUsage    = 2
	exitBadFile  = 3
	exitTorn     = 4
)

// command is one subcommand. To add one, call register from an init
// function in its own file (see record.go, verify.go).
type command struct {
	name    string
	args    []string // names of the file arguments, e.g. {"A", "B"}
	summary string   // one line for the command list
	// flags defines the command's flags on fs and returns the function
	// that runs the command on its file arguments.
	flags func(fs *flag.FlagSet) func(files []string, stdout, stderr io.Writer) int
}

// commands in the order of the usage text.
var commands []command

func register(c command) { commands = append(commands, c) }

func find(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// names lists the commands, for a one-line error.
func names() string {
	var ns []string
	for _, c := range commands {
		ns = append(ns, c.name)
	}
	return strings.Join(ns, ", ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: tickecon <command> [flags] FILE...")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n'tickecon help COMMAND' (or 'tickecon COMMAND -h') lists a command's flags.")
	fmt.Fprintln(w, "exit codes: 0 ok, 1 desync/difference, 2 usage, 3 bad file, 4 torn tail")
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" || a == "help" }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	if isHelp(args[0]) {
		if len(args) > 1 && !isHelp(args[1]) { // "help -h", "help help": the general help
			if c := find(args[1]); c != nil {
				return c.run([]string{"-h"}, stdout, stderr)
			}
			// A typo asking for help is a usage error like any other, not
			// the general help with exit 0.
			fmt.Fprintf(stderr, "tickecon help: unknown command %q (commands: %s)\n", args[1], names())
			return exitUsage
		}
		usage(stdout)
		return exitOK
	}
	if args[0] == "relay" {
		return relayMoved(stderr)
	}
	c := find(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "tickecon: unknown command %q (commands: %s)\n", args[0], names())
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func (c *command) usageLine() string {
	return fmt.Sprintf("usage: tickecon %s [flags] %s", c.name, strings.Join(c.args, " "))
}

// run parses the command's own flags (before or after the files) and runs
// it. -h prints only this command's flags, on stdout, and exits 0.
func (c *command) run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	do := c.flags(fs)
	help := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\n%s\n", c.usageLine(), c.summary)
		fs.SetOutput(w)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
		fs.SetOutput(io.Discard)
	}
	files, err := cliflag.ParseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		help(stdout)
		return exitOK
	}
	// A usage error is one line that says what is wrong and where the
	// help is, as everywhere in the tool and the demo.
	if err != nil {
		fmt.Fprintf(stderr, "tickecon %s: %v (tickecon help %s lists its flags)\n", c.name, err, c.name)
		return exitUsage
	}
	// A last argument name ending in "..." takes any number of files, one at least.
	variadic := strings.HasSuffix(c.args[len(c.args)-1], "...")
	if variadic && len(files) < len(c.args)-1 {
		fmt.Fprintf(stderr, "tickecon %s: want at least %d file argument(s), got %d; %s\n", c.name, len(c.args)-1, len(files), c.usageLine())
		return exitUsage
	}
	if len(files) != len(c.args) && !variadic {
		fmt.Fprintf(stderr, "tickecon %s: want %d file argument(s) (%s), got %d; %s\n", c.name, len(c.args), strings.Join(c.args, " "), len(files), c.usageLine())
		return exitUsage
	}
	return do(files, stdout, stderr)
}

// badFile reports an unreadable, corrupt or unwritable file.
func badFile(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "tickecon: %v\n", err)
	return exitBadFile
}
