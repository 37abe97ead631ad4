package netlify_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"

	"hjp/internal/netlify"
)

// A built site served as Netlify would serve it: the _redirects rule
// sends a short link on, the _headers rule adds a header.
func Example() {
	site := fstest.MapFS{
		"findings/shared-records/index.html": {Data: []byte("<h1>Shared records</h1>")},
		"_redirects":                         {Data: []byte("/f/3/ /findings/shared-records/ 301\n")},
		"_headers":                           {Data: []byte("/*\n  X-Content-Type-Options: nosniff\n")},
	}
	rules, diags := netlify.Load(site, nil)
	if len(diags) > 0 {
		fmt.Println(diags)
		return
	}
	h := &netlify.Handler{FS: site, Rules: rules}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/f/3/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/findings/shared-records/", nil))
	fmt.Println(rec.Code, rec.Header().Get("X-Content-Type-Options"), rec.Body.String())
	// Output:
	// 301 /findings/shared-records/
	// 200 nosniff <h1>Shared records</h1>
}
