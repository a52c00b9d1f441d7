// Writes jest's aggregated counts to $JEST_JSON_OUTPUT (used by .ci/run for its closing line).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const out = process.env.JEST_JSON_OUTPUT;
    if (!out) return;
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests, success } = results;
    require('node:fs').writeFileSync(
      out,
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTests, success }),
    );
  }
}
module.exports = SummaryReporter;
