using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LeadTools.Bench
{
    /// <summary>A child run: one workload on one file, timed inside the process; prints one result line.</summary>
    internal static class ChildProcess
    {
        public const string ResultPrefix = "BENCH-RESULT ";

        private static ISet<int>? ProfileStages;
        private static int Seed;
        private static double DuplicateRate;

        public static int Run(BenchOptions o)
        {
            ProfileStages = o.ProfileStages;
            Seed = o.Seed;
            DuplicateRate = o.DuplicateRate;
            var result = new WorkloadResult { Workload = o.Workload!, Size = o.Count };
            try
            {
                var file = o.File ?? throw new ArgumentException("--file is required with --workload.");
                switch (o.Workload)
                {
                    case Workloads.Generate:
                        CoreWorkloads.Generate(result, file, o.Count, o.Seed, o.DuplicateRate);
                        break;
                    case Workloads.GenerateCsv:
                        CoreWorkloads.GenerateCsv(result, file, o.Count, o.Seed, o.DuplicateRate);
                        break;
                    case Workloads.TokenScan:
                    case Workloads.CoreImport:
                    case Workloads.CoreImportCsv:
                    case Workloads.CoreGroupByEmailCsv:
                    case Workloads.CoreGroupByEmail:
                    case Workloads.CoreExport:
                    case Workloads.CoreProfile:
                    case Workloads.CoreConvert:
                    case Workloads.CoreMerge:
                    case Workloads.CoreSync:
                    case Workloads.SyncPrepare:
                        CoreWorkloads.Run(result, o.Workload!, file, o.Output, o.Repeat);
                        break;
                    case Workloads.PsImportForEach:
                    case Workloads.PsImportAssign:
                    case Workloads.PsImportAssignCompact:
                    case Workloads.PsExport:
                    case Workloads.PsImportNull:
                    case Workloads.PsFindDuplicates:
                    case Workloads.PsSync:
                        PowerShellHost.Run(result, o.Workload!, file, o.Output, o.Repeat);
                        break;
                    default:
                        throw new ArgumentException($"Unknown workload '{o.Workload}'.");
                }
            }
            catch (Exception ex) when (!(ex is ArgumentException))
            {
                result.Error = ex.GetType().Name + ": " + ex.Message;
            }
            result.PeakBytes = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
            Console.Out.Flush();
            return result.Error == null ? 0 : 1;
        }

        /// <summary>The Core workloads (no PowerShell), kept apart so a PowerShell child never loads Core itself.</summary>
        private static class CoreWorkloads
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void Generate(WorkloadResult result, string file, long count, int seed, double rate)
            {
                var sw = Stopwatch.StartNew();
                var tmp = file + ".partial.json";
                var truth = LeadTools.DataGen.CrmDataGenerator.WriteLeads(tmp, checked((int)count), seed, LeadTools.Core.Import.RecordFormat.JsonArray, rate);
                // Renamed only when complete, so an interrupted run never leaves a file that looks finished.
                var finalTruth = LeadTools.DataGen.CrmDataGenerator.TruthPathFor(file);
                File.Move(truth, finalTruth, true);
                File.Move(tmp, file, true);
                result.RunsMs.Add(sw.Elapsed.TotalMilliseconds);
                result.Records = count;
                result.Note = $"{new FileInfo(file).Length / 1048576.0:F1} MiB; truth {File.ReadAllLines(finalTruth).Length - 1} rows";
            }

            /// <summary>The same leads as Data Loader CSV (the truth file is the JSON file's: same seed, same records).</summary>
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void GenerateCsv(WorkloadResult result, string file, long count, int seed, double rate)
            {
                var sw = Stopwatch.StartNew();
                var tmp = file + ".partial.csv";
                var truth = LeadTools.DataGen.CrmDataGenerator.WriteLeads(tmp, checked((int)count), seed, LeadTools.Core.Import.RecordFormat.Csv, rate);
                File.Delete(truth);
                File.Move(tmp, file, true);
                result.RunsMs.Add(sw.Elapsed.TotalMilliseconds);
                result.Records = count;
                result.Note = $"{new FileInfo(file).Length / 1048576.0:F1} MiB of CSV";
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void Run(WorkloadResult result, string workload, string file, string? output, int repeat)
            {
                if (workload == Workloads.CoreProfile)
                {
                    var sw0 = Stopwatch.StartNew();
                    result.Note = ImportProfile.Run(file, repeat, ProfileStages, out var n);
                    result.Records = n;
                    result.RunsMs.Add(sw0.Elapsed.TotalMilliseconds);
                    return;
                }
                if (workload == Workloads.SyncPrepare)
                {
                    var sw0 = Stopwatch.StartNew();
                    result.Note = LeadTools.DataGen.SyncWorkloads.Prepare(file, checked((int)result.Size), Seed, DuplicateRate);
                    result.RunsMs.Add(sw0.Elapsed.TotalMilliseconds);
                    result.Records = result.Size;
                    return;
                }
                for (var i = 0; i < repeat; i++)
                {
                    string? syncState = null;
                    if (workload == Workloads.CoreSync)
                    {
                        // Untimed: every run starts from the prepared state.
                        syncState = Path.Combine(Path.GetTempPath(), "leadtools-bench-sync-" + Guid.NewGuid().ToString("N"));
                        LeadTools.DataGen.SyncWorkloads.CopyState(file, syncState);
                    }
                    var sw = Stopwatch.StartNew();
                    switch (workload)
                    {
                        case Workloads.TokenScan:
                            var tokens = LeadTools.DataGen.ImportWorkloads.TokenScan(file, out var objects);
                            result.Records = objects;
                            result.Note = $"{tokens:N0} tokens";
                            break;
                        case Workloads.CoreImport:
                        case Workloads.CoreImportCsv:
                            result.Records = LeadTools.DataGen.ImportWorkloads.CoreImport(file, out var issues);
                            if (issues > 0) result.Error = $"{issues} import error(s)";
                            break;
                        case Workloads.CoreGroupByEmail:
                        case Workloads.CoreGroupByEmailCsv:
                            result.DuplicateGroups = LeadTools.DataGen.ImportWorkloads.CoreGroupByEmail(file, out var records);
                            result.Records = records;
                            break;
                        case Workloads.CoreExport:
                            result.Records = LeadTools.DataGen.ImportWorkloads.CoreBulkExport(file, output ?? throw new ArgumentException("--out is required."));
                            break;
                        case Workloads.CoreConvert:
                            var convertState = Path.Combine(Path.GetTempPath(), "leadtools-bench-state-" + Guid.NewGuid().ToString("N"));
                            result.Records = LeadTools.DataGen.IdentityWorkloads.ConvertAll(file, convertState);
                            Directory.Delete(convertState, true);
                            break;
                        case Workloads.CoreMerge:
                            var mergeState = Path.Combine(Path.GetTempPath(), "leadtools-bench-state-" + Guid.NewGuid().ToString("N"));
                            var groups = LeadTools.DataGen.IdentityWorkloads.MergeClusters(file, mergeState, out var merged, out var read);
                            result.Records = read;
                            result.Note = $"{groups:N0} groups of {merged:N0} duplicate leads merged";
                            Directory.Delete(mergeState, true);
                            break;
                        case Workloads.CoreSync:
                            var changes = LeadTools.DataGen.SyncWorkloads.Run(file, syncState!, Path.Combine(syncState!, "changes"), out var passes);
                            result.Records = result.Size;
                            result.Note = $"{changes:N0} changes; local snapshot read {passes} time(s)";
                            break;
                    }
                    result.RunsMs.Add(sw.Elapsed.TotalMilliseconds);
                    if (syncState != null) Directory.Delete(syncState, true);
                }
            }
        }
    }
}
