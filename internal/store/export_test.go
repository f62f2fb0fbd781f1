package store

import "context"

// MigrateDownTo undoes the migrations newer than version, for tests of what a migration does
// to the data it finds and of a migration's Down.
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

// SetCandidateArms makes ClusterCandidates read n topics a query, until the returned func
// restores it: the tests read several queries' worth with a few topics.
func SetCandidateArms(n int) (restore func()) {
	old := candidateArms
	candidateArms = n
	return func() { candidateArms = old }
}
