package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestImportRefusesAFuturePublication: a statement imported as published cannot have been
// published after now (beyond a few minutes of clock skew): it would sort as the newest and
// never go stale.
func TestImportRefusesAFuturePublication(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		for _, c := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"next year", now.AddDate(1, 0, 0), false},
			{"an hour ahead", now.Add(time.Hour), false},
			{"a minute ahead, a clock's skew", now.Add(time.Minute), true},
			{"yesterday", now.AddDate(0, 0, -1), true},
		} {
			t.Run(c.name, func(t *testing.T) {
				at := c.at
				in := store.Import{Statement: docket.Statement{Title: "On Aleppo " + c.name, Body: "I welcome the evacuation.",
					Kind: docket.KindPressRelease, Status: docket.StatusPublished, PublishedAt: &at}}
				for _, preview := range []bool{true, false} {
					var err error
					if preview {
						_, err = db.PreviewImport(ctx, in)
					} else {
						_, err = db.ImportStatement(ctx, in)
					}
					var fe *docket.Error
					switch {
					case c.ok && err != nil:
						t.Errorf("preview %v: %v, want it taken", preview, err)
					case !c.ok && (!errors.As(err, &fe) || fe.Code != docket.EINVALID || fe.Field != "published_at"):
						t.Errorf("preview %v: %v, want an invalid published_at", preview, err)
					}
				}
			})
		}
	})
}
