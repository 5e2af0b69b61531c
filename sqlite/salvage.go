package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"intakekiosk/fault"
)

// ActSalvage is the audit action of a salvage, in the new database.
const ActSalvage = "salvage"

// Salvaged is what Salvage copied and what it could not.
type Salvaged struct {
	// Rows is how many rows of each table were copied.
	Rows map[string]int
	// LostRows is how many rows of each table could not be read (a
	// damaged page): what is known of them, the rowids SQLite could not
	// reach.
	LostRows map[string]int
	// Sessions is how many sessions were copied whole.
	Sessions int
	// Lost names the sessions left out: their row could not be read, or
	// some of their records could not (a session cut short does not
	// open), as far as the damaged database's indexes still name them.
	Lost []string
}

// Complete says whether nothing was lost.
func (s Salvaged) Complete() bool {
	for _, n := range s.LostRows {
		if n > 0 {
			return false
		}
	}
	return len(s.Lost) == 0
}

// salvageChunk is how many rowids Salvage reads at once; a chunk that
// fails is read again a row at a time.
const salvageChunk = 256

// Salvage copies what can still be read of the damaged database at from
// into a new database at to (refused when a file is there): table by
// table, row by row where a page fails, without the integrity check that
// makes Open refuse it, and without the clinic key (rows are copied
// sealed, as a backup copies them). A session is copied only whole (its
// row and every record the indexes name for it); the rest are listed in
// Salvaged.Lost. The database at from is opened read-only and left as it
// is. The salvage is put on record in the new database's audit log by
// by; its log has a gap where rows were lost, which verify reports.
func Salvage(ctx context.Context, from, to, by string, opt Options) (Salvaged, error) {
	out := Salvaged{Rows: map[string]int{}, LostRows: map[string]int{}}
	if _, err := os.Stat(from); err != nil {
		return out, fmt.Errorf("salvage %s: %w", from, err)
	}
	if _, err := os.Lstat(to); err == nil {
		return out, &fault.Error{Op: "salvage", Kind: fault.Exists, Field: to, Err: errors.New("exists already; choose a new file")}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return out, fmt.Errorf("salvage %s: %w", to, err)
	}
	src, err := sql.Open("sqlite3", "file:"+escapePath(from)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return out, fmt.Errorf("salvage %s: %w", from, err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	var version int
	if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return out, fmt.Errorf("salvage %s: %w", from, classify(err))
	}
	if known := len(migrationNames()); version != known {
		return out, fmt.Errorf("salvage %s: %w (schema %d; this program salvages schema %d: use the kioskctl of that release)",
			from, ErrCorrupt, version, known)
	}
	st, err := Open(ctx, to, opt)
	if err != nil {
		return out, err
	}
	if err := st.salvageFrom(ctx, src, &out); err != nil {
		st.Close()
		os.Remove(to)
		os.Remove(st.headPath())
		return out, fmt.Errorf("salvage into %s: %w", to, err)
	}
	gone, err := st.dropUncounted(ctx, &out)
	if err != nil {
		st.Close()
		os.Remove(to)
		os.Remove(st.headPath())
		return out, fmt.Errorf("salvage into %s: %w", to, err)
	}
	detail := fmt.Sprintf("%d sessions copied, %d lost", out.Sessions, len(out.Lost))
	err = st.Audit(ctx, Entry{At: st.now(), Actor: by, Action: ActSalvage, Detail: detail, chain: gone.text()})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return out, err
}

// dropUncounted compares the copy's records with what its audit log
// counted (VerifyChains): a session the log counted that did not come
// through, or came cut short, is lost (listed in out, and a session cut
// short dropped whole, as salvageFrom drops one it knows lost a record);
// so is a returning patient that did not come through. What it returns
// puts them on record as gone, so the copy verifies and its log says what
// the salvage lost.
func (s *Store) dropUncounted(ctx context.Context, out *Salvaged) (counted, error) {
	var gone counted
	problems, err := s.VerifyChains(ctx)
	if err != nil {
		return gone, err
	}
	lost := map[string]bool{}
	for _, id := range out.Lost {
		lost[id] = true
	}
	for _, p := range problems {
		switch {
		case p.Patient && p.Missing:
			gone.PurgedPatients = append(gone.PurgedPatients, p.ID)
		case p.Patient, p.Uncounted:
			// a patient's plans cut short, a session no entry counts:
			// verify says so of the copy as of the original
		default:
			if !p.Missing {
				if err := s.tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", p.ID)
					return err
				}); err != nil {
					return gone, err
				}
				out.Sessions--
			}
			if !lost[p.ID] {
				lost[p.ID] = true
				out.Lost = append(out.Lost, p.ID)
			}
		}
	}
	slices.Sort(out.Lost)
	for _, id := range out.Lost {
		gone.PurgedSessions = append(gone.PurgedSessions, id)
	}
	slices.Sort(gone.PurgedPatients)
	gone.PurgedPatients = slices.Compact(gone.PurgedPatients)
	return gone, nil
}

// localCache are the tables a salvage leaves behind: the summary cache
// (migration 0012), made again from the records on the first search.
func localCache(table string) bool { return table == "summaries" || table == "summary_key" }

// salvageFrom copies every table of src but the cache into s, then drops the sessions
// not copied whole, and writes the head file of the copied audit log.
func (s *Store) salvageFrom(ctx context.Context, src *sql.DB, out *Salvaged) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// rows arrive in table order, not in the order of their references
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	tables, err := names(ctx, conn, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return err
	}
	lostRecords := map[int64]bool{}
	for _, t := range tables {
		if localCache(t) {
			continue // made again from the records copied
		}
		lost, err := s.copyTable(ctx, conn, src, t, out)
		if err != nil {
			return err
		}
		if t == "records" {
			for _, id := range lost {
				lostRecords[id] = true
			}
		}
	}
	// which sessions exist there, and which lost a record: from the
	// indexes, read as far as they go
	named := map[string]bool{}
	listed, _ := names(ctx, src, "SELECT id FROM sessions INDEXED BY sqlite_autoindex_sessions_1") // as far as it reads
	for _, id := range listed {
		named[id] = true
	}
	cut := map[string]bool{}
	eachRow(ctx, src, "SELECT session_id, id FROM records INDEXED BY records_by_session", func(r *sql.Rows) {
		var sid string
		var id int64
		if r.Scan(&sid, &id) == nil {
			named[sid] = true
			if lostRecords[id] {
				cut[sid] = true
			}
		}
	})
	copied := map[string]bool{}
	kept, err := names(ctx, conn, "SELECT id FROM sessions")
	if err != nil {
		return err
	}
	for _, id := range kept {
		copied[id] = true
	}
	for id := range named {
		if !copied[id] || cut[id] {
			out.Lost = append(out.Lost, id)
		}
	}
	slices.Sort(out.Lost)
	for id := range cut {
		if _, err := conn.ExecContext(ctx, "DELETE FROM records WHERE session_id = ?", id); err != nil {
			return classify(err)
		}
		if _, err := conn.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
			return classify(err)
		}
	}
	// records whose session is gone (its row was lost) cannot open
	if _, err := conn.ExecContext(ctx, "DELETE FROM records WHERE session_id NOT IN (SELECT id FROM sessions)"); err != nil {
		return classify(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sessions").Scan(&out.Sessions); err != nil {
		return classify(err)
	}
	var seq int64
	var hash string
	switch err := conn.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE one = 1").Scan(&seq, &hash); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return classify(err)
	}
	next := head{Seq: seq, Hash: hash, DB: s.dbID}
	next.WAL, next.HaveWAL = walHeaderID(s.path + "-wal")
	return writeHead(s.headPath(), next)
}

// eachRow gives each row of a query to fn, as far as it can be read.
func eachRow(ctx context.Context, q queryer, query string, fn func(*sql.Rows)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		fn(rows)
	}
	return rows.Err()
}

// names reads one column of text; on an error, what it read before it
// too.
func names(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return out, err
		}
		out = append(out, n)
	}
	return out, classify(rows.Err())
}

// copyTable copies what can be read of table t from src into conn, by
// rowid ranges (a range that fails a row at a time), and returns the
// rowids that could not be read. A table without rowids is copied in
// one scan, as far as it reads.
func (s *Store) copyTable(ctx context.Context, conn *sql.Conn, src *sql.DB, t string, out *Salvaged) ([]int64, error) {
	cols, err := names(ctx, conn, "SELECT name FROM pragma_table_info(?)", t)
	if err != nil {
		return nil, err
	}
	have, err := names(ctx, src, "SELECT name FROM pragma_table_info(?)", t)
	if err != nil || len(have) == 0 {
		out.LostRows[t]++ // the table itself cannot be read
		return nil, nil
	}
	cols = slices.DeleteFunc(cols, func(c string) bool { return !slices.Contains(have, c) })
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	list := strings.Join(quoted, ", ")
	qt := `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, classify(err)
	}
	defer tx.Rollback()
	var hi sql.NullInt64
	rowid := true
	if err := src.QueryRowContext(ctx, "SELECT max(rowid) FROM "+qt).Scan(&hi); err != nil {
		if strings.Contains(err.Error(), "no such column") {
			rowid = false
		} else {
			hi = sql.NullInt64{Int64: -1, Valid: true} // the right edge is damaged: read until it stays empty
		}
	}
	insert := func(vals []any, withRowid bool) error {
		q := "INSERT OR REPLACE INTO " + qt + " (" + list + ") VALUES (" + strings.Repeat("?, ", len(cols)-1) + "?)"
		if withRowid {
			q = "INSERT OR REPLACE INTO " + qt + " (rowid, " + list + ") VALUES (" + strings.Repeat("?, ", len(cols)) + "?)"
		}
		_, err := tx.ExecContext(ctx, q, vals...)
		return classify(err)
	}
	// read gives the rows of a query to insert; n is how many it read
	read := func(q string, withRowid bool, args ...any) (n int, err error) {
		rows, err := src.QueryContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		width := len(cols)
		if withRowid {
			width++
		}
		for rows.Next() {
			vals := make([]any, width)
			ptrs := make([]any, width)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return n, err
			}
			if err := insert(vals, withRowid); err != nil {
				return n, fmt.Errorf("%w: %w", errWrite, err)
			}
			n++
		}
		return n, rows.Err()
	}
	var lost []int64
	if !rowid {
		n, err := read("SELECT "+list+" FROM "+qt, false)
		if errors.Is(err, errWrite) {
			return nil, err
		}
		out.Rows[t] += n
		if err != nil {
			out.LostRows[t]++ // how many is not known
		}
		return nil, tx.Commit()
	}
	chunk := "SELECT rowid, " + list + " FROM " + qt + " WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
	one := "SELECT rowid, " + list + " FROM " + qt + " WHERE rowid = ?"
	empty := 0
	for lo := int64(1); hi.Valid && (hi.Int64 < 0 && empty < 64 || lo <= hi.Int64); lo += salvageChunk {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT chunk"); err != nil {
			return nil, classify(err)
		}
		n, err := read(chunk, true, lo, lo+salvageChunk-1)
		if errors.Is(err, errWrite) {
			return nil, err
		}
		if err != nil {
			// the range crosses a damaged page: again, a row at a time
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO chunk"); err != nil {
				return nil, classify(err)
			}
			n = 0
			for id := lo; id < lo+salvageChunk; id++ {
				k, err := read(one, true, id)
				if errors.Is(err, errWrite) {
					return nil, err
				}
				if err != nil {
					lost = append(lost, id)
					continue
				}
				n += k
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE chunk"); err != nil {
			return nil, classify(err)
		}
		out.Rows[t] += n
		if n == 0 {
			empty++
		} else {
			empty = 0
		}
	}
	out.LostRows[t] += len(lost)
	return lost, classify(tx.Commit())
}

// errWrite marks a failure to write the new database (not a damaged page
// of the old one): the salvage stops.
var errWrite = errors.New("writing the salvaged copy")
