package patient

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// TestCrashChild is the child of TestKilledMidSession: it drives the real
// screens against the database it is given and prints a line after each
// answer has been committed, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("KIOSK_CRASH_DB")
	if path == "" {
		return // only as TestKilledMidSession's child
	}
	h := newHarness(t, sqlite.Options{}, nil)
	h.st.Close()
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	h.useStore(st)
	h.begin("Kim", "Lee")
	fmt.Println("session", h.k.visit.ID())
	for h.asking() {
		step := h.answer("")
		fmt.Println("committed", step.Key())
	}
	fmt.Println("done")
	time.Sleep(time.Minute)
}

// TestKilledMidSession kills a kiosk process in the middle of a session
// and finds every answer it had committed, and the session on record as
// incomplete, after a restart.
func TestKilledMidSession(t *testing.T) {
	if os.Getenv("KIOSK_CRASH_DB") != "" {
		return
	}
	for _, killAfter := range []int{1, 7, 23} {
		t.Run(fmt.Sprint(killAfter), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kiosk.db")
			setup, key := setUpStore(t, path, sqlite.Options{})
			setup.Close()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "KIOSK_CRASH_DB="+path)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var session string
			var committed []string
			sc := bufio.NewScanner(out)
			for sc.Scan() && len(committed) < killAfter {
				f := strings.Fields(sc.Text())
				switch {
				case len(f) == 2 && f[0] == "session":
					session = f[1]
				case len(f) == 2 && f[0] == "committed":
					committed = append(committed, f[1])
				}
			}
			cmd.Process.Kill()
			cmd.Wait()
			if len(committed) < killAfter {
				t.Fatalf("child stopped after %d answers", len(committed))
			}

			// restart: the lock is free again, the session is incomplete
			st, err := sqlite.Open(context.Background(), path, sqlite.Options{Exclusive: true})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n, err := st.RecoverInterrupted(context.Background()); err != nil || n != 1 {
				t.Fatalf("recovered %d sessions, %v; want 1", n, err)
			}
			ss, err := st.Session(context.Background(), session)
			if err != nil || ss.Status != intakekiosk.Incomplete {
				t.Fatalf("session after restart = %+v, %v", ss, err)
			}
			recs, err := st.Records(context.Background(), session, key)
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, r := range recs {
				if r.Answer != nil {
					have[screening.Key{Instrument: r.Answer.Instrument, Item: r.Answer.Item}.String()] = true
				}
			}
			for _, k := range committed {
				if !have[k] {
					t.Errorf("committed answer %s lost", k)
				}
			}
		})
	}
}
