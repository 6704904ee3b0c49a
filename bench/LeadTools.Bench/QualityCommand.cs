using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using LeadTools.Core.Import;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.Bench
{
    /// <summary>
    /// <c>--quality</c>: scores the shipped strategies against every labelled set in ../shared/data/linkage/ and prints
    /// pairwise precision, recall and F1 (FEBRL 1-4, Splink fake_1000, dedupe csv_example).
    /// </summary>
    internal static class QualityCommand
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Run(ICollection<string>? only = null)
        {
            var linkage = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "linkage"));
            if (!Directory.Exists(linkage))
            {
                Console.Error.WriteLine($"The labelled sets are not at {linkage}.");
                return 2;
            }
            var leadStrategies = MatchStrategy.BuiltInNames.Select(n => MatchStrategy.BuiltIn(n)!).ToArray();
            var sets = new List<(string Name, Func<List<CrmRecord>> Load, MatchStrategy[] Strategies)>
            {
                ("generator standard 20k", () => Standard(20_000), leadStrategies),
                ("generator crowded 20k", () => Crowded(20_000), leadStrategies),
                ("splink/fake_1000", () => Plain(Path.Combine(linkage, "splink", "fake_1000.csv"), r => r.GetString("cluster")!), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard(), MatchStrategy.EmailExact() }),
                ("febrl/dataset1", () => Plain(Path.Combine(linkage, "febrl", "dataset1.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset2", () => Plain(Path.Combine(linkage, "febrl", "dataset2.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset3", () => Plain(Path.Combine(linkage, "febrl", "dataset3.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset4a+4b", () => Plain(Path.Combine(linkage, "febrl", "dataset4a.csv"), Febrl).Concat(Plain(Path.Combine(linkage, "febrl", "dataset4b.csv"), Febrl)).ToList(), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("dedupe/csv_example", () => Dedupe(Path.Combine(linkage, "dedupe", "csv_example_input_with_true_ids.csv")), new[] { MatchStrategyFile.Load(Path.Combine(RepoPaths.Root, "docs", "strategies", "sites.json")) }),
            };
            Console.WriteLine("| set | strategy | records | true pairs | predicted | correct | precision | recall | F1 | group sizes (members: groups) |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
            // --only: sets whose name contains one of the words, and/or strategies named by one.
            bool Wanted(string text, bool exact) => only == null || only.Any(o => exact ? string.Equals(text, o, StringComparison.OrdinalIgnoreCase) : text.IndexOf(o, StringComparison.OrdinalIgnoreCase) >= 0);
            var strategyFilter = only != null && sets.SelectMany(x => x.Strategies).Any(s => Wanted(s.Name, true));
            var setFilter = only != null && sets.Any(x => Wanted(x.Name, false));
            foreach (var (name, load, strategies) in sets)
            {
                if (setFilter && !Wanted(name, false)) continue;
                var records = load();
                foreach (var s in strategies)
                {
                    if (strategyFilter && !Wanted(s.Name, true)) continue;
                    var q = MatchQuality.Score(s, records, "TrueCluster");
                    Console.WriteLine($"| {name} | {s.Name} | {q.Records:N0} | {q.TruePairs:N0} | {q.PredictedPairs:N0} | {q.CorrectPairs:N0} | {q.Precision:F3} | {q.Recall:F3} | {q.F1:F3} | {q.GroupSizeDistribution} |");
                }
            }
            Console.WriteLine("Published anchor on fake_1000 (Splink): F1 about 0.86 (precision 0.964, recall 0.779).");
            return 0;
        }

        // The bench generator (seed 42) and its second, crowded mode (seed 7): the truth's cluster, else the lead's own id.
        private static List<CrmRecord> Standard(int count)
        {
            var truth = LeadTools.DataGen.CrmDataGenerator.LeadClusters(count, 42).ToDictionary(kv => kv.Key, kv => kv.Value);
            var list = LeadTools.DataGen.CrmDataGenerator.Leads(count, 42).ToList();
            foreach (var r in list) r.Set("TrueCluster", truth.TryGetValue(r.Id!, out var c) ? c : r.Id);
            return list;
        }

        private static List<CrmRecord> Crowded(int count)
        {
            var list = new List<CrmRecord>(count);
            foreach (var kv in LeadTools.DataGen.CrmDataGenerator.CrowdedLeads(count, 7))
            {
                kv.Key.Set("TrueCluster", kv.Value);
                list.Add(kv.Key);
            }
            return list;
        }

        // FEBRL and Splink files have no quoted fields; FEBRL separates with ", ".
        private static List<CrmRecord> Plain(string path, Func<CrmRecord, string> label)
        {
            var lines = File.ReadAllLines(path);
            var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
            var list = new List<CrmRecord>();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var parts = line.Split(',');
                var r = new CrmRecord("Lead");
                for (var i = 0; i < header.Length && i < parts.Length; i++) r.Set(header[i], parts[i].Trim());
                r.Set("TrueCluster", label(r));
                list.Add(r);
            }
            return list;
        }

        private static string Febrl(CrmRecord r) => r.GetString("rec_id")!.Split('-')[1];

        private static List<CrmRecord> Dedupe(string path)
        {
            var records = new RecordReader(new ImportOptions { ObjectType = "Account", CheckDuplicateIds = false }, _ => { }).ReadFile(path).ToList();
            foreach (var r in records) r.Set("TrueCluster", r.GetString("True Id"));
            return records;
        }
    }
}
