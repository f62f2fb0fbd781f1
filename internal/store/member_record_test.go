package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

func TestEarlierStatements(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := &docket.Topic{Slug: "aleppo", Title: "Aleppo", Visibility: docket.Public}
		b := &docket.Topic{Slug: "idlib", Title: "Idlib", Visibility: docket.Public}
		c := &docket.Topic{Slug: "rail", Title: "Rail", Visibility: docket.Public}
		wren, other := &docket.Member{Name: "Hannah Wren"}, &docket.Member{Name: "Sarah Whitfield"}
		for _, tp := range []*docket.Topic{a, b, c} {
			if err := db.CreateTopic(ctx, tp); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range []*docket.Member{wren, other} {
			if err := db.CreateMember(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		day := func(d int) *time.Time { x := time.Date(2016, 12, d, 0, 0, 0, 0, time.UTC); return &x }
		add := func(title string, m *docket.Member, status string, published *time.Time, topics ...int64) *docket.Statement {
			t.Helper()
			s := &docket.Statement{Title: title, Kind: docket.KindSpeech, Status: status, PublishedAt: published, MemberID: &m.ID}
			if err := db.CreateStatement(ctx, s, topics, nil, ""); err != nil {
				t.Fatal(err)
			}
			return s
		}
		add("Aleppo, 1 Dec", wren, docket.StatusPublished, day(1), a.ID)
		add("Idlib, 2 Dec", wren, docket.StatusPublished, day(2), b.ID)
		both := add("Both, 3 Dec", wren, docket.StatusPublished, day(3), a.ID, b.ID)
		add("Rail, 4 Dec", wren, docket.StatusPublished, day(4), c.ID)
		add("A draft on Aleppo", wren, docket.StatusDraft, nil, a.ID)
		add("Someone else on Aleppo", other, docket.StatusPublished, day(5), a.ID)
		withdrawn := add("Withdrawn on Aleppo", wren, docket.StatusPublished, day(6), a.ID)
		admin := mustUser(t, db, docket.RoleAdmin, "Admin")
		if _, err := db.Transition(ctx, withdrawn.ID, docket.ActWithdraw, store.SeenOf(withdrawn), admin, ""); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name    string
			topics  []int64
			exclude int64
			before  time.Time
			limit   int
			want    []string
		}{
			{name: "one topic", topics: []int64{a.ID}, limit: 10, want: []string{"Both, 3 Dec", "Aleppo, 1 Dec"}},
			{name: "any of two topics, each once", topics: []int64{a.ID, b.ID}, limit: 10, want: []string{"Both, 3 Dec", "Idlib, 2 Dec", "Aleppo, 1 Dec"}},
			{name: "itself left out", topics: []int64{a.ID, b.ID}, exclude: both.ID, limit: 10, want: []string{"Idlib, 2 Dec", "Aleppo, 1 Dec"}},
			{name: "before a date", topics: []int64{a.ID, b.ID}, before: *day(3), limit: 10, want: []string{"Idlib, 2 Dec", "Aleppo, 1 Dec"}},
			{name: "the newest first, up to the limit", topics: []int64{a.ID, b.ID}, limit: 1, want: []string{"Both, 3 Dec"}},
			{name: "no topics", limit: 10},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rows, err := db.EarlierStatements(ctx, wren.ID, tc.topics, tc.exclude, tc.before, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rows {
					got = append(got, r.Title)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		}
	})
}

func TestStatementSource(t *testing.T) {
	member := int64(1)
	for _, tc := range []struct {
		name string
		src  docket.Source
		want bool
	}{
		{"an MP's site", docket.Source{Kind: docket.KindMP}, true},
		{"an MP's site linked to a member", docket.Source{Kind: docket.KindMP, MemberID: &member}, true},
		{"a member's feed from Parliament", docket.Source{Kind: docket.KindParliament, MemberID: &member}, true},
		{"Parliament's news", docket.Source{Kind: docket.KindParliament}, false},
		{"news linked to a member", docket.Source{Kind: docket.KindNews, MemberID: &member}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := store.StatementSource(&tc.src); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
