// Command mdfloor is the goldmark floor (corpus.Floor): it converts every
// Markdown file of a site with goldmark, GFM, goldmark-meta and heading IDs
// on one worker per core, and writes the HTML. compare.sh times hjp against it.
//
//	go run ./internal/corpus/cmd/mdfloor -source /dev/shm/corpus -dest /dev/shm/floor
package main

import (
	"flag"
	"fmt"
	"os"

	"hjp/internal/corpus"
)

func main() {
	src := flag.String("source", ".", "site root holding content/")
	dst := flag.String("dest", "", "output folder")
	flag.Parse()
	if *dst == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mdfloor -source DIR -dest DIR")
		os.Exit(2)
	}
	n, err := corpus.Floor(*src, *dst)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mdfloor:", err)
		os.Exit(1)
	}
	fmt.Printf("converted %d pages\n", n)
}
