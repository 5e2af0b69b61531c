//go:build unix && !darwin

package speech

// New returns the system's speech engine: espeak-ng from PATH at
// DefaultEspeakRate. It returns an error wrapping ErrNoEngine when espeak-ng
// is not installed (Debian package espeak-ng); the kiosk then hides its
// speaker button.
func New() (Speaker, error) {
	return Espeak{}.Open()
}
