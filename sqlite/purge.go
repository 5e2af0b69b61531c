package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"intakekiosk"
)

// purgeBatch is how many sessions one purge transaction deletes: between
// batches a patient's tap gets the connection.
const purgeBatch = 500

// Purge deletes the sessions (and their records) started before cutoff,
// except one still in progress, in batches, with SQLite's secure_delete on
// (always, for this database) so their pages are overwritten, then
// checkpoints the WAL with TRUNCATE so the old pages leave it too. Each
// batch commits with its own audit entry, made by by, naming the sessions
// it deleted (so a purge killed half way leaves no deletion unrecorded,
// and verify tells a purged session from a missing one). It returns how
// many sessions were deleted.
func (s *Store) Purge(ctx context.Context, cutoff time.Time, by string, now time.Time) (int64, error) {
	var n int64
	for batch := 1; ; batch++ {
		var ids []string
		err := s.auditTx(ctx, func(tx *sql.Tx) error {
			var err error
			ids, err = queryIDs(ctx, tx, "SELECT id FROM sessions WHERE started < ? AND status != ? ORDER BY started, id LIMIT ?",
				ts(cutoff), intakekiosk.InProgress, purgeBatch)
			// the first batch is on record even when it finds nothing
			if err != nil || (len(ids) == 0 && batch > 1) {
				return err
			}
			del, err := tx.PrepareContext(ctx, "DELETE FROM sessions WHERE id = ?")
			if err != nil {
				return err
			}
			defer del.Close()
			for _, id := range ids {
				if _, err := del.ExecContext(ctx, id); err != nil {
					return err
				}
			}
			c := counted{PurgedSessions: ids}
			return appendAudit(ctx, tx, Entry{At: now, Actor: by, Action: ActPurge,
				Detail: fmt.Sprintf("batch %d: %d sessions started before %s", batch, len(ids), ts(cutoff)), chain: c.text()})
		})
		if err != nil {
			return n, fmt.Errorf("purge: %w", err)
		}
		n += int64(len(ids))
		if len(ids) < purgeBatch {
			break
		}
	}
	// a patient none of whose sessions is left goes too (their code,
	// links and plans), once made before the cutoff
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		ids, err := queryIDs(ctx, tx, `SELECT id FROM patients WHERE created < ? AND NOT EXISTS
			(SELECT 1 FROM sessions WHERE sessions.patient_id = patients.id)`, ts(cutoff))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "DELETE FROM patients WHERE id = ?", id); err != nil {
				return err
			}
		}
		// and what was sent of them: a purged id is nothing to resend
		if _, err := tx.ExecContext(ctx, `DELETE FROM sent WHERE kind = 'session' AND id NOT IN (SELECT id FROM sessions)
			OR kind = 'patient' AND id NOT IN (SELECT id FROM patients)`); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		c := counted{PurgedPatients: ids}
		return appendAudit(ctx, tx, Entry{At: now, Actor: by, Action: ActPurge,
			Detail: fmt.Sprintf("%d returning patients (codes and plans) none of whose sessions is left", len(ids)), chain: c.text()})
	})
	if err != nil {
		return n, fmt.Errorf("purge: patients: %w", err)
	}
	var busy, logPages, moved int
	if err := s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved); err != nil {
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

// queryIDs runs a query of one text column: ids.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
