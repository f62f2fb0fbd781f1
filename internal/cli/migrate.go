package cli

import (
	"context"
	"fmt"

	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	var dbURL string
	var check bool
	fs := newFlags(e, "migrate", "[flags]", "Applies every pending migration (Docket's, then River's) and prints the schema version.\n"+
		"docket serve does this at start too; on PostgreSQL a lock keeps two processes from migrating at once.")
	fs.dbFlag(&dbURL)
	fs.BoolVar(&check, "check", false, "only report whether migrations are pending (exit 1 when they are)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	// --check only looks: it opens the database read-only, and a missing file stays missing.
	db, err := store.Open(ctx, dbURL, store.Options{ReadOnly: check})
	if err != nil {
		return err
	}
	defer db.Close()
	if check {
		v, err := db.CheckSchema(ctx)
		if err != nil {
			return err
		}
		if v < store.Latest() {
			return fmt.Errorf("schema version %d, %d is pending: run docket migrate", v, store.Latest())
		}
		fmt.Fprintf(e.stdout, "schema version %d: up to date\n", v)
		return nil
	}
	res, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		return err
	}
	if len(res.Applied) == 0 {
		fmt.Fprintf(e.stdout, "schema version %d: up to date\n", res.To)
		return nil
	}
	fmt.Fprintf(e.stdout, "migrated from version %d to %d (%d migrations)\n", res.From, res.To, len(res.Applied))
	return nil
}
