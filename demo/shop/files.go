package shop

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// ExistsError is a file the demo will not replace: -screenshot's PNG
// (the recording's log says so with a *ticklog.ExistsError). A folder is
// never replaced; a file only with -force. errors.Is(err, fs.ErrExist)
// holds.
type ExistsError struct {
	Path string
	Dir  bool
}

// Error implements error.
func (e *ExistsError) Error() string {
	if e.Dir {
		return e.Path + ": is a directory"
	}
	return e.Path + ": file exists; left as it is (-force replaces it)"
}

// Is matches fs.ErrExist.
func (e *ExistsError) Is(target error) bool { return target == fs.ErrExist }

// CheckNew refuses a folder at path, and unless replace a file: called
// before a run, so a run whose output would be refused does not start.
func CheckNew(path string, replace bool) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil // missing (or unreachable: writing will say why)
	case st.IsDir():
		return &ExistsError{Path: path, Dir: true}
	case !replace:
		return &ExistsError{Path: path}
	}
	return nil
}

// WriteFile writes data to path whole or not at all: to a temporary file
// in path's folder, synced, then moved into place — hard-linked unless
// replace, so a file there (even one that appeared since CheckNew) is
// never replaced — and the folder synced.
func WriteFile(path string, data []byte, replace bool) (err error) {
	if err := CheckNew(path, replace); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil { // CreateTemp makes 0600
		return err
	}
	if replace {
		err = os.Rename(tmp, path)
	} else if err = os.Link(tmp, path); err == nil {
		err = os.Remove(tmp)
	} else if errors.Is(err, fs.ErrExist) {
		return CheckNew(path, false)
	}
	if err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
