package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// Audited commits at once from two goroutines (a kiosk's session end and
// the network's push, on one store) leave the head file on the newest
// entry: each commit and its file update are one step.
func TestAuditedCommitsAtOnce(t *testing.T) {
	ctx := context.Background()
	st, _ := testkit.Store(t, sqlite.Options{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				e := sqlite.Entry{At: time.Now(), Actor: "test", Action: "probe", Detail: string(rune('a'+g)) + string(rune('a'+i%26))}
				if err := st.Audit(ctx, e); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := st.CheckAuditHead(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

// The change log gives each session that changed once, at its latest
// change, in order, from a cursor; a pull's own changes are not in it.
func TestChangesFromACursor(t *testing.T) {
	ctx := context.Background()
	st, _ := testkit.Store(t, sqlite.Options{})
	now := time.Now()
	for i, id := range []string{testkit.CopyID(1), testkit.CopyID(2)} {
		if err := st.CreateSession(ctx, id, "screening", now.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	read := func(after int64) int64 {
		got = nil
		last, err := st.Changes(ctx, after, 10, func(c sqlite.Change) error {
			got = append(got, c.Item.Session.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return last
	}
	last := read(0)
	if len(got) != 2 || got[0] != testkit.CopyID(1) {
		t.Fatalf("changes %v", got)
	}
	if err := st.Complete(ctx, testkit.CopyID(1), now); err != nil {
		t.Fatal(err)
	}
	if read(last); len(got) != 1 || got[0] != testkit.CopyID(1) {
		t.Fatalf("after a completion: %v", got)
	}
	cur, err := st.Hub(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// a pull's merge is not a change of this node's
	im, err := st.Pull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Ack(ctx, testkit.CopyID(2), "Sam Reyes", "2026-12-03T10:00:00.000000000Z"); err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(ctx, sqlite.Entry{At: now, Actor: "test", Action: sqlite.ActPulled}); err != nil {
		t.Fatal(err)
	}
	after, err := st.Hub(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Clock != cur.Clock {
		t.Errorf("a pull moved the change clock %d -> %d", cur.Clock, after.Clock)
	}
}
