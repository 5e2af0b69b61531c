package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"intakekiosk/fault"
)

func TestErrorWordsAndKind(t *testing.T) {
	base := errors.New("must be 30 to 3600")
	full := fault.E(fault.Full, "disk full")
	tests := []struct {
		name  string
		err   error
		words string
		kind  fault.Kind
	}{
		{"op and field", &fault.Error{Op: "setting", Field: "idle_seconds", Kind: fault.Invalid, Err: base},
			"setting idle_seconds: must be 30 to 3600", fault.Invalid},
		{"op only", &fault.Error{Op: "taper plan", Kind: fault.Invalid, Err: base}, "taper plan: must be 30 to 3600", fault.Invalid},
		{"a sentinel wrapped", fmt.Errorf("save: %w", full), "save: disk full", fault.Full},
		{"kind from inside", &fault.Error{Op: "backup", Err: full}, "backup: disk full", fault.Full},
		{"joined", errors.Join(errors.New("x"), full), "x\ndisk full", fault.Full},
		{"no kind", errors.New("plain"), "plain", fault.Other},
		{"kind only", &fault.Error{Kind: fault.NotFound}, "not found", fault.NotFound},
		{"nil", nil, "", fault.Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err != nil && tt.err.Error() != tt.words {
				t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.words)
			}
			if k := fault.KindOf(tt.err); k != tt.kind {
				t.Errorf("KindOf = %v, want %v", k, tt.kind)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", full), full) {
		t.Error("a sentinel *Error must still match with errors.Is")
	}
	e, ok := errors.AsType[*fault.Error](fmt.Errorf("x: %w", &fault.Error{Op: "setting", Field: "k", Err: base}))
	if !ok || e.Field != "k" || e.Reason() != base.Error() {
		t.Errorf("As = %+v, %v", e, ok)
	}
}
