//go:build !linux

package benchmarks_test

// fsName names the file system holding dir (on Linux only).
func fsName(string) string { return "file system not identified on this OS" }
