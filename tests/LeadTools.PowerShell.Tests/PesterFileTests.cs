using System.Collections.Generic;
using Xunit.Abstractions;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Every <c>It</c> of tests/pester/*.Tests.ps1 (Pester 5 syntax) as one xUnit test, run in the hosted engine through
    /// Pester/PesterCompat.ps1. Each file runs once (the first of its rows runs it; the others read the cached results).
    /// </summary>
    public class PesterFileTests
    {
        private readonly ITestOutputHelper _output;

        public PesterFileTests(ITestOutputHelper output) => _output = output;

        /// <summary>(relativeFile, testFullName) rows: plain strings, so every row is its own test case.</summary>
        public static IEnumerable<object[]> PesterTests() => PesterRunner.DiscoverAll();

        [Theory]
        [MemberData(nameof(PesterTests))]
        public void Pester(string file, string test)
        {
            var result = PesterRunner.GetResult(file, test);
            _output.WriteLine(result.ToString());
            if (result.Outcome == PesterOutcome.Skipped)
            {
                // xUnit 2 cannot skip a test at run time: a skipped It is reported as passed, with this note.
                _output.WriteLine("SKIPPED (reported as passed): " + (result.Message ?? ""));
            }
            Assert.True(result.IsSuccess, result.ToString());
        }
    }
}
