package intakekiosk_test

import (
	"errors"
	"fmt"
	"testing"

	"intakekiosk"
)

func TestErrorWordsAndKind(t *testing.T) {
	base := errors.New("must be 30 to 3600")
	full := intakekiosk.E(intakekiosk.Full, "disk full")
	tests := []struct {
		name  string
		err   error
		words string
		kind  intakekiosk.Kind
	}{
		{"op and field", &intakekiosk.Error{Op: "setting", Field: "idle_seconds", Kind: intakekiosk.Invalid, Err: base},
			"setting idle_seconds: must be 30 to 3600", intakekiosk.Invalid},
		{"op only", &intakekiosk.Error{Op: "taper plan", Kind: intakekiosk.Invalid, Err: base}, "taper plan: must be 30 to 3600", intakekiosk.Invalid},
		{"a sentinel wrapped", fmt.Errorf("save: %w", full), "save: disk full", intakekiosk.Full},
		{"kind from inside", &intakekiosk.Error{Op: "backup", Err: full}, "backup: disk full", intakekiosk.Full},
		{"joined", errors.Join(errors.New("x"), full), "x\ndisk full", intakekiosk.Full},
		{"no kind", errors.New("plain"), "plain", intakekiosk.Other},
		{"kind only", &intakekiosk.Error{Kind: intakekiosk.NotFound}, "not found", intakekiosk.NotFound},
		{"nil", nil, "", intakekiosk.Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err != nil && tt.err.Error() != tt.words {
				t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.words)
			}
			if k := intakekiosk.KindOf(tt.err); k != tt.kind {
				t.Errorf("KindOf = %v, want %v", k, tt.kind)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", full), full) {
		t.Error("a sentinel *Error must still match with errors.Is")
	}
	e, ok := intakekiosk.As(fmt.Errorf("x: %w", &intakekiosk.Error{Op: "setting", Field: "k", Err: base}))
	if !ok || e.Field != "k" || e.Reason() != base.Error() {
		t.Errorf("As = %+v, %v", e, ok)
	}
}
