package sqlite

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// head is what the audit head file beside the database holds: the newest
// audit entry's number and hash, the database's id (the random
// application_id in its header) and the WAL generation the kiosk last
// wrote (its header's salts), so that a WAL file that does not belong is
// found before SQLite replays it.
//
// The file reads:
//
//	kiosk-audit-head 2
//	seq 12
//	hash 5f1c…
//	db 1a2b3c4d
//	wal 3 0badf00d 9e3779b9
//
// ("wal -" when no WAL generation is known). The first release's format,
// one line "12 5f1c…", is read too (no id, no WAL known).
type head struct {
	Seq  int64
	Hash string
	// DB is the database's id; 0 when the file does not know it.
	DB uint32
	// WAL is the WAL generation last seen; HaveWAL is false when none.
	WAL     walID
	HaveWAL bool
	// Lost: the kiosk found the file missing while the database held
	// entries, and wrote it again only to keep the WAL's identity; it
	// names no entry ("seq -"), and verify goes on reporting the loss.
	Lost bool
}

// headMagic opens the second format.
const headMagic = "kiosk-audit-head 2"

func (h head) encode() []byte {
	var b bytes.Buffer
	if h.Lost {
		fmt.Fprintf(&b, "%s\nseq -\nhash -\ndb %08x\n", headMagic, h.DB)
	} else {
		fmt.Fprintf(&b, "%s\nseq %d\nhash %s\ndb %08x\n", headMagic, h.Seq, h.Hash, h.DB)
	}
	if h.HaveWAL {
		fmt.Fprintf(&b, "wal %d %08x %08x\n", h.WAL.Ckpt, h.WAL.Salt1, h.WAL.Salt2)
	} else {
		b.WriteString("wal -\n")
	}
	return b.Bytes()
}

// decodeHead reads either format.
func decodeHead(data []byte) (head, error) {
	var h head
	text := string(data)
	if !strings.HasPrefix(text, headMagic+"\n") {
		// the first format: "SEQ HASH"
		if _, err := fmt.Sscanf(text, "%d %s", &h.Seq, &h.Hash); err != nil || len(h.Hash) != len(genesis) {
			return head{}, errors.New("unreadable")
		}
		return h, nil
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(strings.TrimPrefix(text, headMagic+"\n")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || seen[f[0]] {
			return head{}, errors.New("unreadable")
		}
		seen[f[0]] = true
		var err error
		switch {
		case f[0] == "seq" && len(f) == 2 && f[1] == "-":
			h.Lost = true
		case f[0] == "hash" && len(f) == 2 && f[1] == "-":
		case f[0] == "seq" && len(f) == 2:
			h.Seq, err = strconv.ParseInt(f[1], 10, 64)
		case f[0] == "hash" && len(f) == 2 && len(f[1]) == len(genesis):
			h.Hash = f[1]
		case f[0] == "db" && len(f) == 2:
			h.DB, err = hex32(f[1])
		case f[0] == "wal" && len(f) == 2 && f[1] == "-":
		case f[0] == "wal" && len(f) == 4:
			var ck uint64
			ck, err = strconv.ParseUint(f[1], 10, 32)
			h.WAL.Ckpt, h.HaveWAL = uint32(ck), true
			if err == nil {
				h.WAL.Salt1, err = hex32(f[2])
			}
			if err == nil {
				h.WAL.Salt2, err = hex32(f[3])
			}
		default:
			return head{}, errors.New("unreadable")
		}
		if err != nil {
			return head{}, errors.New("unreadable")
		}
	}
	if !seen["seq"] || !seen["hash"] || h.Seq < 0 || h.Lost != (h.Hash == "") {
		return head{}, errors.New("unreadable")
	}
	return h, nil
}

func hex32(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 16, 32)
	return uint32(v), err
}

// readHead reads the head file; ok is false when there is none.
func readHead(path string) (h head, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return head{}, false, nil
	}
	if err != nil {
		return head{}, false, fmt.Errorf("audit head file: %w", err)
	}
	h, err = decodeHead(data)
	if err != nil {
		return head{}, true, fmt.Errorf("%w: the audit head file %s is damaged. %s", ErrAuditBroken, path, adviceTampered)
	}
	return h, true, nil
}

// ErrHeadBack: a write would move the audit head file back, to fewer
// entries or to another entry of the same number. The head file only
// moves forward.
var ErrHeadBack = errors.New("the audit head file would move back")

// writeHead replaces the head file atomically and durably, never with a
// lower entry number than it holds nor with another hash at the same one.
func writeHead(path string, h head) error {
	if old, ok, err := readHead(path); err == nil && ok && !old.Lost && !h.Lost && (old.Seq > h.Seq || old.Seq == h.Seq && old.Hash != h.Hash) {
		return fmt.Errorf("audit head file %s: %w (it names entry %d, the database entry %d)", path, ErrHeadBack, old.Seq, h.Seq)
	}
	if err := writeFileAtomic(path, h.encode()); err != nil {
		return fmt.Errorf("audit head file: %w", err)
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file beside it,
// synced before the rename and the folder synced after: a kill leaves the
// old file or the new one, never part of either.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
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
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable where the system allows it
// (Windows cannot open a folder to sync it; there the rename stands as
// the file system keeps it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
