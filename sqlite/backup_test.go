package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"intakekiosk"
	"intakekiosk/screening"
)

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	for i := range 20 {
		finished(t, s, fmt.Sprintf("s%02d", i))
	}
	// a patient taps away while the backup runs
	if err := s.CreateSession(ctx, "live", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.Append(ctx, "live", t0, intakekiosk.Payload{Answer: &screening.Answer{Instrument: "phq9", Item: "1", Choice: "1", At: t0}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "usb", "backup.db")
	os.MkdirAll(filepath.Dir(dest), 0o700)
	pages, err := s.Backup(ctx, dest, "Ada", t0)
	close(stop)
	wg.Wait()
	if err != nil || pages == 0 {
		t.Fatalf("backup: %d pages, %v", pages, err)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v, %v", fi, err)
	}
	if _, err := s.Backup(ctx, dest, "Ada", t0); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second backup over the first: %v", err)
	}
	b, err := Open(ctx, dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if _, err := b.VerifyAudit(ctx); err != nil {
		t.Errorf("the backup's audit chain: %v", err)
	}
	list, _ := b.Sessions(ctx, Filter{})
	if len(list) != 21 {
		t.Errorf("%d sessions in the backup, want 21", len(list))
	}
	for _, ss := range list {
		if _, err := b.Records(ctx, ss.ID, key); err != nil {
			t.Errorf("session %s does not open in the backup: %v", ss.ID, err)
		}
	}
	log, _ := s.AuditLog(ctx)
	if log[len(log)-1].Action != ActBackup || log[len(log)-1].Actor != "Ada" {
		t.Errorf("last audit entry %+v", log[len(log)-1])
	}
}

func TestBackupFails(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	dir := t.TempDir()
	if _, err := s.Backup(ctx, filepath.Join(dir, "no", "such", "dir", "b.db"), "Ada", t0); err == nil {
		t.Error("a backup into a missing folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}
