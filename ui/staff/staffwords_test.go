package staff

import "testing"

func TestStaffWords(t *testing.T) {
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
