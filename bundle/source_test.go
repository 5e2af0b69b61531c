package bundle

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// collect is a sink that keeps the ids it was given, in order.
type collect struct{ ids []string }

func (c *collect) Put(_ context.Context, it exchange.Item) error {
	switch {
	case it.Session != nil:
		c.ids = append(c.ids, "session "+it.Session.ID)
	case it.Patient != nil:
		c.ids = append(c.ids, "patient "+it.Patient.ID)
	}
	return nil
}

// A checked bundle is a source that exchange.Copy reads a second time,
// giving every item in the bundle's order (whatever the destination and
// since), and refusing a file that changed after the check.
func TestSourceCopies(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 12, 7)
	path, n := sat.export(t, time.Time{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(data)
	changed[len(changed)/2] ^= 1

	var want collect // the bundle's lines, in order
	if _, _, err := Read(bytes.NewReader(data), nil, func(ss *intakekiosk.SealedSession, p *intakekiosk.SealedPatient) error {
		return want.Put(ctx, exchange.Item{Session: ss, Patient: p})
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		second []byte // what the second reading finds
		is     error
	}{
		{"the same file", data, nil},
		{"changed after the check", changed, ErrDamaged},
		{"cut after the check", data[:len(data)/3], ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reads := 0
			open := func() (io.ReadCloser, error) {
				reads++
				if reads > 1 {
					return io.NopCloser(bytes.NewReader(tt.second)), nil
				}
				return io.NopCloser(bytes.NewReader(data)), nil
			}
			src, err := Check(open, nil)
			if err != nil || src.Header().Site != "North" || reads != 1 {
				t.Fatalf("Check = %+v, %v after %d readings", src, err, reads)
			}
			var got collect
			sent, err := exchange.Copy(ctx, src, &got, "anywhere", now, now)
			if tt.is != nil {
				if !errors.Is(err, tt.is) || !sent.Empty() {
					t.Errorf("Copy = %d sent, %v; want %v and nothing named", len(sent.Sessions), err, tt.is)
				}
				return
			}
			if err != nil || len(sent.Sessions) != n || !slices.Equal(got.ids, want.ids) {
				t.Errorf("Copy = %d sessions, %v; sink got %d items, want %d", len(sent.Sessions), err, len(got.ids), len(want.ids))
			}
		})
	}
}
