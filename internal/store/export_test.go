package store

// SetSelectiveSearch sets how many matches make a search start from them, for a test to take
// each way through a search; it returns the function that puts it back.
func SetSelectiveSearch(n int) func() {
	old := selectiveSearch
	selectiveSearch = n
	return func() { selectiveSearch = old }
}
