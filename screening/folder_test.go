package screening_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk/assets"
	"intakekiosk/screening"
)

// A clinic folder that cannot be read is reported; the built-in
// instruments still load.
func TestUnreadableFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	cat, errs := screening.Load(
		screening.Source{Name: "built-in", FS: assets.Instruments()},
		screening.Source{Name: missing, FS: os.DirFS(missing)},
	)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), missing) {
		t.Fatalf("errors = %v, want one naming %s", errs, missing)
	}
	files, err := fs.Glob(assets.Instruments(), "*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("built-in files %v: %v", files, err)
	}
	if len(cat.Instruments()) != len(files) {
		t.Errorf("%d instruments loaded, want the %d built-in %v", len(cat.Instruments()), len(files), files)
	}
}
