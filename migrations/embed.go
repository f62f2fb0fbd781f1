// Package migrations holds Docket's database migrations, one folder per dialect, embedded
// into the binary and applied by goose at start and by `docket migrate`.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
