package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/docket-dev/docket/internal/bench"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/web"
)

// BenchmarkTopicPage draws the largest public topic's page, and its timeline JSON, on the
// corpora docket bench generates (built on first use, then kept in the temporary folder as
// docket bench keeps them), without HTTP: what the handler costs to render them (the page
// cache is off) and to serve them as rendered (cached).
func BenchmarkTopicPage(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10000, 100000} {
		c, err := bench.OpenCorpus(ctx, bench.Where{Dir: filepath.Join(os.TempDir(), "docket-bench")}, n, nil)
		if err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(ctx, c.URL, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rendered := web.NewServer(web.Config{DB: db, NoPageCache: true})
		cached := web.NewServer(web.Config{DB: db})
		for _, path := range []string{"/topics/syria", "/api/v1/topics/syria/timeline"} {
			for _, v := range []struct {
				name string
				h    *web.Server
			}{{"rendered", rendered}, {"cached", cached}} {
				name, h := v.name, v.h
				b.Run(fmt.Sprintf("items=%d%s/%s", n, path, name), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
						if w.Code != 200 {
							b.Fatalf("GET %s: %d", path, w.Code)
						}
					}
				})
			}
		}
		db.Close()
	}
}
