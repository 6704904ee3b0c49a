using System;
using System.IO;
using System.Linq;

namespace LeadTools.Bench
{
    /// <summary>Where the repository, the data folder, the peers and the built module are.</summary>
    internal static class RepoPaths
    {
        private static readonly Lazy<string> RootLazy = new Lazy<string>(() =>
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "LeadTools.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "bench"))) return dir.FullName;
                }
            }
            throw new InvalidOperationException("The repository root (the folder holding LeadTools.psd1 and bench/) was not found above " + Environment.CurrentDirectory + " or " + AppContext.BaseDirectory + ".");
        });

        public static string Root => RootLazy.Value;

        public static string Data => Path.Combine(Root, "bench", "data");

        public static string Peers => Path.Combine(Root, "bench", "peers");

        /// <summary>The laid-out module manifest, or $env:LEADTOOLS_MODULE.</summary>
        public static string ModuleManifest
        {
            get
            {
                var env = Environment.GetEnvironmentVariable("LEADTOOLS_MODULE");
                if (!string.IsNullOrEmpty(env)) return env;
                var outDir = Path.Combine(Root, "out", "LeadTools");
                var manifest = Directory.Exists(outDir)
                    ? Directory.GetFiles(outDir, "LeadTools.psd1", SearchOption.AllDirectories).OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault()
                    : null;
                return manifest ?? throw new InvalidOperationException("The module is not built: run 'dotnet build' first (looked in " + outDir + ").");
            }
        }
    }
}
