//go:build !unix && !windows

package speech

// New returns ErrNoEngine: this platform (js/wasm, WASI, Plan 9) has no
// speech engine this package can drive, so the kiosk hides its speaker
// button.
func New() (Speaker, error) {
	return nil, ErrNoEngine
}
