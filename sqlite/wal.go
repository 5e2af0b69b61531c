package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// SQLite links nothing between a database and its -wal file: a WAL copied
// beside another database (or left beside a restored backup) is replayed
// into it. The kiosk keeps the WAL's identity in the audit head file and
// compares before SQLite opens the files. The formats are SQLite's
// (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte WAL
// header (magic, version, page size, checkpoint sequence, salt-1, salt-2,
// checksums), then frames of a 24-byte header and a page.

// walID is a WAL generation: its header's checkpoint sequence and salts.
// SQLite draws new salts when it starts a WAL afresh and, each time it
// restarts one after a checkpoint, adds one to salt-1 and draws salt-2.
type walID struct{ Ckpt, Salt1, Salt2 uint32 }

// walRestarts is how many restarts past the generation the head file
// names a WAL may be and still belong: the kiosk writes the head file
// after every commit that restarts the WAL, so one restart past it is a
// kill between the two; a few more allow for another kioskctl process
// writing beside it.
const walRestarts = 8

// follows reports whether w is rec or a restart of it.
func (w walID) follows(rec walID) bool {
	if w == rec {
		return true
	}
	d := w.Salt1 - rec.Salt1 // wraps like SQLite's
	return d >= 1 && d <= walRestarts
}

// wal is a parsed WAL file: its identity and the pages of its committed
// transactions.
type wal struct {
	ID       walID
	PageSize int
	// Pages maps a page number to its newest committed image.
	Pages map[uint32][]byte
	// DBPages is the database's size in pages after the last commit; 0
	// when the WAL holds no commit.
	DBPages uint32
}

const (
	walMagicLE   = 0x377f0682
	walMagicBE   = 0x377f0683
	walHeader    = 32
	walFrameHead = 24
)

// walSum is SQLite's WAL checksum over b (a multiple of 8 bytes).
func walSum(b []byte, s0, s1 uint32, bigEndian bool) (uint32, uint32) {
	order := binary.ByteOrder(binary.LittleEndian)
	if bigEndian {
		order = binary.BigEndian
	}
	for i := 0; i+8 <= len(b); i += 8 {
		s0 += order.Uint32(b[i:]) + s1
		s1 += order.Uint32(b[i+4:]) + s0
	}
	return s0, s1
}

// parseWAL reads a WAL file's content as SQLite would on recovery: ok is
// false when the header is missing or invalid (SQLite ignores such a
// file); the pages are those of the committed transactions up to the
// first frame that does not check.
func parseWAL(b []byte) (w wal, ok bool) {
	if len(b) < walHeader {
		return wal{}, false
	}
	be := binary.BigEndian
	magic := be.Uint32(b)
	if magic != walMagicLE && magic != walMagicBE {
		return wal{}, false
	}
	big := magic == walMagicBE
	s0, s1 := walSum(b[:24], 0, 0, big)
	if s0 != be.Uint32(b[24:]) || s1 != be.Uint32(b[28:]) {
		return wal{}, false
	}
	ps := int(be.Uint32(b[8:]))
	if ps == 1 {
		ps = 65536
	}
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return wal{}, false
	}
	w = wal{ID: walID{Ckpt: be.Uint32(b[12:]), Salt1: be.Uint32(b[16:]), Salt2: be.Uint32(b[20:])}, PageSize: ps, Pages: map[uint32][]byte{}}
	pending := map[uint32][]byte{}
	for off := walHeader; off+walFrameHead+ps <= len(b); off += walFrameHead + ps {
		fh, page := b[off:off+walFrameHead], b[off+walFrameHead:off+walFrameHead+ps]
		if be.Uint32(fh[8:]) != w.ID.Salt1 || be.Uint32(fh[12:]) != w.ID.Salt2 {
			break
		}
		s0, s1 = walSum(fh[:8], s0, s1, big)
		s0, s1 = walSum(page, s0, s1, big)
		if s0 != be.Uint32(fh[16:]) || s1 != be.Uint32(fh[20:]) {
			break
		}
		pending[be.Uint32(fh)] = page
		if size := be.Uint32(fh[4:]); size != 0 {
			for n, p := range pending {
				w.Pages[n] = p
			}
			clear(pending)
			w.DBPages = size
		}
	}
	return w, true
}

// readWALHeader reads the identity of the WAL file at path, if it has a
// valid header and at least one committed frame (a WAL SQLite would
// replay); ok is false otherwise.
func readWAL(path string) (w wal, ok bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return wal{}, false, nil
	}
	if err != nil {
		return wal{}, false, fmt.Errorf("WAL file %s: %w", path, err)
	}
	w, ok = parseWAL(b)
	return w, ok && w.DBPages > 0, nil
}

// walHeaderID reads only the header of the WAL at path (after a commit of
// ours: its generation is the one to record); ok is false when there is
// no valid header.
func walHeaderID(path string) (walID, bool) {
	f, err := os.Open(path)
	if err != nil {
		return walID{}, false
	}
	defer f.Close()
	b := make([]byte, walHeader)
	if _, err := io.ReadFull(f, b); err != nil {
		return walID{}, false
	}
	w, ok := parseWAL(b)
	return w.ID, ok
}

// dbHeaderID reads the database id (the application_id at offset 68 of
// the main file's header) without SQLite: 0 when the file is new or
// predates ids.
func dbHeaderID(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	b := make([]byte, 100)
	n, err := io.ReadFull(f, b)
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return 0, nil
	}
	if err != nil || string(b[:16]) != "SQLite format 3\x00" {
		return 0, fmt.Errorf("%w (no SQLite header)", ErrCorrupt)
	}
	return binary.BigEndian.Uint32(b[68:]), nil
}

// ForeignWALError says a WAL file beside the database did not belong to
// it and was set aside, unreplayed, as Moved. Open returns the store
// with it (see Store.Warnings); errors.Is(err, ErrForeignWAL) holds.
type ForeignWALError struct {
	WAL, Moved, Why string
}

func (e *ForeignWALError) Error() string {
	if e.Moved == "" {
		return fmt.Sprintf("the WAL file %s does not belong to this database (%s): its changes are not in it", e.WAL, e.Why)
	}
	return fmt.Sprintf("the WAL file %s did not belong to this database (%s): it was set aside as %s, unreplayed; "+
		"nothing in it was added. If it should have been this database's newest changes, keep both files and call IT", e.WAL, e.Why, e.Moved)
}

// Unwrap makes it ErrForeignWAL.
func (e *ForeignWALError) Unwrap() error { return ErrForeignWAL }

// ErrForeignWAL: a WAL file beside the database is not its own.
var ErrForeignWAL error = errors.New("a WAL file that is not this database's")

// walVerdict says why the WAL beside a database does not belong to it,
// or "" when it does (or there is none SQLite would replay). dbID is the
// main file's id; h the head file (haveHead false when there is none).
func walVerdict(w wal, replays bool, dbID uint32, h head, haveHead bool) string {
	switch {
	case !replays:
		return ""
	case !haveHead:
		if dbID == 0 {
			return "" // a database from before ids: nothing to compare with
		}
		return "the database has no audit head file to compare it with"
	case h.DB != 0 && dbID != 0 && h.DB != dbID:
		return fmt.Sprintf("the audit head file beside it is of another database (id %08x, the database's %08x)", h.DB, dbID)
	case h.DB == 0:
		return "" // the first format: no WAL recorded
	case w.stampedBy(dbID):
		// a generation the kiosk began at its open (stamp writes the id
		// on page 1), killed before the head file knew its salts: SQLite
		// draws them afresh for a WAL begun anew
		return ""
	case !h.HaveWAL:
		return "no WAL was open when the kiosk last wrote its audit head file"
	case !w.ID.follows(h.WAL):
		return fmt.Sprintf("its salts %08x %08x are not the ones the kiosk recorded (%08x %08x)", w.ID.Salt1, w.ID.Salt2, h.WAL.Salt1, h.WAL.Salt2)
	}
	return ""
}

// stampedBy reports whether the newest page 1 the WAL holds carries the
// database id dbID (its header's application_id, at offset 68): the WAL
// was written to this database. A foreign database's WAL carries its own.
func (w wal) stampedBy(dbID uint32) bool {
	p, ok := w.Pages[1]
	return ok && dbID != 0 && len(p) >= 72 && binary.BigEndian.Uint32(p[68:]) == dbID
}

// setAside renames the database's -wal (and its -shm index, which
// describes it) to NAME.foreign-TIME, owner-only, never deleting.
func setAside(dbPath string, now time.Time) (string, error) {
	stamp := now.UTC().Format("20060102T150405.000000000Z")
	moved := dbPath + "-wal.foreign-" + stamp
	if err := os.Rename(dbPath+"-wal", moved); err != nil {
		return "", err
	}
	os.Chmod(moved, 0o600)
	if err := os.Rename(dbPath+"-shm", dbPath+"-shm.foreign-"+stamp); err == nil {
		os.Chmod(dbPath+"-shm.foreign-"+stamp, 0o600)
	}
	syncDir(filepath.Dir(dbPath))
	return moved, nil
}
