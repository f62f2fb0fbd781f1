package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

func mustTopic(t *testing.T, db *store.DB, slug, vis string) *docket.Topic {
	t.Helper()
	tp := &docket.Topic{Slug: slug, Title: strings.ToUpper(slug[:1]) + slug[1:], Visibility: vis, Rule: "syria"}
	if err := db.CreateTopic(context.Background(), tp); err != nil {
		t.Fatalf("create topic %s: %v", slug, err)
	}
	return tp
}

func mustSource(t *testing.T, db *store.DB, url, kind string) *docket.Source {
	t.Helper()
	s := &docket.Source{URL: url, Kind: kind}
	if err := db.CreateSource(context.Background(), s); err != nil {
		t.Fatalf("create source %s: %v", url, err)
	}
	return s
}

func item(guid, title string, published time.Time) docket.Item {
	return docket.Item{GUID: guid, URL: "https://example.org/" + guid, Title: title, Summary: "<p>" + title + "</p>",
		Text: title, PublishedAt: published, ContentHash: "h-" + guid + "-" + title}
}

func TestTopics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pub := mustTopic(t, db, "syria", docket.Public)
		mustTopic(t, db, "internal", docket.Private)

		t.Run("duplicate slug is a conflict", func(t *testing.T) {
			err := db.CreateTopic(ctx, &docket.Topic{Slug: "syria", Title: "Again", Visibility: docket.Public})
			if got := docket.ErrorCode(err); got != docket.ECONFLICT {
				t.Fatalf("got code %q (%v), want %q", got, err, docket.ECONFLICT)
			}
		})
		t.Run("bad slug is refused with the field", func(t *testing.T) {
			err := db.CreateTopic(ctx, &docket.Topic{Slug: "Not A Slug", Title: "x", Visibility: docket.Public})
			var e *docket.Error
			if !asError(err, &e) || e.Field != "slug" {
				t.Fatalf("got %v, want an invalid slug error", err)
			}
		})
		t.Run("public list hides private topics", func(t *testing.T) {
			got, err := db.ListTopics(ctx, store.TopicFilter{PublicOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Slug != "syria" {
				t.Fatalf("got %v, want only syria", got)
			}
		})
		t.Run("private topic is not found publicly", func(t *testing.T) {
			if _, err := db.PublicTopicBySlug(ctx, "internal"); docket.ErrorCode(err) != docket.ENOTFOUND {
				t.Fatalf("got %v, want not found", err)
			}
			got, err := db.PublicTopicBySlug(ctx, "syria")
			if err != nil || got.ID != pub.ID {
				t.Fatalf("got %v, %v, want topic %d", got, err, pub.ID)
			}
		})
	})
}

func asError(err error, target **docket.Error) bool {
	if err == nil {
		return false
	}
	e, ok := err.(*docket.Error)
	if ok {
		*target = e
		return true
	}
	if es, ok := err.(docket.Errors); ok && len(es) > 0 {
		*target = es[0]
		return true
	}
	return false
}

func TestSaveItems(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 22, 10, 0, 0, 0, time.UTC)
		batch := []docket.Item{
			item("a", "Aleppo evacuation completed", t0),
			item("b", "Convoy reaches Idlib", t0.Add(time.Hour)),
			item("a", "A duplicate inside the feed", t0),
		}
		var first store.SaveResult
		err := db.Update(ctx, func(tx *store.Tx) (err error) {
			first, err = tx.SaveItems(ctx, src.ID, batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(first.New) != 2 || len(first.Updated) != 0 {
			t.Fatalf("first save: got %d new, %d updated, want 2 new", len(first.New), len(first.Updated))
		}

		again := []docket.Item{item("a", "Aleppo evacuation completed", t0), item("b", "Convoy reaches Idlib, UN says", t0.Add(time.Hour))}
		var second store.SaveResult
		err = db.Update(ctx, func(tx *store.Tx) (err error) {
			second, err = tx.SaveItems(ctx, src.ID, again)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(second.New) != 0 || len(second.Updated) != 1 || second.Same != 1 {
			t.Fatalf("second save: got %+v, want 1 updated and 1 unchanged", second)
		}
		if second.Updated[0] != first.New[1] {
			t.Errorf("updated item id %d, want the same id %d", second.Updated[0], first.New[1])
		}
		got, err := db.ItemByID(ctx, first.New[1])
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Convoy reaches Idlib, UN says" {
			t.Errorf("title after update %q, want the new title", got.Title)
		}
		if !got.PublishedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("published_at %v, want %v", got.PublishedAt, t0.Add(time.Hour))
		}
	})
}

func TestTimelineKeyset(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		un := mustSource(t, db, "https://un.example.org/feed", docket.KindUN)
		t0 := time.Date(2016, 12, 1, 9, 0, 0, 0, time.UTC)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := 0; i < 25; i++ {
				src := news
				if i%5 == 0 {
					src = un
				}
				// Pairs of items share a time, so the id breaks ties.
				it := item("g"+string(rune('a'+i)), "Item", t0.Add(time.Duration(i/2)*time.Hour))
				res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
				if err != nil {
					return err
				}
				if err := tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: tp.ID, Terms: []string{"syria"}}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var all []int64
		cur := store.Cursor{}
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
			page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: tp.ID, Public: true, Before: cur, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Entries {
				all = append(all, e.ItemID)
			}
			if page.Next.IsZero() {
				break
			}
			// The cursor survives its text form, as it does in a URL.
			cur, err = store.ParseCursor(page.Next.String())
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(all) != 25 {
			t.Fatalf("got %d entries over all pages, want 25", len(all))
		}
		seen := map[int64]bool{}
		for i, id := range all {
			if seen[id] {
				t.Fatalf("item %d shown twice", id)
			}
			seen[id] = true
			if i > 0 && all[i-1] < id {
				t.Fatalf("entries out of order at %d: %v", i, all)
			}
		}
		unOnly, err := db.Timeline(ctx, store.TimelineFilter{TopicID: tp.ID, Kinds: []string{docket.KindUN}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(unOnly.Entries) != 5 {
			t.Errorf("un filter: got %d entries, want 5", len(unOnly.Entries))
		}
	})
}

func TestOpenRefusesBadDatabases(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("these are my notes, not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := sha256sum(t, notDB)
	cases := []struct {
		name, url, want string
	}{
		{"empty", "", "--db is empty"},
		{"unknown scheme", "mysql://root@localhost/docket", "unsupported scheme"},
		{"not sqlite", notDB, "is not an SQLite database"},
		{"missing folder", filepath.Join(dir, "nope", "docket.db"), "does not exist"},
		{"directory", dir, "is a directory"},
		{"refused postgres", "postgres://postgres@127.0.0.1:1/test?connect_timeout=2",
			"cannot reach PostgreSQL at 127.0.0.1:1/test: dial tcp 127.0.0.1:1: connect: connection refused"},
		{"unknown postgres host", "postgres://x@nohost.invalid/db?connect_timeout=2", "cannot reach PostgreSQL at nohost.invalid:5432/db: lookup nohost.invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := store.Open(ctx, c.url, store.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("got no error, want one containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %q, want one line containing %q", err, c.want)
			}
		})
	}
	if after := sha256sum(t, notDB); after != before {
		t.Error("opening a file that is not a database changed it")
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt-wal")); err == nil {
		t.Error("opening a file that is not a database left a -wal file")
	}
}

func sha256sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestSchemaNewerThanBinary(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		future := store.Latest() + 100
		if _, err := db.W.ExecContext(ctx, db.W.Rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)`), future, true); err != nil {
			t.Fatal(err)
		}
		_, err := db.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "newer than this docket binary") {
			t.Fatalf("got %v, want a newer-schema error", err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != future {
			t.Fatalf("schema version %d (%v) after refusal, want %d unchanged", v, err, future)
		}
	})
}

// TestLastAdminStays: two admins demoting each other at the same moment leave one admin.
func TestLastAdminStays(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for round := 0; round < 5; round++ {
			var ids []int64
			for i := 0; i < 2; i++ {
				u := &docket.User{Email: fmt.Sprintf("a%d-%d@example.org", round, i), Name: "Admin", Role: docket.RoleAdmin, PasswordHash: "x"}
				if err := db.CreateUser(ctx, u, nil); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, u.ID)
			}
			// Leave only these two as admins.
			db.W.ExecContext(ctx, db.W.Rebind(`UPDATE users SET role = 'editor' WHERE role = 'admin' AND id NOT IN (?, ?)`), ids[0], ids[1])
			errs := make(chan error, 2)
			for i := 0; i < 2; i++ {
				go func() { errs <- db.UpdateUserAccess(ctx, ids[1-i], docket.RoleEditor, false, &ids[i]) }()
			}
			<-errs
			<-errs
			n, err := db.CountAdmins(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("round %d: %d admins left, want 1", round, n)
			}
		}
	})
}
