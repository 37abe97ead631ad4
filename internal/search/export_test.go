package search

// LoadGraph is loadGraph for the external tests and benchmarks.
var LoadGraph = loadGraph
