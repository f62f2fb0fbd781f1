package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store"
)

// openDB opens the database, refuses a schema newer than this binary before touching
// anything, and applies pending migrations (Docket's, then River's).
func openDB(ctx context.Context, e *env, dbURL string, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, dbURL, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	res, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(res.Applied) > 0 && log != nil {
		log.Info("database migrated", "from", res.From, "to", res.To)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// newLogger makes the process's logger: text on stderr by default.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q must be debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q must be text or json", format)
}

// isTerminal reports whether w is an interactive terminal, where progress bars belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newIngester builds the ingester every command shares: one HTTP client, one Parliament
// client (so its pacing and the waits Parliament asks for hold across every source), the
// topic matcher, and the evidence ranker for the statements it ingests.
func newIngester(db *store.DB, allowPrivate bool, pc *parliament.Client, log *slog.Logger) *ingest.Ingester {
	client := ingest.NewClient(ingest.ClientOptions{AllowPrivate: allowPrivate, UserAgent: userAgent()})
	tm := &ingest.TopicMatchers{DB: db, Log: log}
	ranker := &evidence.Ranker{DB: db}
	return &ingest.Ingester{DB: db, Client: client, Log: log, Matcher: tm.Current, Parliament: pc, Evidence: ranker.Refresh}
}

// userAgent names Docket to the sites it fetches from: ingest's default, which gives the
// module version ("dev" for a local build, never Go's "(devel)"), unless the build set
// Version, as the Docker image does, which is then the version named.
func userAgent() string {
	if Version == "" {
		return ingest.DefaultUserAgent()
	}
	return "Docket/" + strings.TrimPrefix(Version, "v") + " (+https://github.com/docket-dev/docket)"
}
