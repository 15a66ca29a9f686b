// Package consumer proves that tickecon works as a dependency. Its test
// packs the module exactly as the go command packs a published one
// (golang.org/x/mod/zip, from the committed tree at HEAD: commit first),
// serves the zip from a file GOPROXY, and then, in a fresh module outside
// the repository, does what a game does: go get, build every library
// package, run a small program that buys an item and verifies its own log,
// and run the CLI's verify on that log as a tool of the game's module.
// Anything the library needs outside its module zip — a replace line, a
// nested go.mod — fails it.
package consumer
