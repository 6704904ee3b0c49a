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
        public static int Run()
        {
            var linkage = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "linkage"));
            if (!Directory.Exists(linkage))
            {
                Console.Error.WriteLine($"The labelled sets are not at {linkage}.");
                return 2;
            }
            var sets = new List<(string Name, Func<List<CrmRecord>> Load, MatchStrategy[] Strategies)>
            {
                ("splink/fake_1000", () => Plain(Path.Combine(linkage, "splink", "fake_1000.csv"), r => r.GetString("cluster")!), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard(), MatchStrategy.EmailExact() }),
                ("febrl/dataset1", () => Plain(Path.Combine(linkage, "febrl", "dataset1.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset2", () => Plain(Path.Combine(linkage, "febrl", "dataset2.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset3", () => Plain(Path.Combine(linkage, "febrl", "dataset3.csv"), Febrl), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("febrl/dataset4a+4b", () => Plain(Path.Combine(linkage, "febrl", "dataset4a.csv"), Febrl).Concat(Plain(Path.Combine(linkage, "febrl", "dataset4b.csv"), Febrl)).ToList(), new[] { MatchStrategy.PersonRecords(), MatchStrategy.SalesforceStandard() }),
                ("dedupe/csv_example", () => Dedupe(Path.Combine(linkage, "dedupe", "csv_example_input_with_true_ids.csv")), new[] { MatchStrategyFile.Load(Path.Combine(RepoPaths.Root, "docs", "strategies", "sites.json")) }),
            };
            Console.WriteLine("| set | strategy | records | true pairs | predicted | correct | precision | recall | F1 |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, load, strategies) in sets)
            {
                var records = load();
                foreach (var s in strategies)
                {
                    var q = MatchQuality.Score(s, records, "TrueCluster");
                    Console.WriteLine($"| {name} | {s.Name} | {q.Records:N0} | {q.TruePairs:N0} | {q.PredictedPairs:N0} | {q.CorrectPairs:N0} | {q.Precision:F3} | {q.Recall:F3} | {q.F1:F3} |");
                }
            }
            Console.WriteLine("Published anchor on fake_1000 (Splink): F1 about 0.86 (precision 0.964, recall 0.779).");
            return 0;
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
