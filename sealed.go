package intakekiosk

// SealedRecord is a record as stored: its time and sealed payload.
type SealedRecord struct {
	Recorded string `json:"recorded"`
	Payload  []byte `json:"payload"`
}

// SealedSession is a session as stored, still sealed: what travels (a
// transfer bundle, the clinic network). Times are kept as stored text, so an import keeps them
// to the nanosecond.
type SealedSession struct {
	ID        string      `json:"id"`
	Kind      SessionKind `json:"kind"`
	Status    Status      `json:"status"`
	Started   string      `json:"started"`
	Completed string      `json:"completed,omitempty"`
	Ended     string      `json:"ended,omitempty"`
	Urgent    bool        `json:"urgent,omitempty"`
	Attention bool        `json:"attention,omitempty"`
	// Printed and Reviewed are stored times ("" for not yet), ReviewedBy
	// the staff member's name.
	Printed    string         `json:"printed,omitempty"`
	Reviewed   string         `json:"reviewed,omitempty"`
	ReviewedBy string         `json:"reviewed_by,omitempty"`
	PatientID  string         `json:"patient_id,omitempty"`
	SealedKey  []byte         `json:"sealed_key"`
	Records    []SealedRecord `json:"records"`
}

// SealedPatient is a returning patient as stored, still sealed.
type SealedPatient struct {
	ID        string         `json:"id"`
	CodeHash  []byte         `json:"code_hash"`
	SealedKey []byte         `json:"sealed_key"`
	Created   string         `json:"created"`
	Records   []SealedRecord `json:"records"`
}
