package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Purge deletes the sessions (and their records) started before cutoff,
// except one still in progress, with SQLite's secure_delete on so their
// pages are overwritten, then checkpoints the WAL with TRUNCATE so the old
// pages leave it too. The audit log keeps its entries and gains one for
// the purge, made by by. It returns how many sessions were deleted.
func (s *Store) Purge(ctx context.Context, cutoff time.Time, by string, now time.Time) (int64, error) {
	var n int64
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("purge: %w", classify(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return 0, fmt.Errorf("purge: %w", classify(err))
	}
	defer conn.ExecContext(context.Background(), "PRAGMA secure_delete = OFF")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("purge: %w", classify(err))
	}
	err = func() error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE started < ? AND status != ?", ts(cutoff), InProgress)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return appendAudit(ctx, tx, Entry{At: now, Actor: by, Action: ActPurge,
			Detail: fmt.Sprintf("%d sessions started before %s", n, ts(cutoff))})
	}()
	if err == nil {
		err = tx.Commit()
	} else {
		tx.Rollback()
	}
	if err != nil {
		return 0, fmt.Errorf("purge: %w", classify(err))
	}
	var busy, logPages, moved int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved); err != nil {
		return n, fmt.Errorf("purge: checkpoint: %w", classify(err))
	}
	if busy != 0 {
		return n, fmt.Errorf("purge: %w: the WAL could not be truncated while another program reads the database; run purge again", ErrBusy)
	}
	return n, nil
}

// IntegrityCheck runs SQLite's full integrity check.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", classify(err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", classify(err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}
