package web

import (
	"net/http"
	"sync"
)

// pageCache keeps the public pages rendered for readers who are not signed in, while the
// database is as it was when they were rendered (store.DB.DataVersion): any commit, from any
// process, drops them all. A page is read from the database and rendered once per change,
// however many constituents a mailing sends to it, and every request still costs one cheap
// query, so a change is never hidden by the cache.
type pageCache struct {
	mu      sync.Mutex
	version string
	pages   map[pageKey]*cachedPage
	bytes   int
}

// The cache's bounds: pages bigger than maxCachedPage are not kept, and past maxCacheBytes
// the cache starts again.
const (
	maxCachedPage = 1 << 20
	maxCacheBytes = 32 << 20
)

// pageKey names a rendered page: what the request asks for, and what else the page is made
// from (the host, for links when no --base-url is set; whether it is a partial, by the rule
// the handlers render by, so that a request they answer with the whole page can never be
// kept as the partial).
type pageKey struct {
	host, uri string
	htmx      bool
}

func keyOf(r *http.Request) pageKey {
	return pageKey{host: r.Host, uri: r.URL.RequestURI(), htmx: isHTMX(r)}
}

// cachedPage is a rendered 200 response: the headers the handler set, and the body with its
// ETag.
type cachedPage struct {
	header http.Header
	body   []byte
	etag   string
}

// get returns the page rendered at version, if it was.
func (c *pageCache) get(version string, k pageKey) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil
	}
	return c.pages[k]
}

// put keeps a page rendered from the database as it was at version (read before rendering,
// so that a commit during the rendering makes the page older than its version, never newer).
func (c *pageCache) put(version string, k pageKey, p *cachedPage) {
	if len(p.body) > maxCachedPage {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.bytes+len(p.body) > maxCacheBytes {
		c.version, c.pages, c.bytes = version, map[pageKey]*cachedPage{}, 0
	}
	if old := c.pages[k]; old != nil {
		c.bytes -= len(old.body)
	}
	c.pages[k] = p
	c.bytes += len(p.body)
}
