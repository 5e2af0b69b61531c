package main

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"intakekiosk/assets"
	"intakekiosk/sqlite"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
		want options
	}{
		{nil, true, options{}},
		{[]string{"--db", "/tmp/x.db", "--fullscreen"}, true, options{db: "/tmp/x.db", fullscreen: true}},
		{[]string{"--demo", "--theme", "dark"}, true, options{demo: true, theme: "dark"}},
		{[]string{"--station", "--db", "/tmp/x.db"}, true, options{db: "/tmp/x.db", station: true}},
		{[]string{"--station", "--fullscreen"}, false, options{}},
		{[]string{"--theme", "purple"}, false, options{}},
		{[]string{"extra"}, false, options{}},
		{[]string{"--no-such-flag"}, false, options{}},
	}
	for _, tt := range tests {
		got, err := parseFlags(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("%v: err = %v", tt.args, err)
			continue
		}
		got.bench = nil // the bench binary's, checked in bench_test.go
		if tt.ok && got != tt.want {
			t.Errorf("%v: got %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

// A broken file in the clinic's folder is reported by name and the kiosk
// keeps every valid instrument.
func TestClinicFolderWithBrokenFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kiosk.db")
	inst := filepath.Join(dir, "instruments")
	os.Mkdir(inst, 0o700)
	os.WriteFile(filepath.Join(inst, "broken.json"), []byte(`{"id": "broken", "items": [`), 0o600)
	var logs bytes.Buffer
	cat := loadInstruments(db, slog.New(slog.NewTextHandler(&logs, nil)))
	builtIn, _ := fs.Glob(assets.Instruments(), "*.json")
	if n := len(cat.Instruments()); n != len(builtIn) || n < 8 {
		t.Errorf("%d instruments, want the %d built-in", n, len(builtIn))
	}
	if !strings.Contains(logs.String(), "broken.json") {
		t.Errorf("the broken file is not named in the log: %s", logs.String())
	}
}

// A second kiosk on the same database is refused with a clear message
// naming the file.
func TestSecondKioskRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kiosk.db")
	log := slog.New(slog.DiscardHandler)
	a := test.NewTempApp(t)
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = run(a, time.Now(), log, options{db: db})
	if err == nil || !strings.Contains(err.Error(), "another kiosk") || !strings.Contains(err.Error(), db) {
		t.Errorf("second kiosk: %v", err)
	}
}
