//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// validate refuses a file beyond screening.MaxFileSize from its size,
// unread (a sparse 100 MiB file), and a named pipe without reading it
// (which would wait for a writer for ever).
func TestInstrumentsValidateHugeFile(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe.json")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan string, 1)
	go func() { _, _, errs := ctl(t, "instruments", "validate", pipe); done <- errs }()
	select {
	case errs := <-done:
		if !strings.Contains(errs, "pipe.json: not a regular file") {
			t.Errorf("pipe: %q", errs)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("validate is reading a named pipe")
	}
	huge := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 100<<20); err != nil {
		t.Fatal(err)
	}
	code, _, errs := ctl(t, "instruments", "validate", huge)
	if code != 1 || !strings.Contains(errs, "huge.json: 104857600 bytes is larger than an instrument file may be") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
