package i18n

import "testing"

func TestFieldKey(t *testing.T) {
	for in, want := range map[string]string{"NotOpened": "not_opened", "NotesN": "notes_n", "UrgentTitle": "urgent_title",
		"Page": "page", "KeyExplain": "key_explain", "HourAM": "hour_am", "YYYY": "yyyy"} {
		if got := FieldKey(in); got != want {
			t.Errorf("FieldKey(%q) = %q, want %q", in, got, want)
		}
	}
}
