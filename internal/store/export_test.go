package store

import "context"

// SetCandidateArms makes ClusterCandidates read n topics a query, until the returned func
// restores it: the tests read several queries' worth with a few topics.
func SetCandidateArms(n int) (restore func()) {
	old := candidateArms
	candidateArms = n
	return func() { candidateArms = old }
}

// MigrateDownTo undoes the migrations newer than version, for the tests of a migration's Down.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
