package ui

import "testing"

func TestStaffWords(t *testing.T) {
	for in, want := range map[string]string{"NotOpened": "not_opened", "NotesN": "notes_n", "UrgentTitle": "urgent_title", "Page": "page", "KeyExplain": "key_explain"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
	if w := staffWords[struct{ Queue, NotesN string }]("session"); w.Queue != "Queue" || w.NotesN != "Notes (%d)" {
		t.Fatalf("staff words read: %+v", w)
	}
	defer func() {
		if recover() == nil {
			t.Error("a field without its catalog key did not panic")
		}
	}()
	staffWords[struct{ NoSuchWord string }]("session")
}
