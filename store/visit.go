package store

import (
	"strings"
	"time"

	"intakekiosk/screening"
)

// Visit is a session read back: who the patient said they are, their
// answers, and whether they pressed "I need help now".
type Visit struct {
	Identity      screening.Identity
	Session       *screening.Session
	HelpRequested bool
	// Notes are the counselors' notes, oldest first.
	Notes []StaffNote
	// Lang is the language the patient answered in ("" for English).
	Lang string
}

// StaffNote is a counselor's note with the time it was written.
type StaffNote struct {
	At time.Time
	Note
}

// RebuildVisit replays a session's records in order over the catalog's
// instruments for its kind of visit: the last identity and the last
// answer to each item win, as they did on the kiosk.
func RebuildVisit(recs []Record, cat *screening.Catalog, kind Kind) Visit {
	v := Visit{Session: screening.NewSessionFor(cat, string(kind), nil)}
	for _, r := range recs {
		switch {
		case r.Identity != nil:
			v.Identity = *r.Identity
		case r.Answer != nil:
			v.Session.Restore(*r.Answer)
		case r.Event == "help":
			v.HelpRequested = true
		case strings.HasPrefix(r.Event, "lang:"):
			v.Lang = strings.TrimPrefix(r.Event, "lang:")
		case r.Note != nil:
			v.Notes = append(v.Notes, StaffNote{At: r.Recorded, Note: *r.Note})
		}
	}
	return v
}
