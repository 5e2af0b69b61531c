package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"intakekiosk/fault"
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
	// ActAcknowledged: a staff member answered an urgent session's alert
	// ("I'm on it"), at a desk or a kiosk of the clinic.
	ActAcknowledged = "alert_acknowledged"
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
	// chain is what the entry commits of the record chains (counted's
	// text; "" for none): set by the store, in the hash.
	chain string
}

// genesis is the "previous hash" of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hash chains an entry to the one before.
func (e Entry) hash(prev string) string {
	h := sha256.New()
	fields := []string{prev, strconv.FormatInt(e.Seq, 10), ts(e.At), e.Actor, e.Action, e.Target, e.Detail}
	if e.chain != "" {
		// every entry before the chains hashes as it did
		fields = append(fields, e.chain)
	}
	for _, f := range fields {
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

// auditTx runs a transaction that appends to the audit log. Before fn it
// checks the database's audit head against the head file beside the
// database and refuses (ErrAuditBroken) when they disagree: an entry cut
// off inside the database is never papered over by the next append.
// After the commit it moves the head file forward.
//
// An error after the commit wraps ErrAuditHead: the change is saved (do
// not make it again), only the head file lags until the next audited
// change (or the next start) moves it.
func (s *Store) auditTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%w: opened read-only (for checking)", ErrReadOnly)
	}
	s.auditMu.Lock()
	defer s.auditMu.Unlock()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkHead(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		return err
	}
	if err := s.syncHead(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrAuditHead, err)
	}
	return nil
}

// querier is a transaction or a connection pool.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// headState is how the head file stands to the database's audit head.
type headState int

const (
	headAgrees  headState = iota // the same entry, or both empty
	headBehind                   // one entry behind, chaining to the newest: a stop between a commit and the file's update
	headMissing                  // no file, yet the database has entries
	headDiffers                  // anything else: entries removed or changed
)

// dbHead reads the database's record of its newest audit entry (0 and
// the genesis hash when there is none, or no audit table yet).
func dbHead(ctx context.Context, q querier) (int64, string, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'audit_head'").Scan(&n); err != nil || n == 0 {
		return 0, genesis, err
	}
	seq, hash := int64(0), genesis
	err := q.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, genesis, nil
	}
	return seq, hash, err
}

// compareHead says how the head file f (ok false when missing) stands to
// the database's head seq/hash, and in words when they disagree.
func compareHead(ctx context.Context, q querier, f head, ok bool, seq int64, hash string) (headState, string, error) {
	switch {
	case !ok && seq == 0:
		return headAgrees, "", nil
	case !ok || f.Lost:
		return headMissing, fmt.Sprintf("the audit head file is missing, yet the database holds entries up to number %d", seq), nil
	case f.Seq == seq && f.Hash == hash:
		return headAgrees, "", nil
	case f.Seq == seq:
		return headDiffers, fmt.Sprintf("entry %d is not the one the audit head file names", seq), nil
	case f.Seq == seq-1:
		var prev string
		err := q.QueryRowContext(ctx, "SELECT prev_hash FROM audit WHERE seq = ?", seq).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, "", err
		}
		if err == nil && prev == f.Hash {
			return headBehind, "", nil
		}
		return headDiffers, fmt.Sprintf("entry %d is not the one the audit head file names", f.Seq), nil
	case f.Seq > seq:
		return headDiffers, fmt.Sprintf("the database's log ends at entry %d but %d entries were written: cut off after entry %d", seq, f.Seq, seq), nil
	}
	return headDiffers, fmt.Sprintf("the database's log has %d entries but the audit head file names entry %d: entries were added without the kiosk", seq, f.Seq), nil
}

// checkHead refuses an append when the head file and the database's head
// disagree (one entry behind is a stop between a commit and the head
// file's update: the append goes on and moves the file).
func (s *Store) checkHead(ctx context.Context, tx *sql.Tx) error {
	return s.headAgrees(ctx, tx)
}

// headView is the database's newest audit entry beside the head file.
type headView struct {
	seq   int64
	hash  string
	file  head
	ok    bool // the head file exists
	state headState
	why   string
}

// viewHead reads the database's head through q and the head file, and
// compares them.
func (s *Store) viewHead(ctx context.Context, q querier) (v headView, err error) {
	if v.seq, v.hash, err = dbHead(ctx, q); err != nil {
		return v, classify(err)
	}
	if v.file, v.ok, err = readHead(s.headPath()); err != nil {
		return v, err
	}
	v.state, v.why, err = compareHead(ctx, q, v.file, v.ok, v.seq, v.hash)
	return v, classify(err)
}

// headAgrees is CheckAuditHead on q.
func (s *Store) headAgrees(ctx context.Context, q querier) error {
	v, err := s.viewHead(ctx, q)
	if err != nil {
		return err
	}
	if v.state == headMissing || v.state == headDiffers {
		return fmt.Errorf("%w: %s. Audited actions are refused until this is resolved. %s", ErrAuditBroken, v.why, adviceTampered)
	}
	return nil
}

// syncHead moves the head file forward to the database's newest audit
// entry and records the database's id and the WAL generation in it. It
// holds SQLite's write lock meanwhile, so that two processes never write
// the head file out of order. When the file disagrees with the database
// (a missing file, entries removed) its entry is left as it is, the
// evidence verify reports; only the id and the WAL are brought up to date.
func (s *Store) syncHead(ctx context.Context) error {
	s.headMu.Lock()
	defer s.headMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	defer tx.Rollback()
	v, err := s.viewHead(ctx, tx)
	if err != nil {
		return err
	}
	f, ok := v.file, v.ok
	next := head{Seq: f.Seq, Hash: f.Hash, DB: s.dbID}
	next.WAL, next.HaveWAL = walHeaderID(s.path + "-wal")
	switch v.state {
	case headMissing:
		// never made up: the file keeps only the id and the WAL, and
		// verify goes on reporting it missing
		next = head{Lost: true, DB: s.dbID, WAL: next.WAL, HaveWAL: next.HaveWAL}
	case headAgrees, headBehind:
		next.Seq, next.Hash = v.seq, v.hash
	}
	if ok && next == f {
		s.wal, s.haveWAL = next.WAL, next.HaveWAL
		return nil
	}
	if err := writeHead(s.headPath(), next); err != nil {
		return err
	}
	s.wal, s.haveWAL = next.WAL, next.HaveWAL
	return nil
}

// noteWAL records a new WAL generation after a commit that started one
// (SQLite restarts the WAL after a checkpoint), so that the head file
// always knows the WAL beside the database, audited commit or not.
func (s *Store) noteWAL(ctx context.Context) {
	id, ok := walHeaderID(s.path + "-wal")
	s.headMu.Lock()
	same := ok == s.haveWAL && id == s.wal
	s.headMu.Unlock()
	if !same {
		s.syncHead(ctx) // a failure leaves the WAL one restart on: still accepted
	}
}

// ErrAuditHead: the change was saved, but the audit head file beside the
// database could not be updated.
var ErrAuditHead = errors.New("saved, but the audit head file could not be updated")

// headPath is the audit head file beside the database.
func (s *Store) headPath() string { return s.path + ".audit-head" }

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
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit (seq, at, actor, action, target, detail, chain, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, ts(e.At), e.Actor, e.Action, e.Target, e.Detail, e.chain, prev, h); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash", e.Seq, h)
	return err
}

// ErrAuditBroken: the audit chain does not hold (kind fault.Corrupt).
var ErrAuditBroken error = fault.E(fault.Corrupt, "the audit log does not hold: entries were removed or changed")

// adviceTampered is what staff do about an audit log that does not hold.
const adviceTampered = "This means someone with access to the files removed or changed audit entries, " +
	"or the disk damaged them. What to do: keep this database as it is (it is evidence), " +
	"call IT, and put the newest backup that verifies in its place (kioskctl verify --db BACKUP, then kioskctl restore --from BACKUP)"

// VerifyAudit walks the audit chain and returns how many entries it
// holds, or an error saying where it breaks: an entry edited, missing or
// out of order, or the newest entries cut off.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at, actor, action, target, detail, chain, prev_hash, hash FROM audit ORDER BY seq")
	if err != nil {
		return 0, fmt.Errorf("verify audit: %w", classify(err))
	}
	defer rows.Close()
	prev, want := genesis, int64(1)
	for rows.Next() {
		var e Entry
		var at, prevHash, hash string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.chain, &prevHash, &hash); err != nil {
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
	broken := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s. %s", ErrAuditBroken, fmt.Sprintf(format, a...), adviceTampered)
	}
	headSeq, headHash, err := dbHead(ctx, s.db)
	if err != nil {
		return n, fmt.Errorf("verify audit: %w", classify(err))
	}
	switch {
	case headSeq != n:
		return n, broken("the log ends at entry %d but the database's record says %d entries were written: cut off after entry %d", n, headSeq, n)
	case headHash != prev:
		return n, broken("entry %d does not match the database's record of the newest entry", n)
	}
	// the copy of the newest hash outside the database
	f, ok, err := readHead(s.headPath())
	if err != nil {
		return n, err
	}
	st, why, err := compareHead(ctx, s.db, f, ok, n, prev)
	switch {
	case err != nil:
		return n, fmt.Errorf("verify audit: %w", classify(err))
	case st == headMissing:
		return n, broken("%s (%s)", why, s.headPath())
	case st == headDiffers:
		return n, broken("%s", why)
	case st == headBehind:
		s.headLags = true
	}
	if s.IsSetUp() && n == 0 {
		return 0, broken("the log is empty, yet the kiosk was set up (setup writes entry 1)")
	}
	return n, nil
}

// HeadLags reports whether the last VerifyAudit found the head file one
// entry behind a log that holds: the kiosk stopped between saving an
// audited change and updating the file. The next start moves it on; it
// is not tampering.
func (s *Store) HeadLags() bool { return s.headLags }

// CheckAuditHead compares the database's newest audit entry with the
// head file beside it, as every audited action does first: nil when
// they agree (or the file is one entry behind, which the next audited
// action mends), else ErrAuditBroken saying what is wrong and what to do.
// Staff mode shows it on its home screen.
func (s *Store) CheckAuditHead(ctx context.Context) error {
	return s.headAgrees(ctx, s.db)
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
