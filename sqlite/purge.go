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
// checkpoints the WAL with TRUNCATE so the old pages leave it too. The
// audit log keeps its entries and gains one for the purge, made by by. It
// returns how many sessions were deleted.
func (s *Store) Purge(ctx context.Context, cutoff time.Time, by string, now time.Time) (int64, error) {
	var n int64
	for {
		var batch int64
		err := s.tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id IN
				(SELECT id FROM sessions WHERE started < ? AND status != ? LIMIT ?)`, ts(cutoff), intakekiosk.InProgress, purgeBatch)
			if err != nil {
				return err
			}
			batch, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return n, fmt.Errorf("purge: %w", err)
		}
		n += batch
		if batch < purgeBatch {
			break
		}
	}
	// a patient none of whose sessions is left goes too (their code,
	// links and plans), once made before the cutoff
	var patients int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM patients WHERE created < ? AND NOT EXISTS
			(SELECT 1 FROM sessions WHERE sessions.patient_id = patients.id)`, ts(cutoff))
		if err != nil {
			return err
		}
		if patients, err = res.RowsAffected(); err != nil {
			return err
		}
		// and what was sent of them: a purged id is nothing to resend
		_, err = tx.ExecContext(ctx, `DELETE FROM sent WHERE kind = 'session' AND id NOT IN (SELECT id FROM sessions)
			OR kind = 'patient' AND id NOT IN (SELECT id FROM patients)`)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("purge: patients: %w", err)
	}
	detail := fmt.Sprintf("%d sessions started before %s", n, ts(cutoff))
	if patients > 0 {
		detail += fmt.Sprintf(", and %d returning patients (codes and plans) none of whose sessions is left", patients)
	}
	if err := s.Audit(ctx, Entry{At: now, Actor: by, Action: ActPurge, Detail: detail}); err != nil {
		return n, err
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
