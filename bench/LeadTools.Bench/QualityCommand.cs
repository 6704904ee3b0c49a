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
                ("splink/fake_1000", () => Plain(Path.Combine(linkage, "splink", "fake_1000.csv"), r => r.GetString("cluster")!), leadStrategies),
                ("febrl/dataset1", () => Plain(Path.Combine(linkage, "febrl", "dataset1.csv"), Febrl), leadStrategies),
                ("febrl/dataset2", () => Plain(Path.Combine(linkage, "febrl", "dataset2.csv"), Febrl), leadStrategies),
                ("febrl/dataset3", () => Plain(Path.Combine(linkage, "febrl", "dataset3.csv"), Febrl), leadStrategies),
                ("febrl/dataset4a+4b", () => Plain(Path.Combine(linkage, "febrl", "dataset4a.csv"), Febrl).Concat(Plain(Path.Combine(linkage, "febrl", "dataset4b.csv"), Febrl)).ToList(), leadStrategies),
                ("dedupe/csv_example", () => Dedupe(Path.Combine(linkage, "dedupe", "csv_example_input_with_true_ids.csv")), leadStrategies.Append(MatchStrategyFile.Load(Path.Combine(RepoPaths.Root, "docs", "strategies", "sites.json"))).ToArray()),
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
                    var dump = Environment.GetEnvironmentVariable("LT_QUALITY_DUMP");
                    if (dump != null) Dump(s, records, dump);
                    if (Environment.GetEnvironmentVariable("LT_VETO_DUMP") != null) VetoDump(s, records);
                    if (Environment.GetEnvironmentVariable("LT_MISS_DUMP") != null) MissDump(s, records);
                    if (only != null && q.WrongPairsByRule.Count > 0) Console.WriteLine("    wrong joining pairs by rule: " + string.Join(", ", q.WrongPairsByRule.OrderByDescending(kv => kv.Value).Select(kv => kv.Key + " " + kv.Value)));
                }
            }
            Console.WriteLine("Published anchor on fake_1000 (Splink): F1 about 0.86 (precision 0.964, recall 0.779).");
            return 0;
        }

        // Diagnostics (LT_QUALITY_DUMP=rule): the first wrong pairs of a rule, with the fields strategies read.
        private static void Dump(MatchStrategy s, List<CrmRecord> records, string rule)
        {
            var byId = records.Where(r => r.Id != null).ToDictionary(r => r.Id!, r => r);
            var shown = 0;
            var finder = new DuplicateFinder(s);
            var groups = finder.Find(records);
            if (finder.Model != null) Console.WriteLine("  model: " + finder.Model.Summary());
            foreach (var g in groups)
            {
                foreach (var p in g.Pairs)
                {
                    if (p.Rule != rule || !byId.TryGetValue(p.A, out var a) || !byId.TryGetValue(p.B, out var b)) continue;
                    if (a.GetString("TrueCluster") == b.GetString("TrueCluster")) continue;
                    string Show(CrmRecord r) => string.Join(" | ", new[] { "FirstName", "LastName", "Email", "Phone", "Company", "Title", "Street", "City", "PostalCode" }.Select(f => r.GetString(f)));
                    Console.WriteLine("  " + Show(a));
                    Console.WriteLine("  " + Show(b));
                    if (p.Weights != null) Console.WriteLine("  " + p.Score + ": " + p.Explanation);
                    Console.WriteLine();
                    if (++shown == 12) return;
                }
            }
        }

        // Diagnostics (LT_VETO_DUMP=1): true pairs that a rule matches but a veto rejects, by veto, with examples.
        private static void VetoDump(MatchStrategy s, List<CrmRecord> records)
        {
            var finder = new DuplicateFinder(s);
            finder.Find(records);
            var keys = records.Select(s.Normalise).ToList();
            var counts = new Dictionary<string, int>();
            var shown = 0;
            foreach (var cluster in Enumerable.Range(0, records.Count).GroupBy(i => records[i].GetString("TrueCluster")).Where(g => g.Count() > 1))
            {
                var ms = cluster.ToList();
                for (var i = 0; i < ms.Count; i++)
                    for (var j = i + 1; j < ms.Count; j++)
                    {
                        var a = keys[ms[i]];
                        var b = keys[ms[j]];
                        if (Environment.GetEnvironmentVariable("LT_VETO_DUMP") == "conflict")
                        {
                            if (s.CannotLink(a, b, finder.Frequencies))
                            {
                                counts["cannot link"] = counts.TryGetValue("cannot link", out var c) ? c + 1 : 1;
                                if (shown++ < 15) Console.WriteLine("  conflict: " + string.Join(" | ", s.UsedFields.Select(f => a[f] + " / " + b[f])));
                            }
                            continue;
                        }
                        if (!s.Explain(a, b).Any(o => o.Matched)) continue; // no rule holds: not a veto's doing
                        var v = s.VetoOf(a, b, finder.Frequencies);
                        if (v == null && s.Match(a, b, finder.Frequencies) != null) continue;
                        var name = v?.Name ?? "rare-value limit";
                        counts[name] = counts.TryGetValue(name, out var n) ? n + 1 : 1;
                        if (shown++ < 10) Console.WriteLine("  " + name + ": " + string.Join(" | ", s.UsedFields.Select(f => a[f] + " / " + b[f])));
                    }
            }
            Console.WriteLine("    true pairs lost to vetoes and limits: " + string.Join(", ", counts.Select(kv => kv.Key + " " + kv.Value)));
        }

        // Diagnostics (LT_MISS_DUMP=1): true pairs the strategy leaves in different groups, counted by the PersonRecords
        // rule that would match them directly ("none" when none would), with examples.
        private static void MissDump(MatchStrategy s, List<CrmRecord> records)
        {
            var groupOf = new Dictionary<CrmRecord, int>();
            var gi = 0;
            foreach (var g in new DuplicateFinder(s).Find(records)) { foreach (var m in g.Members) groupOf[m] = gi; gi++; }
            var person = MatchStrategy.PersonRecords();
            var keys = records.Select(s.Normalise).ToList();
            var counts = new Dictionary<string, int>();
            var shown = 0;
            foreach (var cluster in Enumerable.Range(0, records.Count).GroupBy(i => records[i].GetString("TrueCluster")).Where(g => g.Count() > 1))
            {
                var ms = cluster.ToList();
                for (var i = 0; i < ms.Count; i++)
                    for (var j = i + 1; j < ms.Count; j++)
                    {
                        var ra = records[ms[i]];
                        var rb = records[ms[j]];
                        if (groupOf.TryGetValue(ra, out var ga) && groupOf.TryGetValue(rb, out var gb) && ga == gb) continue;
                        var m = person.Match(person.Normalise(ra), person.Normalise(rb));
                        var name = m?.Rule ?? "none";
                        counts[name] = counts.TryGetValue(name, out var n) ? n + 1 : 1;
                        if (shown++ < 25) Console.WriteLine("  " + name + ": " + string.Join(" | ", s.UsedFields.Select(f => keys[ms[i]][f] + " / " + keys[ms[j]][f])));
                    }
            }
            Console.WriteLine("    true pairs missed, by the PersonRecords rule that matches them: " + string.Join(", ", counts.OrderByDescending(kv => kv.Value).Select(kv => kv.Key + " " + kv.Value)));
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
