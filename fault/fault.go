// Package fault is the kiosk's one error type (upspin's errors, in
// small): a failure with the operation, a Kind, the field at fault and
// the error underneath. The services (intake, desk), trend and the
// adapters (sqlite, bundle, printer, speech) return it for every failure
// a caller must tell apart; the screens map a kind to a catalog key and
// kioskctl to an exit status, never matching on text. Callers find it
// with errors.AsType[*fault.Error]. It imports only the standard
// library; screening and vault, which import nothing of ours, keep
// their own errors.
package fault

import (
	"errors"
	"strings"
)

// Kind is the class of a failure: what a caller can do about it.
type Kind uint8

// The kinds of failure.
const (
	Other       Kind = iota // not one of the others
	Invalid                 // a value or a request that does not fit
	NotFound                // no such session, patient, staff member, setting
	Exists                  // already there (set up, a name taken)
	Permission              // a wrong passphrase, a disabled or locked-out account, a key not this clinic's
	Locked                  // in use by another kiosk process
	Busy                    // another program holds a lock: try again
	Corrupt                 // damaged, cut short, or not the kiosk's
	TooNew                  // made by a newer version of the kiosk
	Full                    // the disk (or the database's size cap) is full
	Closed                  // no longer open for writing
	Unavailable             // a tool or device is missing (no printer, no voice)
)

var kindWords = [...]string{
	Other: "other", Invalid: "invalid", NotFound: "not found", Exists: "already exists",
	Permission: "permission denied", Locked: "locked", Busy: "busy", Corrupt: "damaged",
	TooNew: "too new", Full: "full", Closed: "closed", Unavailable: "unavailable",
}

// String names the kind in English, for logs.
func (k Kind) String() string {
	if int(k) < len(kindWords) {
		return kindWords[k]
	}
	return "unknown"
}

// Error is a failure with what was being done (Op: "setting",
// "taper plan", "item"), its Kind, the Field at fault when there is one
// (a setting's key, an item's id) and the error underneath. Its text is
// "op field: err", leaving out what is empty.
type Error struct {
	Op    string
	Kind  Kind
	Field string
	Err   error
}

// E builds an *Error of kind with the message text.
func E(kind Kind, text string) *Error { return &Error{Kind: kind, Err: errors.New(text)} }

// Error puts the error in words.
func (e *Error) Error() string {
	head := strings.TrimSpace(e.Op + " " + e.Field)
	switch {
	case e.Err == nil:
		if head == "" {
			return e.Kind.String()
		}
		return head + ": " + e.Kind.String()
	case head == "":
		return e.Err.Error()
	}
	return head + ": " + e.Err.Error()
}

// Unwrap is the error underneath.
func (e *Error) Unwrap() error { return e.Err }

// Reason is what went wrong without the operation and field: what a
// screen shows beside the field itself.
func (e *Error) Reason() string {
	if e.Err == nil {
		return e.Kind.String()
	}
	return e.Err.Error()
}

// KindOf is the kind of the outermost *Error in err's chain that has one
// (not Other); Other when there is none.
func KindOf(err error) Kind {
	for err != nil {
		if e, ok := err.(*Error); ok && e.Kind != Other {
			return e.Kind
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				if k := KindOf(x); k != Other {
					return k
				}
			}
			return Other
		default:
			return Other
		}
	}
	return Other
}

// Is reports whether err is of kind.
func Is(kind Kind, err error) bool { return KindOf(err) == kind }
