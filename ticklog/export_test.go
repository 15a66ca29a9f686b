package ticklog

import "os"

// WithWrapFile returns opts with the log file wrapped by wrap before
// anything is written to it, for the external tests (crash_test.go,
// package ticklog_test) that inject faults or simulate power loss. The hook is
// not part of the API: a game records to any File with NewWriter.
func WithWrapFile(opts Options, wrap func(*os.File) File) Options {
	opts.wrapFile = wrap
	return opts
}
