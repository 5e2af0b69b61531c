package printer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Where a print system needs a file (Windows), the document is spooled to
// a private temporary file of ours, found again by its name.
const (
	// spoolPrefix starts the name of every temporary file of ours.
	spoolPrefix = "intakekiosk-print-"
	// spoolKeep is how long the printing app has to read the file.
	spoolKeep = 3 * time.Minute
)

// spoolFile writes doc to a new file in dir, readable by this user only,
// and returns its path. The name ends in .pdf for a PDF and .txt for
// anything else (the extension picks the app that prints it). Nothing is
// left behind on error.
func spoolFile(dir string, doc io.Reader) (string, error) {
	data, err := io.ReadAll(doc)
	if err != nil {
		return "", fmt.Errorf("read the document to print: %w", err)
	}
	ext := ".txt"
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		ext = ".pdf"
	}
	f, err := os.CreateTemp(dir, spoolPrefix+"*"+ext)
	if err != nil {
		return "", fmt.Errorf("spool the document to print: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spool the document to print: %w", err)
	}
	return f.Name(), nil
}

// sweepSpool deletes the temporary files of ours in dir last written
// before cutoff: those whose timer did not run because their process
// ended first. Younger ones may still be being read by a printing app.
func sweepSpool(dir string, cutoff time.Time) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("sweep %s: %w", dir, err)
	}
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), spoolPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue // gone meanwhile, or still young
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
