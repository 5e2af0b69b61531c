package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
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
	ActPrint        = "print"
	ActExport       = "export"
	ActPurge        = "purge"
	ActClose        = "close_kiosk"
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
	err := s.tx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, e) })
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
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
