package testtool

import (
	"testing"
)

// TestNeedFinds finds a command every machine running the tests has.
func TestNeedFinds(t *testing.T) {
	if got := Need(t, "sh", "it is part of the system"); got == "" {
		t.Error("no path for sh")
	}
}

// TestMissingFailsUnderCI runs Missing in a test of its own with and
// without CI set, and checks that it failed and skipped.
func TestMissingFailsUnderCI(t *testing.T) {
	for _, tc := range []struct {
		ci         string
		fail, skip bool
	}{
		{ci: "true", fail: true},
		{ci: "", skip: true},
	} {
		t.Setenv("CI", tc.ci)
		var failed, skipped bool
		Missing(&recorder{TB: t, failed: &failed, skipped: &skipped}, "no such tool")
		if failed != tc.fail || skipped != tc.skip {
			t.Errorf("CI=%q: failed %v, skipped %v; want %v, %v", tc.ci, failed, skipped, tc.fail, tc.skip)
		}
	}
}

// recorder notes a Fatalf or a Skip instead of stopping the test.
type recorder struct {
	testing.TB
	failed, skipped *bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { *r.failed = true }
func (r *recorder) Skip(...any)           { *r.skipped = true }
