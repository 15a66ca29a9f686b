// Package cliflag holds the argument parsing that the tickecon and
// tickecon-relay commands share.
package cliflag

import "flag"

// ParseInterleaved parses flags wherever they are among the arguments
// (flag.Parse stops at the first non-flag) and returns the others, in
// order; after "--" everything is a file argument.
func ParseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(files, rest...), nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}
