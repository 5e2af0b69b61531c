package printer

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The Windows path spools to a file named by kind; the file is private
// and holds the document.
func TestSpoolFile(t *testing.T) {
	cases := []struct {
		name, doc, ext string
	}{
		{"pdf", "%PDF-1.4\n%%EOF\n", ".pdf"},
		{"text", "AGE-SECRET-KEY-1...\n", ".txt"},
		{"empty", "", ".txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path, err := spoolFile(dir, strings.NewReader(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			base := filepath.Base(path)
			if filepath.Dir(path) != dir || !strings.HasPrefix(base, spoolPrefix) || !strings.HasSuffix(base, tc.ext) {
				t.Errorf("spooled to %s, want %s%s*%s", path, dir+string(filepath.Separator), spoolPrefix, tc.ext)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != tc.doc {
				t.Errorf("file holds %q (%v), want %q", got, err, tc.doc)
			}
			if fi, err := os.Stat(path); runtime.GOOS != "windows" && (err != nil || fi.Mode().Perm() != 0o600) {
				t.Errorf("mode %v (%v), want 0600", fi.Mode(), err)
			}
		})
	}
	if _, err := spoolFile(filepath.Join(t.TempDir(), "missing"), strings.NewReader("x")); err == nil {
		t.Error("spooling into a missing folder worked")
	}
}

// The sweep deletes our own files once the printing app has had its time,
// and nothing else.
func TestSweepSpool(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	files := []struct {
		name string
		age  time.Duration
		gone bool
	}{
		{spoolPrefix + "old.pdf", 2 * spoolKeep, true},
		{spoolPrefix + "old.txt", spoolKeep + time.Second, true},
		{spoolPrefix + "young.pdf", spoolKeep / 2, false},
		{"someone-elses-old.pdf", 2 * spoolKeep, false},
		{"intakekiosk-other.pdf", 2 * spoolKeep, false},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-f.age), now.Add(-f.age)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, spoolPrefix+"dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := sweepSpool(dir, now.Add(-spoolKeep)); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if gone := os.IsNotExist(err); gone != f.gone {
			t.Errorf("%s: gone %v, want %v", f.name, gone, f.gone)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, spoolPrefix+"dir")); err != nil {
		t.Errorf("a folder was swept: %v", err)
	}
	if err := sweepSpool(filepath.Join(dir, "missing"), now); err == nil {
		t.Error("sweeping a missing folder said nothing")
	}
}
