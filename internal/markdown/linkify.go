package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/util"
)

// mayLinkify reports whether goldmark's linkify could make a link in src:
// it links text starting with "http:", "https:", "ftp:" or "www." (in
// those cases exactly), and email addresses, which have an @ after a
// character an address can hold. Without any, a page renders the same
// without linkify (TestNoLinkifySameDoc), and faster.
func mayLinkify(src []byte) bool {
	for _, p := range linkifyPrefixes {
		if bytes.Contains(src, p) {
			return true
		}
	}
	for i := 1; i < len(src); i++ {
		j := bytes.IndexByte(src[i:], '@')
		if j < 0 {
			return false
		}
		i += j
		if emailLocal[src[i-1]] {
			return true
		}
	}
	return false
}

var linkifyPrefixes = [][]byte{[]byte("http:"), []byte("https:"), []byte("ftp:"), []byte("www.")}

// emailLocal holds the bytes goldmark accepts just before an email
// address's @, found by asking it (util.FindEmailIndex) about each.
var emailLocal = func() (t [256]bool) {
	for c := range 256 {
		t[c] = util.FindEmailIndex([]byte{byte(c), '@', 'e', 'x', '.', 'o', 'r', 'g'}) > 0
	}
	return t
}()
