package pgtest

import (
	"os"
	"strings"
	"testing"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Main(m, &srv)) }

// TestServerRuns starts, answers, is killed and comes back with what was
// committed.
func TestServerRuns(t *testing.T) {
	s := srv.Need(t)
	s.CreateDB(t, "probe")
	s.SQL(t, "probe", "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')")
	s.Kill(t)
	s.Restart(t)
	if got := s.SQL(t, "probe", "SELECT v FROM t"); got != "kept" {
		t.Fatalf("after a kill: %q", got)
	}
	if !strings.HasPrefix(s.SQL(t, "probe", "SHOW listen_addresses"), "127.0.0.1") {
		t.Error("not on 127.0.0.1 only")
	}
}
