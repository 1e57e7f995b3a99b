"""Province-scale data generator and benchmark (issue 9). See bench/RESULTS.md."""
