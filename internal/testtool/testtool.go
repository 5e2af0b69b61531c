// Package testtool is for tests only: it finds the outside tools a test
// needs (pdftotext, pdfinfo, lp, espeak-ng, a CUPS test queue). Where one
// is missing, a test skips with how to get it on a developer's machine,
// and fails when the CI environment variable is set: a green CI run has
// run every test. Only _test.go files import it.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the command name, or stops the test (failing
// under CI) with how to install it.
func Need(tb testing.TB, name, install string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, name+" is not installed ("+install+"; make test installs it)")
	}
	return path
}

// Missing stops the test because something it needs is not here: it
// fails under CI and skips elsewhere, saying why.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("CI is set, so this test may not skip: %s", why)
		return
	}
	tb.Skip(why)
}
