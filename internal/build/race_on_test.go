//go:build race

package build

// raceEnabled loosens time bounds: the race detector slows code 5–10×.
const raceEnabled = true
