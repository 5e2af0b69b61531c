// Package exchange moves sealed sessions and returning patients between
// places as a stream of items: a Source gives what a destination has not
// had yet (each destination keeps its own cursor, so a USB bundle and the
// clinic's server each get everything once), a Sink takes items, Copy
// moves one to the other, and Merge decides, without touching storage,
// what an incoming copy of a session or patient does to the one here.
// Nothing here can open what it carries: items stay sealed end to end.
package exchange

import (
	"context"
	"time"

	"intakekiosk"
)

// Item is one session or one returning patient, sealed, as it travels.
// Exactly one is set.
type Item struct {
	Session *intakekiosk.SealedSession
	Patient *intakekiosk.SealedPatient
}

// Source gives the items a destination has not had: the finished
// sessions (and the patients they name) new or changed since they were
// last sent there, oldest first; since, when not zero, gives instead
// every finished session started since then, sent or not.
type Source interface {
	Unsent(ctx context.Context, dest string, since time.Time, fn func(Item) error) error
}

// Sink takes items: a bundle being written, an import in one
// transaction, the clinic's server.
type Sink interface {
	Put(ctx context.Context, it Item) error
}

// Sent names what was sent to a destination, and when the sending began
// (a change made after that goes with the next one).
type Sent struct {
	Dest     string
	At       time.Time
	Sessions []string
	Patients []string
}

// Empty says whether nothing was sent.
func (s Sent) Empty() bool { return len(s.Sessions)+len(s.Patients) == 0 }

// Copy puts into dst every item src has not sent to dest (or, since not
// zero, every session started since) and returns what it put there. It
// does not move the cursor: the caller makes dst durable (the bundle
// synced and in place, the server's commit) and then records the Sent
// with the source, so a crash in between sends the items again instead
// of never.
func Copy(ctx context.Context, src Source, dst Sink, dest string, since, at time.Time) (Sent, error) {
	sent := Sent{Dest: dest, At: at}
	err := src.Unsent(ctx, dest, since, func(it Item) error {
		if err := dst.Put(ctx, it); err != nil {
			return err
		}
		switch {
		case it.Session != nil:
			sent.Sessions = append(sent.Sessions, it.Session.ID)
		case it.Patient != nil:
			sent.Patients = append(sent.Patients, it.Patient.ID)
		}
		return nil
	})
	if err != nil {
		return Sent{Dest: dest, At: at}, err
	}
	return sent, nil
}
