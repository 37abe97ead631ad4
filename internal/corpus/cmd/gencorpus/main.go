// Command gencorpus writes a synthetic site of n pages (internal/corpus)
// into a folder, with the repository's themes/ beside content/ so that
// `hjp build --source DIR` builds it:
//
//	go run ./internal/corpus/cmd/gencorpus -n 10000 -o /dev/shm/corpus
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"hjp/internal/corpus"
	"hjp/internal/testsite"
)

func main() {
	n := flag.Int("n", 1000, "number of pages")
	out := flag.String("o", "", "output folder (content/ and themes/ are written into it)")
	seed := flag.Int64("seed", 1, "random seed: the same n and seed give the same files")
	themes := flag.Bool("themes", true, "copy the repository's themes/ into the output folder")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n PAGES -o DIR [-seed N] [-themes=false]")
		os.Exit(2)
	}
	if err := corpus.Write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if *themes {
		if err := testsite.CopyDir(filepath.Join(testsite.Root(), "themes"), filepath.Join(*out, "themes")); err != nil {
			fmt.Fprintln(os.Stderr, "gencorpus:", err)
			os.Exit(1)
		}
	}
}
