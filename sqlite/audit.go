package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// Audit actions.
const (
	ActSetUp        = "setup"
	ActUnlock       = "unlock"
	ActUnlockFailed = "unlock_failed"
	ActStaffAdd     = "staff_add"
	ActStaffDisable = "staff_disable"
	ActSetting      = "setting_change"
	ActViewSession  = "view_session"
	ActReport       = "report"
	ActPrint        = "print"
	ActExport       = "export"
	ActPurge        = "purge"
	ActClose        = "close_kiosk"
	ActRecover      = "recovery_key_used"
	ActVerify       = "verify_records"
	ActNote         = "note_added"
	ActReview       = "mark_reviewed"
	ActQueue        = "queue_read"
	ActCode         = "checkin_code"
	ActPlan         = "taper_plan"
	ActViewPatient  = "view_patient"
	ActDemo         = "demo_data"
	// ActCallAnswered: a staff member answered a patient's call for staff
	// at the kiosk (the crisis screen).
	ActCallAnswered = "staff_call_answered"
	// ActRefused: a staff member was refused what only an administrator
	// may do (the detail names it).
	ActRefused = "refused"
)

// Entry is one line of the audit log. It names who did what to which
// record or setting, never what a patient entered.
type Entry struct {
	Seq    int64
	At     time.Time
	Actor  string
	Action string
	Target string
	Detail string
}

// genesis is the "previous hash" of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hash chains an entry to the one before.
func (e Entry) hash(prev string) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(e.Seq, 10), ts(e.At), e.Actor, e.Action, e.Target, e.Detail} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry to the log in its own transaction.
func (s *Store) Audit(ctx context.Context, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, e) })
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// auditTx runs a transaction that appends to the audit log, and after it
// commits copies the newest entry's hash to the head file beside the
// database: a log cut off inside the database still disagrees with it.
//
// An error after the commit wraps ErrAuditHead: the change is saved (do
// not make it again), only the head file lags until the next audited
// change writes it.
func (s *Store) auditTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := s.tx(ctx, fn); err != nil {
		return err
	}
	if err := s.syncHead(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrAuditHead, err)
	}
	return nil
}

// syncHead copies the newest audit entry's hash to the head file.
func (s *Store) syncHead(ctx context.Context) error {
	var seq int64
	var hash string
	if err := s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&seq, &hash); err != nil {
		return classify(err)
	}
	return writeHead(s.headPath(), seq, hash)
}

// ErrAuditHead: the change was saved, but the audit head file beside the
// database could not be updated.
var ErrAuditHead = errors.New("saved, but the audit head file could not be updated")

// headPath is the audit head file beside the database.
func (s *Store) headPath() string { return s.path + ".audit-head" }

// writeHead replaces the head file atomically and durably.
func writeHead(path string, seq int64, hash string) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("audit head file: %w", err)
	}
	_, err = fmt.Fprintf(f, "%d %s\n", seq, hash)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("audit head file: %w", err)
	}
	return nil
}

// readHead reads the head file; ok is false when there is none.
func readHead(path string) (seq int64, hash string, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("audit head file: %w", err)
	}
	if _, err := fmt.Sscanf(string(data), "%d %s", &seq, &hash); err != nil {
		return 0, "", true, fmt.Errorf("%w: the audit head file %s is damaged", ErrAuditBroken, path)
	}
	return seq, hash, true, nil
}

// appendAudit appends an entry inside a transaction that also makes the
// change it records.
func appendAudit(ctx context.Context, tx *sql.Tx, e Entry) error {
	prev, seq := genesis, int64(0)
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.Seq = seq + 1
	h := e.hash(prev)
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, ts(e.At), e.Actor, e.Action, e.Target, e.Detail, prev, h); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash", e.Seq, h)
	return err
}

// ErrAuditBroken: the audit chain does not hold.
var ErrAuditBroken = errors.New("audit log tampered with")

// VerifyAudit walks the audit chain and returns how many entries it
// holds, or an error saying where it breaks: an entry edited, missing or
// out of order, or the newest entries cut off.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq")
	if err != nil {
		return 0, fmt.Errorf("verify audit: %w", classify(err))
	}
	defer rows.Close()
	prev, want := genesis, int64(1)
	for rows.Next() {
		var e Entry
		var at, prevHash, hash string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &prevHash, &hash); err != nil {
			return 0, fmt.Errorf("verify audit: %w", err)
		}
		if e.Seq != want {
			return want - 1, fmt.Errorf("%w: entry %d is missing", ErrAuditBroken, want)
		}
		if e.At, err = time.Parse(tsLayout, at); err != nil || prevHash != prev || e.hash(prev) != hash {
			return want - 1, fmt.Errorf("%w: entry %d was changed", ErrAuditBroken, e.Seq)
		}
		prev, want = hash, want+1
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("verify audit: %w", classify(err))
	}
	n := want - 1
	// the copy of the newest hash outside the database
	fileSeq, fileHash, haveFile, err := readHead(s.headPath())
	switch {
	case err != nil:
		return n, err
	case !haveFile && n > 0:
		return n, fmt.Errorf("%w: the audit head file %s is missing", ErrAuditBroken, s.headPath())
	case haveFile && fileSeq != n:
		return n, fmt.Errorf("%w: the log ends at entry %d but %d entries were written: cut off after entry %d", ErrAuditBroken, n, fileSeq, n)
	case haveFile && fileHash != prev:
		return n, fmt.Errorf("%w: entry %d does not match the audit head file", ErrAuditBroken, n)
	}
	if s.IsSetUp() && n == 0 {
		return 0, fmt.Errorf("%w: the log is empty, yet the kiosk was set up (setup writes entry 1)", ErrAuditBroken)
	}
	var headSeq int64
	var headHash string
	err = s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&headSeq, &headHash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if n > 0 {
			return n, fmt.Errorf("%w: the record of the newest entry is missing", ErrAuditBroken)
		}
	case err != nil:
		return n, fmt.Errorf("verify audit: %w", classify(err))
	case headSeq != n:
		return n, fmt.Errorf("%w: the log ends at entry %d but %d entries were written: cut off after entry %d", ErrAuditBroken, n, headSeq, n)
	case headHash != prev:
		return n, fmt.Errorf("%w: entry %d does not match the record of the newest entry", ErrAuditBroken, n)
	}
	return n, nil
}

// AuditLog returns the entries, oldest first.
func (s *Store) AuditLog(ctx context.Context) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", classify(err))
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		e.At, _ = time.Parse(tsLayout, at)
		out = append(out, e)
	}
	return out, classify(rows.Err())
}
