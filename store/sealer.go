package store

// Sealer protects what a patient enters on its way to disk and back. Every
// patient payload (identity, answers, events) passes through it; nothing
// else in the store sees plaintext. The sealing issue puts envelope
// encryption behind this interface without touching the screens.
type Sealer interface {
	// Seal returns what is stored for a session's plaintext payload.
	Seal(sessionID string, plaintext []byte) ([]byte, error)
	// Open reverses Seal.
	Open(sessionID string, sealed []byte) ([]byte, error)
}

// Plaintext stores payloads as they are. It is the foundation's sealer
// only and protects nothing; a database written with it has schema
// version 1, which is how a sealing kiosk will know to refuse it.
type Plaintext struct{}

// Seal returns the plaintext unchanged.
func (Plaintext) Seal(_ string, p []byte) ([]byte, error) { return p, nil }

// Open returns the payload unchanged.
func (Plaintext) Open(_ string, p []byte) ([]byte, error) { return p, nil }
