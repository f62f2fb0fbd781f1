// Package ingest turns the web's feeds into Docket items. It owns the one HTTP client that
// fetches sources (timeouts, a body cap that holds after decompression, conditional GET,
// Retry-After, a per-host concurrency cap and a dial-time guard against private addresses),
// the parser that gets a feed out of whatever bytes a server sends (charsets, byte order
// marks, mislabelled content types, truncated or hostile XML), the normalizer that makes
// items safe and comparable (sanitized HTML, absolute links without tracking parameters,
// stable guids, dates and content hashes), near-duplicate detection for story clusters,
// the fetch schedule, and OPML import and export.
//
// Nothing here touches the database: the orchestrator that stores results calls in.
package ingest
