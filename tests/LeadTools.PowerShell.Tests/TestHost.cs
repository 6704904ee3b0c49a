using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Where the repository, the shared data and the built module are.</summary>
    public static class Paths
    {
        private static readonly Lazy<string> RepoRootLazy = new Lazy<string>(() =>
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "LeadTools.psd1")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("LeadTools.psd1 not found above " + AppContext.BaseDirectory);
        });

        /// <summary>The repository root (holds LeadTools.psd1).</summary>
        public static string RepoRoot => RepoRootLazy.Value;

        /// <summary>../shared beside the repository.</summary>
        public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

        /// <summary>The public sample exports.</summary>
        public static string Exports => Path.Combine(Shared, "data", "exports");

        /// <summary>The laid-out module manifest (out/LeadTools/&lt;version&gt;/LeadTools.psd1), or $env:LEADTOOLS_MODULE.</summary>
        public static string ModuleManifest
        {
            get
            {
                var env = Environment.GetEnvironmentVariable("LEADTOOLS_MODULE");
                if (!string.IsNullOrEmpty(env)) return env!;
                var outDir = Path.Combine(RepoRoot, "out", "LeadTools");
                var manifest = Directory.Exists(outDir)
                    ? Directory.GetFiles(outDir, "LeadTools.psd1", SearchOption.AllDirectories).OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault()
                    : null;
                return manifest ?? throw new InvalidOperationException("The module is not built: run 'dotnet build' first (looked in " + outDir + ").");
            }
        }
    }

    /// <summary>The outcome of running a script in a fresh runspace with the module imported.</summary>
    public sealed class ScriptResult
    {
        /// <summary>Objects the pipeline wrote.</summary>
        public Collection<PSObject> Output { get; }
        /// <summary>Non-terminating errors.</summary>
        public IReadOnlyList<ErrorRecord> Errors { get; }
        /// <summary>Warnings.</summary>
        public IReadOnlyList<WarningRecord> Warnings { get; }
        /// <summary>The terminating error, if the script threw.</summary>
        public Exception? Exception { get; }

        internal ScriptResult(Collection<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<WarningRecord> warnings, Exception? exception)
        {
            Output = output; Errors = errors; Warnings = warnings; Exception = exception;
        }

        /// <summary>ErrorIds of the errors (FullyQualifiedErrorId).</summary>
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId);
    }

    /// <summary>Hosts the PowerShell 7 engine in-process and imports the built module through its manifest.</summary>
    public static class TestHost
    {
        /// <summary>A session state with the default engine cmdlets and LeadTools imported.</summary>
        public static InitialSessionState CreateSessionState()
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { Paths.ModuleManifest });
            iss.Variables.Add(new SessionStateVariableEntry("SharedData", Path.Combine(Paths.Shared, "data"), "The shared data folder"));
            return iss;
        }

        /// <summary>Runs <paramref name="script"/> in a fresh runspace; parameters become variables.</summary>
        public static ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
        {
            using var runspace = RunspaceFactory.CreateRunspace(CreateSessionState());
            runspace.Open();
            if (variables != null)
            {
                foreach (var kv in variables) runspace.SessionStateProxy.SetVariable(kv.Key, kv.Value);
            }
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            Collection<PSObject> output;
            Exception? exception = null;
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                output = new Collection<PSObject>();
                exception = ex;
            }
            return new ScriptResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), exception);
        }
    }
}
