using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LeadTools.Bench
{
    /// <summary>Generates the data, runs every workload at every size in a child process, prints and saves the figures.</summary>
    internal sealed class Orchestrator
    {
        private readonly BenchOptions _o;
        private readonly string _data;
        private readonly List<WorkloadResult> _results = new List<WorkloadResult>();
        private readonly List<string> _load = new List<string>();
        private readonly string? _python = ProcessRunner.Which("python3");
        private readonly string? _jq = ProcessRunner.Which("jq");

        public Orchestrator(BenchOptions options)
        {
            _o = options;
            _data = Path.GetFullPath(options.DataDir ?? RepoPaths.Data);
        }

        public int Run()
        {
            Directory.CreateDirectory(_data);
            var machine = Machine.Describe();
            Console.WriteLine("LeadTools benchmark (SPEC 9.5)");
            Console.WriteLine(machine);
            Console.WriteLine($"module:  {RepoPaths.ModuleManifest}");
            Console.WriteLine($"peers:   python3 {(_python ?? "not found")}; jq {(_jq ?? "not found")}");
            Console.WriteLine($"sizes:   {string.Join(", ", _o.Sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} leads, seed {_o.Seed}, duplicate rate {_o.DuplicateRate.ToString(CultureInfo.InvariantCulture)}, {_o.Repeat} run(s) per in-process workload");
            Console.WriteLine();
            foreach (var size in _o.Sizes.Distinct().OrderBy(s => s))
            {
                RunSize(size);
            }
            var report = Report.Build(_results, _o, machine, _load);
            Console.WriteLine(report.Text);
            var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(_data, "results-" + stamp + ".md"), report.Markdown);
            File.WriteAllText(Path.Combine(_data, "results-" + stamp + ".json"), JsonSerializer.Serialize(new { machine, options = new { _o.Sizes, _o.Seed, _o.DuplicateRate, _o.Repeat }, results = _results }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Saved {Path.Combine(_data, "results-" + stamp + ".md")} and .json");
            var failed = _results.Where(r => !r.Ok).ToList();
            foreach (var f in failed) Console.Error.WriteLine($"FAILED {f.Workload} at {f.Size:N0}: {f.Error}");
            return failed.Count == 0 ? 0 : 1;
        }

        private bool Wanted(string workload) => _o.Only == null || _o.Only.Contains(workload);

        private void RunSize(long size)
        {
            var file = Path.Combine(_data, $"leads-{size}-s{_o.Seed}{RateTag()}.json");
            var truth = DataGen.CrmDataGenerator.TruthPathFor(file);
            Console.WriteLine($"== {size:N0} leads: {file}");
            var loadBefore = Machine.LoadAverage();
            if (_o.Regenerate || !File.Exists(file) || !File.Exists(truth))
            {
                Record(RunSelf(Workloads.Generate, size, file, null, 1));
            }
            else
            {
                Console.WriteLine($"   {Workloads.Generate,-20} reused (delete the file or pass --regenerate to time generation)");
            }
            if (!File.Exists(file)) return;
            if ((Wanted(Workloads.CoreSync) || Wanted(Workloads.PsSync)) && (_o.Regenerate || !File.Exists(DataGen.SyncWorkloads.PathsFor(file).Salesforce)))
            {
                Record(RunSelf(Workloads.SyncPrepare, size, file, null, 1));
            }
            var csv = Path.Combine(_data, $"out-{size}.csv");
            // The same leads as Data Loader CSV, for the CSV workloads (written once, like the JSON file).
            var leadsCsv = Path.ChangeExtension(file, ".csv");
            if ((Wanted(Workloads.CoreImportCsv) || Wanted(Workloads.CoreGroupByEmailCsv) || (Wanted(Workloads.PythonCsv) && !_o.NoPeers)) && (_o.Regenerate || !File.Exists(leadsCsv)))
            {
                Record(RunSelf(Workloads.GenerateCsv, size, leadsCsv, null, 1));
            }
            foreach (var (name, _) in Workloads.All)
            {
                if (!Wanted(name)) continue;
                switch (name)
                {
                    case Workloads.CoreProfile:
                        if (!_o.Profile) continue;
                        Record(RunSelf(name, size, file, null, Math.Max(2, _o.Repeat)));
                        Console.WriteLine("      " + _results[_results.Count - 1].Note);
                        break;
                    case Workloads.PsImportAssign when size > ImportProfile.HoldLimit && !_o.Huge:
                        Console.WriteLine($"   {name,-20} skipped above {ImportProfile.HoldLimit:N0} leads: holding every record as a PSObject takes ~22 KiB per lead in the engine (2.2 GB peak at 100k); pass --huge to run it");
                        break;
                    case Workloads.Python:
                        if (_o.NoPeers) continue;
                        if (_python == null) { Console.WriteLine($"   {name,-20} skipped: python3 not found"); continue; }
                        Record(RunPython(size, file, Workloads.Python, "group_by_email.py"));
                        break;
                    case Workloads.CoreImportCsv:
                    case Workloads.CoreGroupByEmailCsv:
                        if (!File.Exists(leadsCsv)) continue;
                        Record(RunSelf(name, size, leadsCsv, null, _o.Repeat));
                        break;
                    case Workloads.PythonCsv:
                        if (_o.NoPeers || !File.Exists(leadsCsv)) continue;
                        if (_python == null) { Console.WriteLine($"   {name,-20} skipped: python3 not found"); continue; }
                        Record(RunPython(size, leadsCsv, name, "group_by_email_csv.py"));
                        break;
                    case Workloads.Jq:
                        if (_o.NoPeers) continue;
                        if (_jq == null) { Console.WriteLine($"   {name,-20} skipped: jq not found"); continue; }
                        Record(RunJq(size, file));
                        break;
                    case Workloads.PsExport:
                    case Workloads.CoreExport:
                        Record(RunSelf(name, size, file, csv, _o.Repeat));
                        break;
                    default:
                        Record(RunSelf(name, size, file, null, _o.Repeat));
                        break;
                }
            }
            var load = $"{size:N0} leads: load average (1/5/15 min) {loadBefore} before, {Machine.LoadAverage()} after";
            _load.Add(load);
            Console.WriteLine("   " + load);
            Console.WriteLine();
        }

        private string RateTag() => Math.Abs(_o.DuplicateRate - DataGen.CrmDataGenerator.DefaultDuplicateRate) < 1e-12 ? "" : "-d" + _o.DuplicateRate.ToString(CultureInfo.InvariantCulture);

        private void Record(WorkloadResult r)
        {
            _results.Add(r);
            var expected = r.Workload == Workloads.Jq ? "" : r.Records == r.Size ? "" : $" RECORDS {r.Records:N0} != {r.Size:N0}";
            if (r.Workload != Workloads.Jq && r.Records != r.Size && r.Error == null) r.Error = $"read {r.Records:N0} records, expected {r.Size:N0}";
            var runs = string.Join(" / ", r.RunsMs.Select(Report.Seconds));
            var setup = r.SetupMs.HasValue ? $", engine+module {Report.Seconds(r.SetupMs.Value)}" : "";
            var groups = r.DuplicateGroups.HasValue ? $", {r.DuplicateGroups:N0} dup groups" : "";
            Console.WriteLine($"   {r.Workload,-20} {runs,-22} peak {Report.MiB(r.PeakBytes),8}{setup}{groups}{expected}{(r.Error != null ? "  ERROR " + r.Error : "")}");
        }

        private WorkloadResult RunSelf(string workload, long size, string file, string? output, int repeat)
        {
            var (exe, args) = ProcessRunner.Self();
            args.AddRange(new[] { "--workload", workload, "--file", file, "--count", size.ToString(CultureInfo.InvariantCulture), "--repeat", repeat.ToString(CultureInfo.InvariantCulture), "--seed", _o.Seed.ToString(CultureInfo.InvariantCulture), "--duplicate-rate", _o.DuplicateRate.ToString("R", CultureInfo.InvariantCulture) });
            if (output != null) args.AddRange(new[] { "--out", output });
            if (_o.ProfileStages != null) args.AddRange(new[] { "--profile-stages", string.Join(",", _o.ProfileStages) });
            var outcome = ProcessRunner.Run(exe, args, RepoPaths.Root);
            var line = outcome.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(ChildProcess.ResultPrefix, StringComparison.Ordinal));
            WorkloadResult result;
            if (line == null)
            {
                result = new WorkloadResult { Workload = workload, Size = size, Error = $"child exited {outcome.ExitCode} without a result: {Tail(outcome.StdErr + outcome.StdOut)}" };
            }
            else
            {
                result = JsonSerializer.Deserialize<WorkloadResult>(line.Substring(ChildProcess.ResultPrefix.Length))!;
            }
            result.Size = size;
            result.ProcessMs = outcome.WallMs;
            result.PeakBytes = Math.Max(result.PeakBytes, outcome.PolledPeakBytes);
            return result;
        }

        private WorkloadResult RunPython(long size, string file, string workload, string scriptName)
        {
            var script = Path.Combine(RepoPaths.Peers, scriptName);
            var outcome = ProcessRunner.Run(_python!, new[] { script, file }, RepoPaths.Root);
            var r = new WorkloadResult { Workload = workload, Size = size, ProcessMs = outcome.WallMs, PeakBytes = outcome.PolledPeakBytes };
            r.RunsMs.Add(outcome.WallMs);
            try
            {
                using var doc = JsonDocument.Parse(outcome.StdOut.Trim().Split('\n').Last());
                var root = doc.RootElement;
                r.Records = root.GetProperty("records").GetInt64();
                r.DuplicateGroups = root.GetProperty("duplicate_groups").GetInt64();
                r.PeakBytes = Math.Max(r.PeakBytes, root.GetProperty("maxrss_kb").GetInt64() * 1024);
                r.Note = "python " + Environment.GetEnvironmentVariable("PYENV_VERSION");
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
            {
                r.Error = $"python3 exited {outcome.ExitCode}: {Tail(outcome.StdErr + outcome.StdOut)}";
            }
            return r;
        }

        private WorkloadResult RunJq(long size, string file)
        {
            var filter = Path.Combine(RepoPaths.Peers, "group_by_email.jq");
            var outcome = ProcessRunner.Run(_jq!, new[] { "-f", filter, file }, RepoPaths.Root);
            var r = new WorkloadResult { Workload = Workloads.Jq, Size = size, ProcessMs = outcome.WallMs, PeakBytes = outcome.PolledPeakBytes };
            r.RunsMs.Add(outcome.WallMs);
            if (outcome.ExitCode == 0 && long.TryParse(outcome.StdOut.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var groups))
            {
                r.DuplicateGroups = groups;
                r.Records = size;
                r.Note = "records not counted by the jq filter";
            }
            else
            {
                r.Error = $"jq exited {outcome.ExitCode}: {Tail(outcome.StdErr + outcome.StdOut)}";
            }
            return r;
        }

        private static string Tail(string s)
        {
            s = s.Trim();
            return s.Length <= 600 ? s : "..." + s.Substring(s.Length - 600);
        }
    }
}
