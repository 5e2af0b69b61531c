package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files from what the code draws now:
// go test ./report -run Golden -update, then read the diff.
var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt")

// TestSummaryGolden compares the text of fullInput's summary, as
// pdftotext -layout reads it, with testdata/summary.golden.txt: any change
// to what the PDF says or where it says it shows up here. The text depends
// on poppler's version too (made with pdftotext 22.12); after a deliberate
// change, run with -update and review the diff.
func TestSummaryGolden(t *testing.T) {
	got := pdfText(t, render(t, fullInput(t)), "-layout")
	if again := pdfText(t, render(t, fullInput(t)), "-layout"); again != got {
		t.Fatal("two renderings of the same input read back differently")
	}
	golden := filepath.Join("testdata", "summary.golden.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (make it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("the summary's text differs from %s (run with -update after a deliberate change):\n%s", golden, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, wl, gl)
		}
	}
	return "the texts differ only in line endings"
}
