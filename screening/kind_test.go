package screening

import (
	"maps"
	"slices"
	"testing"
	"time"
)

// TestEveryKindSpecified holds the kind table whole: each kind is listed
// once in kindOrder and has the parts every kind needs.
func TestEveryKindSpecified(t *testing.T) {
	if got, want := slices.Sorted(maps.Keys(kinds)), slices.Sorted(slices.Values(kindOrder)); !slices.Equal(got, want) {
		t.Fatalf("kinds %v, kindOrder %v", got, want)
	}
	for _, k := range kindOrder {
		s := kinds[k]
		if s.define == nil || s.check == nil {
			t.Errorf("%s: no define or check", k)
		}
		if (s.points == nil) != (s.span == nil) {
			t.Errorf("%s: points and span go together", k)
		}
		if s.reversible && s.points == nil {
			t.Errorf("%s: reversible but not scored", k)
		}
		if s.instant == (s.words != nil) {
			t.Errorf("%s: an answer reads back either in words or as an instant", k)
		}
	}
}

func TestSaid(t *testing.T) {
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	n := 12.5
	choice := Item{Kind: Multi, Options: []Option{
		{Value: "a", Label: Text{"en": "Aches", "es": "Dolores"}},
		{Value: "b", Label: Text{"en": "Nausea", "es": "Náuseas"}},
	}}
	tests := []struct {
		name string
		it   Item
		a    Answer
		lang string
		want Said
	}{
		{"declined", Item{Kind: Number}, Answer{Declined: true}, "es", Said{Declined: true}},
		{"single", Item{Kind: Single, Options: choice.Options}, Answer{Choice: "b"}, "es", Said{Words: []string{"Náuseas"}}},
		{"multi, one word each", choice, Answer{Choices: []string{"b", "a"}}, "en", Said{Words: []string{"Nausea", "Aches"}}},
		{"number with its unit", Item{Kind: Number, Decimals: 1, Unit: Text{"en": "g", "es": "g"}}, Answer{Number: &n}, "es", Said{Words: []string{"12.5 g"}}},
		{"an instant is the reader's to word", Item{Kind: When}, Answer{Time: &at}, "es", Said{At: &at}},
		{"text as typed", Item{Kind: Free}, Answer{Text: "mi hermana"}, "en", Said{Words: []string{"mi hermana"}}},
		{"no text", Item{Kind: Free}, Answer{}, "en", Said{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.it.Said(tt.a, tt.lang)
			if got.Declined != tt.want.Declined || !slices.Equal(got.Words, tt.want.Words) ||
				(got.At == nil) != (tt.want.At == nil) || got.At != nil && !got.At.Equal(*tt.want.At) {
				t.Errorf("Said = %+v, want %+v", got, tt.want)
			}
		})
	}
}
