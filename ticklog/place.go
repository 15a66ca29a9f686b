package ticklog

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/tickecon/tickecon/ecs"
)

// ExistsError is CreateNew's and ImportJSONLNew's refusal of a path that
// exists: a log is never replaced unless the caller asks (Create,
// ImportJSONL). errors.Is(err, fs.ErrExist) holds; for a folder
// errors.Is(err, syscall.EISDIR) holds too, and the text is the one
// NewReader's callers give for a folder.
type ExistsError struct {
	Path string
	Dir  bool // path is a folder
}

// Error implements error.
func (e *ExistsError) Error() string {
	if e.Dir {
		return e.Path + ": is a directory, not a replay log"
	}
	return e.Path + ": file exists"
}

// Is matches fs.ErrExist, and syscall.EISDIR for a folder.
func (e *ExistsError) Is(target error) bool {
	return target == fs.ErrExist || (e.Dir && target == syscall.EISDIR)
}

// createTemp makes the temporary file a new log at path is written to
// before it is moved into place. Its error names path, not the temporary
// name the caller never asked for. The file is made readable like one
// os.Create would make (0644): os.CreateTemp's 0600 would leave a
// recorded log unreadable to the tools and people it is meant for.
func createTemp(path, suffix string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+suffix)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &os.PathError{Op: "create", Path: path, Err: err}
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, &os.PathError{Op: "create", Path: path, Err: err}
	}
	return f, nil
}

// checkTarget refuses a folder always (renaming a file over it fails with
// a message about the temporary file) and, unless replace, anything at
// path.
func checkTarget(path string, replace bool) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil // missing (or unreachable: creating will say why)
	case st.IsDir():
		return &ExistsError{Path: path, Dir: true}
	case !replace:
		return &ExistsError{Path: path}
	}
	return nil
}

// place moves the synced temporary file tmp to path and makes that
// durable. Unless replace, path must not exist: the file is hard-linked
// into place (link never replaces, so a file that appeared at path since
// checkTarget is kept) and tmp removed. On a file system without hard
// links it falls back to a check and a rename.
func place(tmp, path string, replace bool) error {
	if err := checkTarget(path, replace); err != nil {
		return err
	}
	if replace {
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		return syncDir(filepath.Dir(path))
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		if err := os.Remove(tmp); err != nil {
			return err
		}
	case errors.Is(err, fs.ErrExist):
		return checkTarget(path, false)
	default:
		if _, serr := os.Lstat(path); serr == nil {
			return &ExistsError{Path: path}
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	return syncDir(filepath.Dir(path))
}

// CreateNew is Create for a path that must not exist yet: a file or a
// folder there is refused with an *ExistsError and left alone, before
// anything is written. Use it where replacing a log would lose a session
// nobody asked to lose (tickecon record without -force, the demo's
// -record).
func CreateNew(path string, content *ecs.Content, opts Options) (*Writer, error) {
	return create(path, content, opts, false)
}

// ImportJSONLNew is ImportJSONL for a path that must not exist yet: a file
// or a folder there is refused with an *ExistsError and left alone.
func ImportJSONLNew(in io.Reader, path string) error {
	return importJSONL(in, path, false)
}
