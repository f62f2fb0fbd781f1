package store

// SetCandidateArms makes ClusterCandidates read n topics a query, until the returned func
// restores it: the tests read several queries' worth with a few topics.
func SetCandidateArms(n int) (restore func()) {
	old := candidateArms
	candidateArms = n
	return func() { candidateArms = old }
}
