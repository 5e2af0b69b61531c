//go:build kioskbench

package main

import "testing"

// The bench binary's flags: the soak only over the demo's throwaway
// database, the bare window instead of the kiosk, and a frame probe in
// the kiosk otherwise.
func TestBenchFlags(t *testing.T) {
	tests := []struct {
		args          []string
		ok            bool
		window, kiosk bool
	}{
		{nil, true, false, true},
		{[]string{"--soak", "5"}, false, false, false},
		{[]string{"--soak", "5", "--demo"}, true, false, true},
		{[]string{"--baseline-window"}, true, true, false},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("%v: err = %v", tt.args, err)
			continue
		}
		if !tt.ok {
			continue
		}
		if o.bench == nil {
			t.Errorf("%v: no bench", tt.args)
			continue
		}
		if (o.bench.window != nil) != tt.window || (o.bench.kiosk != nil) != tt.kiosk {
			t.Errorf("%v: bench window %t, kiosk %t; want %t, %t", tt.args, o.bench.window != nil, o.bench.kiosk != nil, tt.window, tt.kiosk)
		}
	}
}
