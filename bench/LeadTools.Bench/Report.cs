using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace LeadTools.Bench
{
    /// <summary>The machine the figures come from.</summary>
    internal static class Machine
    {
        public static string Describe()
        {
            var sb = new StringBuilder();
            sb.AppendLine($"date:    {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}");
            sb.AppendLine($"cpu:     {CpuModel()} x {Environment.ProcessorCount} logical core(s)");
            sb.AppendLine($"memory:  {MemTotal()}");
            sb.AppendLine($"os:      {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
            sb.Append($"runtime: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; PowerShell engine {typeof(System.Management.Automation.PSObject).Assembly.GetName().Version}; {ToolVersion("python3", "--version")}; {ToolVersion("jq", "--version")}");
            return sb.ToString();
        }

        /// <summary>The 1, 5 and 15 minute load averages (other work on the machine skews the figures).</summary>
        public static string LoadAverage()
        {
            try
            {
                var parts = File.ReadAllText("/proc/loadavg").Split(' ');
                return $"{parts[0]} {parts[1]} {parts[2]}";
            }
            catch (IOException)
            {
                return "unknown";
            }
        }

        private static string CpuModel()
        {
            try
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                return line == null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Substring(line.IndexOf(':') + 1).Trim();
            }
            catch (IOException)
            {
                return RuntimeInformation.ProcessArchitecture.ToString();
            }
        }

        private static string MemTotal()
        {
            try
            {
                var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
                if (line == null) return "unknown";
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return $"{kb / 1048576.0:F1} GiB total";
            }
            catch (IOException)
            {
                return "unknown";
            }
        }

        private static string ToolVersion(string tool, string flag)
        {
            var path = ProcessRunner.Which(tool);
            if (path == null) return tool + " not installed";
            try
            {
                var psi = new ProcessStartInfo(path, flag) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(psi)!;
                var text = (p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd()).Trim();
                p.WaitForExit();
                return text.Length == 0 ? tool : text;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return tool + " (version unknown)";
            }
        }
    }

    /// <summary>Tables: figures per size, ratios, growth factors, and the duplicate-group cross-check.</summary>
    internal sealed class Report
    {
        public string Text { get; private set; } = "";
        public string Markdown { get; private set; } = "";

        public static string Seconds(double ms) => ms >= 10_000 ? (ms / 1000).ToString("F1", CultureInfo.InvariantCulture) + " s"
            : ms >= 1000 ? (ms / 1000).ToString("F2", CultureInfo.InvariantCulture) + " s"
            : ms.ToString("F0", CultureInfo.InvariantCulture) + " ms";

        public static string MiB(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";

        private static string Ratio(double x) => double.IsNaN(x) ? "-" : x.ToString("F2", CultureInfo.InvariantCulture) + "x";

        private static string Size(long n) => n >= 1_000_000 && n % 1_000_000 == 0 ? (n / 1_000_000) + "M" : n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : n.ToString(CultureInfo.InvariantCulture);

        public static Report Build(IReadOnlyList<WorkloadResult> results, BenchOptions o, string machine, IReadOnlyList<string> load)
        {
            var sizes = results.Select(r => r.Size).Distinct().OrderBy(s => s).ToList();
            WorkloadResult? Get(string w, long size) => results.FirstOrDefault(r => r.Workload == w && r.Size == size && r.Ok);
            double Best(string w, long size) => Get(w, size)?.BestMs ?? double.NaN;

            var md = new StringBuilder();
            md.AppendLine("Machine and run:");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine(machine);
            md.AppendLine($"seed {o.Seed}, duplicate rate {o.DuplicateRate.ToString(CultureInfo.InvariantCulture)}, {o.Repeat} run(s) per in-process workload; peers run once");
            foreach (var l in load) md.AppendLine(l);
            md.AppendLine("```");
            md.AppendLine();

            md.AppendLine("### Times and peak memory");
            md.AppendLine();
            md.AppendLine("First run is cold (a fresh process: JIT, first file read); best is the fastest of the runs. Peak memory is the");
            md.AppendLine("whole process's peak resident set (for PowerShell workloads: the engine, the module and the work).");
            md.AppendLine();
            md.AppendLine("| workload | leads | first run | best run | leads/s (best) | peak memory | notes |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var size in sizes)
            {
                foreach (var r in results.Where(r => r.Size == size))
                {
                    var notes = new List<string>();
                    if (r.SetupMs.HasValue) notes.Add("engine start + module import " + Seconds(r.SetupMs.Value));
                    if (r.DuplicateGroups.HasValue) notes.Add($"{r.DuplicateGroups:N0} duplicate email groups");
                    if (r.Workload == Workloads.Generate || r.Workload == Workloads.GenerateCsv || r.Workload == Workloads.TokenScan || r.Workload == Workloads.CoreMerge || r.Workload == Workloads.CoreSync
                        || r.Workload == Workloads.SyncPrepare) notes.Add(r.Note ?? "");
                    if ((r.Workload == Workloads.PsImportAssign || r.Workload == Workloads.PsImportAssignCompact) && r.Note != null && r.Note.StartsWith("held", System.StringComparison.Ordinal)) notes.Add(r.Note.Split("; ")[0]);
                    if (r.Workload == Workloads.CoreProfile) notes.Add("all stages, see the profile below");
                    if (r.Workload == Workloads.Python || r.Workload == Workloads.Jq || r.Workload == Workloads.PythonCsv) notes.Add("one run, process wall time");
                    if (!r.Ok) notes.Add("ERROR: " + r.Error);
                    var rate = r.Ok && r.BestMs > 0 ? (r.Size / (r.BestMs / 1000)).ToString("N0", CultureInfo.InvariantCulture) : "-";
                    md.AppendLine($"| {r.Workload} | {r.Size:N0} | {Seconds(r.FirstMs)} | {Seconds(r.BestMs)} | {rate} | {MiB(r.PeakBytes)} | {string.Join("; ", notes.Where(n => n.Length > 0))} |");
                }
            }
            md.AppendLine();

            md.AppendLine("### Ratios (best runs)");
            md.AppendLine();
            md.Append("| ratio | target |");
            foreach (var s in sizes) md.Append($" {Size(s)} |");
            md.AppendLine();
            md.Append("|---|---|");
            foreach (var _ in sizes) md.Append("---:|");
            md.AppendLine();
            var ratios = new (string Name, string Target, string A, string B)[]
            {
                ("import parse (a) / token-scan floor (b)", "<= 1.5x", Workloads.CoreImport, Workloads.TokenScan),
                ("Import-CrmRecord \\| ForEach-Object / import parse", "", Workloads.PsImportForEach, Workloads.CoreImport),
                ("$x = Import-CrmRecord / import parse", "", Workloads.PsImportAssign, Workloads.CoreImport),
                ("$x = Import-CrmRecord -Compact / Import-CrmRecord \\| ForEach-Object", "<= 2x", Workloads.PsImportAssignCompact, Workloads.PsImportForEach),
                ("Export-CrmRecord -SourcePath / Core bulk route", "", Workloads.PsExport, Workloads.CoreExport),
                ("Core bulk route (read+write CSV) / import parse", "", Workloads.CoreExport, Workloads.CoreImport),
                ("python3 peer / Core group-by-email", "", Workloads.Python, Workloads.CoreGroupByEmail),
                ("jq peer / Core group-by-email", "", Workloads.Jq, Workloads.CoreGroupByEmail),
                ("python3 peer / Import-CrmRecord \\| ForEach-Object", "", Workloads.Python, Workloads.PsImportForEach),
                ("jq peer / Import-CrmRecord \\| ForEach-Object", "", Workloads.Jq, Workloads.PsImportForEach),
                ("import parse of the CSV file / of the JSON file", "", Workloads.CoreImportCsv, Workloads.CoreImport),
                ("python3 CSV peer / Core group-by-email on the CSV", "", Workloads.PythonCsv, Workloads.CoreGroupByEmailCsv),
            };
            foreach (var (name, target, a, b) in ratios)
            {
                md.Append($"| {name} | {target} |");
                foreach (var s in sizes) md.Append($" {Ratio(Best(a, s) / Best(b, s))} |");
                md.AppendLine();
            }
            md.AppendLine();
            md.AppendLine("A peer ratio above 1 means the peer is slower than LeadTools by that factor.");
            md.AppendLine();

            if (sizes.Count > 1)
            {
                md.AppendLine("### Growth factors (linear = 10x per 10x records)");
                md.AppendLine();
                md.Append("| workload |");
                for (var i = 1; i < sizes.Count; i++) md.Append($" time {Size(sizes[i - 1])} -> {Size(sizes[i])} |");
                for (var i = 1; i < sizes.Count; i++) md.Append($" memory {Size(sizes[i - 1])} -> {Size(sizes[i])} |");
                md.AppendLine();
                md.Append("|---|");
                for (var i = 1; i < sizes.Count * 2 - 1; i++) md.Append("---:|");
                md.AppendLine();
                foreach (var w in results.Select(r => r.Workload).Distinct())
                {
                    md.Append($"| {w} |");
                    for (var i = 1; i < sizes.Count; i++) md.Append($" {Ratio(Best(w, sizes[i]) / Best(w, sizes[i - 1]))} |");
                    for (var i = 1; i < sizes.Count; i++)
                    {
                        var p1 = Get(w, sizes[i - 1])?.PeakBytes ?? 0;
                        var p2 = Get(w, sizes[i])?.PeakBytes ?? 0;
                        md.Append($" {Ratio(p1 > 0 && p2 > 0 ? (double)p2 / p1 : double.NaN)} |");
                    }
                    md.AppendLine();
                }
                md.AppendLine();
            }

            var profiles = results.Where(r => r.Workload == Workloads.CoreProfile && r.Ok).ToList();
            if (profiles.Count > 0)
            {
                md.AppendLine("### Import profile (best run of each stage; factor relative to stage 1)");
                md.AppendLine();
                foreach (var p in profiles)
                {
                    md.AppendLine($"- {p.Size:N0} leads:");
                    foreach (var stage in (p.Note ?? "").Split("; ").Where(x => x.Trim().Length > 0)) md.AppendLine($"  - {stage}");
                }
                md.AppendLine();
            }

            md.AppendLine("### Cross-check: duplicate email groups found");
            md.AppendLine();
            md.AppendLine("| leads | Core group-by-email | python3 | jq | Core on the CSV | python3 on the CSV |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var s in sizes)
            {
                string G(string w) => Get(w, s)?.DuplicateGroups?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
                md.AppendLine($"| {s:N0} | {G(Workloads.CoreGroupByEmail)} | {G(Workloads.Python)} | {G(Workloads.Jq)} | {G(Workloads.CoreGroupByEmailCsv)} | {G(Workloads.PythonCsv)} |");
            }
            md.AppendLine();
            md.AppendLine("Workloads:");
            md.AppendLine();
            foreach (var (name, what) in Workloads.All) md.AppendLine($"- `{name}`: {what.Replace("|", "\\|")}");

            var report = new Report { Markdown = md.ToString() };
            report.Text = report.Markdown;
            return report;
        }
    }
}
