using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>The outcome of one Pester <c>It</c>.</summary>
    public enum PesterOutcome
    {
        /// <summary>The test ran and passed.</summary>
        Passed,
        /// <summary>The test failed (or could not run: failed discovery, BeforeAll, ...).</summary>
        Failed,
        /// <summary>The test was skipped (-Skip, Set-ItResult -Skipped, no body).</summary>
        Skipped,
    }

    /// <summary>The result of one Pester <c>It</c>, as run by <see cref="PesterRunner"/>.</summary>
    public sealed class PesterTestResult
    {
        /// <summary>The test file, relative to the repository root (forward slashes).</summary>
        public string RelativeFile { get; }
        /// <summary>"Describe &gt; Context &gt; It name".</summary>
        public string TestFullName { get; }
        /// <summary>Passed, Failed or Skipped.</summary>
        public PesterOutcome Outcome { get; }
        /// <summary>The failure message (Pester's wording for Should), or why it was skipped.</summary>
        public string? Message { get; }
        /// <summary>The script the failure points at (usually the test file).</summary>
        public string? ScriptFile { get; }
        /// <summary>The line of the failing Should/statement, or of the It.</summary>
        public int Line { get; }
        /// <summary>The text of that line.</summary>
        public string? LineText { get; }
        /// <summary>The PowerShell stack trace, without the runner's own frames.</summary>
        public string? ScriptStackTrace { get; }
        /// <summary>How long the It (with its BeforeEach/AfterEach) took.</summary>
        public TimeSpan Duration { get; }

        /// <summary>True unless the test failed (skipped counts as not failed).</summary>
        public bool IsSuccess => Outcome != PesterOutcome.Failed;

        internal PesterTestResult(string relativeFile, string testFullName, PesterOutcome outcome, string? message,
            string? scriptFile = null, int line = 0, string? lineText = null, string? scriptStackTrace = null, TimeSpan duration = default)
        {
            RelativeFile = relativeFile; TestFullName = testFullName; Outcome = outcome; Message = message;
            ScriptFile = scriptFile; Line = line; LineText = lineText; ScriptStackTrace = scriptStackTrace; Duration = duration;
        }

        /// <summary>A readable report: outcome, message, where, stack trace.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append(Outcome).Append(": ").Append(RelativeFile).Append(" :: ").Append(TestFullName);
            if (Duration > TimeSpan.Zero) sb.Append(" (").Append(Math.Round(Duration.TotalMilliseconds)).Append(" ms)");
            if (!string.IsNullOrEmpty(Message)) sb.AppendLine().Append(Message);
            if (!string.IsNullOrEmpty(ScriptFile) || Line > 0)
            {
                sb.AppendLine().Append("at ").Append(ScriptFile ?? RelativeFile).Append(':').Append(Line);
                if (!string.IsNullOrEmpty(LineText)) sb.AppendLine().Append("    ").Append(LineText);
            }
            if (!string.IsNullOrEmpty(ScriptStackTrace)) sb.AppendLine().Append(ScriptStackTrace);
            return sb.ToString();
        }
    }

    /// <summary>
    /// Runs tests/pester/*.Tests.ps1 (Pester 5 syntax) in the hosted engine through Pester/PesterCompat.ps1,
    /// so that each <c>It</c> is one xUnit test (see PesterFileTests).
    /// </summary>
    public static class PesterRunner
    {
        /// <summary>The test name of the row reported for a file whose discovery failed.</summary>
        public const string DiscoveryRowName = "(discovery)";

        /// <summary>Test file folder, relative to the repository root.</summary>
        public const string PesterFolder = "tests/pester";

        /// <summary>How long one file may run before it is stopped.</summary>
        public static TimeSpan FileTimeout { get; set; } = TimeSpan.FromMinutes(10);

        private static readonly ConcurrentDictionary<string, Lazy<FileRun>> Discoveries = new ConcurrentDictionary<string, Lazy<FileRun>>(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, Lazy<FileRun>> Runs = new ConcurrentDictionary<string, Lazy<FileRun>>(StringComparer.Ordinal);

        /// <summary>Rows (relativeFile, testFullName) for every It of every tests/pester/*.Tests.ps1.</summary>
        public static IEnumerable<object[]> DiscoverAll()
        {
            string[] files;
            try
            {
                files = FindFiles();
            }
            catch (Exception ex)
            {
                return new[] { new object[] { PesterFolder, DiscoveryRowName + " " + ex.Message } };
            }

            var rows = files
                .AsParallel().AsOrdered()
                .Select(file => (file, run: Discover(file)))
                .SelectMany(x => x.run.DiscoveryError != null || x.run.Tests.Count == 0
                    ? new[] { new object[] { x.file, DiscoveryRowName } }
                    : x.run.Tests.Select(t => new object[] { x.file, t }))
                .ToList();
            return rows;
        }

        /// <summary>The outcome of one test: runs its whole file once (cached) and looks the test up.</summary>
        public static PesterTestResult GetResult(string relativeFile, string testFullName)
        {
            if (testFullName.StartsWith(DiscoveryRowName, StringComparison.Ordinal) && relativeFile == PesterFolder)
            {
                return new PesterTestResult(relativeFile, testFullName, PesterOutcome.Failed, "Could not list the Pester files: " + testFullName);
            }

            var run = Runs.GetOrAdd(relativeFile, f => new Lazy<FileRun>(() => RunFile(f, discoveryOnly: false), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

            if (run.DiscoveryError != null)
            {
                return new PesterTestResult(relativeFile, testFullName, PesterOutcome.Failed, run.DiscoveryError);
            }
            if (testFullName == DiscoveryRowName)
            {
                return run.Tests.Count == 0
                    ? new PesterTestResult(relativeFile, testFullName, PesterOutcome.Skipped, "The file defines no tests (no It).")
                    : new PesterTestResult(relativeFile, testFullName, PesterOutcome.Passed, "Discovery failed when the tests were listed, but succeeded for the run: re-run the tests.");
            }
            if (run.Results.TryGetValue(testFullName, out var result))
            {
                return result;
            }
            return new PesterTestResult(relativeFile, testFullName, PesterOutcome.Failed,
                "The test was listed at discovery but not found when the file ran (does its name depend on data that changes between runs?). Tests found: "
                + string.Join(" | ", run.Tests));
        }

        /// <summary>tests/pester/**/*.Tests.ps1, relative to the repository root, sorted.</summary>
        private static string[] FindFiles()
        {
            var dir = Path.Combine(Paths.RepoRoot, "tests", "pester");
            if (!Directory.Exists(dir)) return Array.Empty<string>();
            return Directory.GetFiles(dir, "*.Tests.ps1", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Paths.RepoRoot, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
        }

        private static FileRun Discover(string relativeFile) =>
            Discoveries.GetOrAdd(relativeFile, f => new Lazy<FileRun>(() => RunFile(f, discoveryOnly: true), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        /// <summary>The runner script: the copy beside the test assembly, else the one in the source tree.</summary>
        private static string CompatScript
        {
            get
            {
                var built = Path.Combine(AppContext.BaseDirectory, "Pester", "PesterCompat.ps1");
                if (File.Exists(built)) return built;
                return Path.Combine(Paths.RepoRoot, "tests", "LeadTools.PowerShell.Tests", "Pester", "PesterCompat.ps1");
            }
        }

        private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

        private static FileRun RunFile(string relativeFile, bool discoveryOnly)
        {
            try
            {
                var fullPath = Path.GetFullPath(Path.Combine(Paths.RepoRoot, relativeFile));
                // The header of every Pester file imports the module from $env:LEADTOOLS_MODULE.
                // (Process-wide, but always the same value: the one Paths.ModuleManifest resolves.)
                var manifest = Paths.ModuleManifest;
                if (Environment.GetEnvironmentVariable("LEADTOOLS_MODULE") != manifest)
                {
                    Environment.SetEnvironmentVariable("LEADTOOLS_MODULE", manifest);
                }

                var iss = TestHost.CreateSessionState();
                if (OperatingSystem.IsWindows())
                {
                    iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
                }
                using var runspace = RunspaceFactory.CreateRunspace(iss);
                runspace.Open();
                runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(Path.GetDirectoryName(fullPath)!));

                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = runspace;
                ps.AddScript(". " + Quote(CompatScript));
                ps.Invoke();
                if (ps.HadErrors)
                {
                    var errors = string.Join(Environment.NewLine, ps.Streams.Error.Select(e => e.ToString()));
                    return FileRun.Failed(relativeFile, "Could not load " + CompatScript + ": " + errors);
                }

                ps.Commands.Clear();
                ps.Streams.ClearStreams();
                ps.AddCommand("Invoke-PesterCompat").AddParameter("Path", fullPath);
                if (discoveryOnly) ps.AddParameter("DiscoveryOnly");

                var async = ps.BeginInvoke();
                if (!async.AsyncWaitHandle.WaitOne(FileTimeout))
                {
                    ps.Stop();
                    return FileRun.Failed(relativeFile, $"{relativeFile} did not finish within {FileTimeout}; it was stopped.");
                }
                var output = ps.EndInvoke(async);
                var summary = output.LastOrDefault(o => o?.Properties["Tests"] != null);
                if (summary == null)
                {
                    var errors = string.Join(Environment.NewLine, ps.Streams.Error.Select(e => e.ToString()));
                    return FileRun.Failed(relativeFile, "Invoke-PesterCompat returned no summary. " + errors);
                }
                return FileRun.From(relativeFile, summary);
            }
            catch (Exception ex)
            {
                var message = ex is RuntimeException rex && rex.ErrorRecord?.InvocationInfo != null
                    ? ex.Message + Environment.NewLine + rex.ErrorRecord.InvocationInfo.PositionMessage
                    : ex.ToString();
                return FileRun.Failed(relativeFile, $"Running {relativeFile} failed: {message}");
            }
        }

        private sealed class FileRun
        {
            public IReadOnlyList<string> Tests { get; private set; } = Array.Empty<string>();
            public string? DiscoveryError { get; private set; }
            public Dictionary<string, PesterTestResult> Results { get; } = new Dictionary<string, PesterTestResult>(StringComparer.Ordinal);

            public static FileRun Failed(string relativeFile, string error) => new FileRun { DiscoveryError = error };

            public static FileRun From(string relativeFile, PSObject summary)
            {
                var run = new FileRun
                {
                    Tests = AsEnumerable(summary.Properties["Tests"]?.Value).Select(t => t?.ToString() ?? "").ToList(),
                    DiscoveryError = summary.Properties["DiscoveryError"]?.Value as string,
                };
                foreach (var item in AsEnumerable(summary.Properties["Results"]?.Value))
                {
                    if (item == null) continue;
                    var r = item as PSObject ?? PSObject.AsPSObject(item);
                    string? Str(string name) => r.Properties[name]?.Value?.ToString();
                    var fullName = Str("FullName") ?? "";
                    var outcome = Enum.TryParse<PesterOutcome>(Str("Outcome"), out var o) ? o : PesterOutcome.Failed;
                    int.TryParse(Str("Line"), out var line);
                    double.TryParse(Str("DurationMs"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms);
                    run.Results[fullName] = new PesterTestResult(relativeFile, fullName, outcome, Str("Message"),
                        Str("File"), line, Str("LineText"), Str("StackTrace"), TimeSpan.FromMilliseconds(ms));
                }
                return run;
            }

            private static IEnumerable<object?> AsEnumerable(object? value)
            {
                if (value is PSObject pso) value = pso.BaseObject;
                if (value == null) yield break;
                if (value is string s) { yield return s; yield break; }
                if (value is System.Collections.IEnumerable e)
                {
                    foreach (var x in e) yield return x is PSObject p && p.BaseObject is string ps ? ps : x;
                    yield break;
                }
                yield return value;
            }
        }
    }
}
