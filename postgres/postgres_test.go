package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"intakekiosk/fault"
)

// The server's refusals and failures take their kinds: a revoked role or
// a right it lacks is Permission (the node stops), anything else
// Unavailable (the node tries again later).
func TestServerErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind fault.Kind
	}{
		{&pgconn.PgError{Code: "42501", Message: "permission denied"}, fault.Permission},
		{&pgconn.PgError{Code: "28000", Message: "role is not permitted to log in"}, fault.Permission},
		{&pgconn.PgError{Code: "28P01", Message: "password authentication failed"}, fault.Permission},
		{&pgconn.PgError{Code: "40001", Message: "could not serialize"}, fault.Busy},
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection"}, fault.Unavailable},
		{context.DeadlineExceeded, fault.Unavailable},
		{errors.New("connection reset by peer"), fault.Unavailable},
	} {
		if got := fault.KindOf(serverError("push", tc.err)); got != tc.kind {
			t.Errorf("%v: kind %v, want %v", tc.err, got, tc.kind)
		}
	}
	if serverError("push", nil) != nil {
		t.Error("no error made one")
	}
}

// A URL that is not one is refused without repeating it (it may hold a
// password).
func TestConnectBadURL(t *testing.T) {
	_, err := Connect(context.Background(), "postgres://owner:s3cret@[::1")
	if !fault.Is(fault.Invalid, err) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a bad URL: %v", err)
	}
}

// The SCRAM verifier is in PostgreSQL's form, salted afresh each time.
func TestScram(t *testing.T) {
	a, err := scram("pw", strings.NewReader(strings.Repeat("a", 16)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scram("pw", strings.NewReader(strings.Repeat("b", 16)))
	if !strings.HasPrefix(a, "SCRAM-SHA-256$4096:") || strings.Count(a, "$") != 2 || a == b || strings.Contains(a, "pw$") {
		t.Errorf("verifiers %q, %q", a, b)
	}
}
