package views

import (
	"context"
	"strings"
	"testing"
)

// TestHolder: the board says who has a statement as an office would, by its status.
func TestHolder(t *testing.T) {
	cases := []struct {
		name string
		r    StatementRowView
		want string
	}{
		{"a draft is with its writer", StatementRowView{Status: "draft", EnteredBy: "Ben", WrittenBy: "Ann"}, "With Ann, who is writing it"},
		{"a new version not yet written is with who started it", StatementRowView{Status: "draft", EnteredBy: "Cat"}, "With Cat, who started it"},
		{"in review waits for someone else", StatementRowView{Status: "in_review", EnteredBy: "Ann", WrittenBy: "Ben"}, "Submitted by Ann, waiting for another editor to approve it"},
		{"approved waits to be published", StatementRowView{Status: "approved", EnteredBy: "Ben", WrittenBy: "Ann"}, "Approved by Ben, waiting to be published"},
		{"published by whom", StatementRowView{Status: "published", Origin: "drafted", EnteredBy: "Cat"}, "Published by Cat"},
		{"imported as published", StatementRowView{Status: "published", Origin: "imported", EnteredBy: "Cat"}, "Imported as published by Cat"},
		{"imported from the command line", StatementRowView{Status: "published", Origin: "imported"}, "Imported as published"},
		{"ingested", StatementRowView{Status: "published", Origin: "ingested"}, "Ingested from the MP's record"},
		{"withdrawn by whom", StatementRowView{Status: "withdrawn", Origin: "ingested", EnteredBy: "Ben"}, "Withdrawn by Ben"},
		{"a draft nobody wrote", StatementRowView{Status: "draft"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Holder(c.r); got != c.want {
				t.Errorf("Holder(%+v) = %q, want %q", c.r, got, c.want)
			}
		})
	}
}

// TestHistoryShowsUpdatesAtTheSource: an event that keeps the status (the public text changed
// at its source) reads as an update, not as a second publication.
func TestHistoryShowsUpdatesAtTheSource(t *testing.T) {
	v := EditorView{Status: "published", History: []HistoryEvent{
		{From: "", To: "published", Note: "ingested"},
		{From: "published", To: "published", Note: "updated at the source: revision 2 is the public text now"},
	}}
	var b strings.Builder
	if err := Editor(v).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if n := strings.Count(page, `data-testid="history-updated"`); n != 1 {
		t.Errorf("%d events marked as updates, want 1", n)
	}
	if !strings.Contains(page, "revision 2 is the public text now") {
		t.Error("the update's note is not shown")
	}
}
