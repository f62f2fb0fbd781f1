package store

import "context"

// MigrateDownTo rolls the schema back to version, for tests of what a migration does to the
// data it finds.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

// SetSelectiveSearch sets how many matches make a search start from them, for a test to take
// each way through a search; it returns the function that puts it back.
func SetSelectiveSearch(n int) func() {
	old := selectiveSearch
	selectiveSearch = n
	return func() { selectiveSearch = old }
}
